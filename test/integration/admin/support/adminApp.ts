// The real app (main's start(), the path `npm start` takes) on an ephemeral port and a fresh
// database, plus the same services on a second connection to that database, for seeding data and
// checking what the admin page wrote. Shared by the admin page's HTTP tests and the browser tests.
import type { Server } from 'node:http';
import express from 'express';
import { afterAll } from 'vitest';
import { loadConfig, type Config, type Env } from '../../../../src/config.js';
import { adminRouter } from '../../../../src/http/admin/index.js';
import type { AdminOptions } from '../../../../src/http/admin/options.js';
import { createLogger } from '../../../../src/logger.js';
import { start, type Running } from '../../../../src/main.js';
import type { Services } from '../../../../src/services/index.js';
import { servicesFromConfig } from '../../../../src/services/fromConfig.js';
import type { Store } from '../../../../src/store/index.js';
import { useTestDatabase, type TestDatabase } from '../../../helpers/db.js';

import { ADMIN_SLACK_ID, ADMIN_TOKEN } from './constants.js';

export { ADMIN_SLACK_ID, ADMIN_TOKEN, ROOT, USD } from './constants.js';

export interface AdminApp {
  url: string;
  config: Config;
  db: TestDatabase;
  /** Services on the test's own connection to the app's database. */
  services: Services;
  store: Store;
  running: Running;
}

export function baseUrl(server: Server | undefined): string {
  const address = server?.address();
  if (typeof address !== 'object' || address === null) throw new Error('server is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}

/** Config for the app under test: a fresh database, a known admin token, no log noise. */
export function testConfig(db: TestDatabase, env: Env = {}): Config {
  return loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    MONGODB_URI: db.uri,
    MONGODB_DB_NAME: db.dbName,
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    ADMIN_SLACK_USER_IDS: ADMIN_SLACK_ID,
    ...env,
  });
}

export async function startAdminApp(env: Env = {}): Promise<AdminApp> {
  const db = await useTestDatabase();
  const config = testConfig(db, env);
  const running = await start(config, createLogger('silent'));
  afterAll(() => running.stop());
  const { services, store } = await servicesFromConfig(config, db.connection);
  return { url: baseUrl(running.server), config, db, services, store, running };
}

/**
 * Only the admin router, with its tunables overridden (short timeouts, a low attempt limit), on its
 * own server: for the tests that would otherwise wait hours. Same services and database as above.
 */
export async function startAdminRouter(overrides: Partial<AdminOptions>, env: Env = {}): Promise<{ url: string; services: Services; db: TestDatabase }> {
  const db = await useTestDatabase();
  const config = testConfig(db, env);
  const { services } = await servicesFromConfig(config, db.connection);
  const app = express();
  app.set('trust proxy', config.http.trustProxy);
  app.use('/admin', adminRouter({ config, logger: createLogger('silent'), services, mongo: { engine: 'test', connection: db.connection } }, overrides));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: baseUrl(server), services, db };
}
