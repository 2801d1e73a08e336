// Builds the real store and services on a test database, with a clock the test moves by hand.
import { createServices, type Services } from '../../src/services/index.js';
import { createStore, type Store } from '../../src/store/index.js';
import { useTestDatabase, type TestDatabase } from './db.js';

export const USD = 1_000_000;
export const ADMIN_ID = 'UADMIN01';

/** A clock that stands still until the test moves it. */
export class TestClock {
  constructor(private current: Date) {}
  readonly now = (): Date => new Date(this.current.getTime());
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface ServiceFixture {
  db: TestDatabase;
  store: Store;
  services: Services;
  clock: TestClock;
}

export async function useServices(start: string | Date = '2025-06-10T12:00:00Z'): Promise<ServiceFixture> {
  const db = await useTestDatabase();
  const store = createStore(db.connection);
  await store.init();
  const clock = new TestClock(new Date(start));
  const services = createServices({
    store,
    clock: clock.now,
    adminUserIds: new Set([ADMIN_ID]),
    defaults: { limitMicros: 50 * USD, timezone: 'UTC', fallbackModel: 'ollama/llama3.1' },
  });
  await services.prices.seed();
  return { db, store, services, clock };
}

/** Counts of every collection, to prove that a refused request wrote nothing. */
export async function collectionCounts(db: TestDatabase): Promise<Record<string, number>> {
  const names = ['budgets', 'usage_events', 'usage_daily', 'reset_log', 'settings_audit', 'notifications', 'model_prices'];
  const counts = await Promise.all(names.map((n) => db.connection.collection(n).countDocuments()));
  return Object.fromEntries(names.map((n, i) => [n, counts[i] ?? 0]));
}
