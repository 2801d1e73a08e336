/** What every service is given: the store, a clock (injectable, so tests never sleep), the settings. */
import type { BudgetDefaults } from '../domain/budget.js';
import type { Store } from '../store/index.js';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export interface ServiceContext {
  store: Store;
  clock: Clock;
  /** Slack user ids that are admins by configuration (ADMIN_SLACK_USER_IDS). */
  adminUserIds: ReadonlySet<string>;
  defaults: BudgetDefaults;
}
