/** Builds every collection's store on one connection. The only code that queries MongoDB lives here. */
import type { Connection } from 'mongoose';
import { adminLoginLinkStore } from './adminLoginLinks.js';
import { apiTokenStore } from './apiTokens.js';
import { auditLogStore } from './auditLog.js';
import { budgetStore } from './budgets.js';
import { outboxStore } from './outbox.js';
import { priceStore } from './prices.js';
import { resetLogStore } from './resetLog.js';
import { usageEventStore } from './usageEvents.js';
import { rollupStore } from './usageRollups.js';

export function createStore(connection: Connection) {
  return {
    budgets: budgetStore(connection),
    events: usageEventStore(connection),
    rollups: rollupStore(connection),
    resets: resetLogStore(connection),
    audit: auditLogStore(connection),
    outbox: outboxStore(connection),
    prices: priceStore(connection),
    tokens: apiTokenStore(connection),
    adminLoginLinks: adminLoginLinkStore(connection),
    /** Builds the indexes declared with the schemas (autoCreate is off: see MONGODB.md). */
    async init(): Promise<void> {
      await Promise.all(Object.values(connection.models).map((model) => model.createIndexes()));
    },
  };
}

export type Store = ReturnType<typeof createStore>;
