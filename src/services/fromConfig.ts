/** Builds the store and the services from the configuration: the one place they are wired. */
import type mongoose from 'mongoose';
import type { Config } from '../config.js';
import { usdToMicros } from '../domain/money.js';
import { createStore, type Store } from '../store/index.js';
import { systemClock, type Clock } from './context.js';
import { createServices, type Services } from './index.js';

export async function servicesFromConfig(
  config: Config,
  connection: mongoose.Connection,
  clock: Clock = systemClock,
): Promise<{ store: Store; services: Services }> {
  const store = createStore(connection);
  await store.init();
  const services = createServices(
    {
      store,
      clock,
      adminUserIds: new Set(config.admin.slackUserIds),
      defaults: {
        limitMicros: usdToMicros(config.budget.defaultLimitUsd),
        timezone: config.budget.defaultTimezone,
        fallbackModel: config.budget.defaultFallbackModel,
      },
    },
    { adminApiToken: config.admin.apiToken },
  );
  await services.prices.seed();
  return { store, services };
}
