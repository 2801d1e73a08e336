/** Wires the services together. Every surface (REST, Slack, admin page, jobs) gets this one object. */
import { AccessPolicy } from './access.js';
import { AdminLoginService } from './adminLogin.js';
import { AlertQueue } from './alerts.js';
import { ApiTokenService } from './apiTokens.js';
import { BreakdownService } from './breakdown.js';
import { BudgetLoader } from './budgetLoader.js';
import { BudgetChecker } from './check.js';
import type { ServiceContext } from './context.js';
import { NotificationDelivery } from './delivery.js';
import { HistoryService } from './history.js';
import { OverviewService } from './overview.js';
import { PeriodCloser } from './periodCloser.js';
import { PriceBook } from './priceBook.js';
import { ProfileSync } from './profiles.js';
import { ReconcileService } from './reconcile.js';
import { ResetService } from './resets.js';
import { RetentionService } from './retention.js';
import { SettingsService } from './settings.js';
import { StatusService } from './status.js';
import { UsageRecorder } from './usage.js';
import { UsageBatchRecorder } from './usageBatch.js';
import { UserDirectory } from './userDirectory.js';

export function createServices(ctx: ServiceContext, options: { adminApiToken?: string | undefined } = {}) {
  const closer = new PeriodCloser(ctx);
  const loader = new BudgetLoader(ctx, closer);
  const access = new AccessPolicy(ctx);
  const prices = new PriceBook(ctx);
  const alerts = new AlertQueue(ctx);
  const usage = new UsageRecorder(ctx, loader, prices, alerts);
  return {
    loader,
    access,
    prices,
    status: new StatusService(ctx.clock, loader, access),
    settings: new SettingsService(ctx, loader, access, alerts),
    usage,
    usageBatch: new UsageBatchRecorder(ctx.clock, usage, prices),
    checker: new BudgetChecker(loader, prices, access),
    resets: new ResetService(ctx.clock, loader, closer, access),
    breakdown: new BreakdownService(ctx, loader, access),
    history: new HistoryService(ctx, loader, access),
    tokens: new ApiTokenService(ctx, access, options.adminApiToken),
    users: new UserDirectory(ctx, loader, access),
    profiles: new ProfileSync(ctx, loader),
    delivery: new NotificationDelivery(ctx),
    overview: new OverviewService(ctx, access),
    adminLogin: new AdminLoginService(ctx, access),
    reconcile: new ReconcileService(ctx, alerts),
    retention: new RetentionService(ctx),
  };
}

export type Services = ReturnType<typeof createServices>;
export type { ServiceContext, Clock } from './context.js';
