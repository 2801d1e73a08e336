// The real app, started through main's start() on port 0 with Slack pointed at a fake Web API, plus
// a second set of services on the same database: what an integration reporting usage (or another
// process) would do, used to set up spend and to look at the results.
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type mongoose from 'mongoose';
import { inject } from 'vitest';
import { loadConfig, type Env } from '../../../../src/config.js';
import { connectMongo } from '../../../../src/db/connect.js';
import { createLogger } from '../../../../src/logger.js';
import { start, type Running, type StartOptions } from '../../../../src/main.js';
import { createServices, type Services } from '../../../../src/services/index.js';
import { createStore, type Store } from '../../../../src/store/index.js';
import { TestClock, USD } from '../../../helpers/services.js';
import type { FakeSlack } from '../../../helpers/fakeSlack.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-bot-token';

export interface SlackApp {
  running: Running;
  baseUrl: string;
  eventsUrl: string;
  services: Services;
  store: Store;
  clock: TestClock;
  connection: mongoose.Connection;
  stop(): Promise<void>;
}

function baseUrl(server: Server | undefined): string {
  const address = server?.address();
  if (typeof address !== 'object' || address === null) throw new Error('server is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}

export async function startSlackApp(fake: FakeSlack, env: Env = {}, options: StartOptions = {}): Promise<SlackApp> {
  const dbName = `test_slack_${randomBytes(4).toString('hex')}`;
  const clock = new TestClock(new Date());
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    MONGODB_URI: inject('mongoUri'),
    MONGODB_DB_NAME: dbName,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    ...env,
  });
  const running = await start(config, createLogger('silent'), { clock: clock.now, ...options });
  const connection = await connectMongo(inject('mongoUri'), dbName);
  const store = createStore(connection);
  const services = createServices({
    store,
    clock: clock.now,
    adminUserIds: new Set(config.admin.slackUserIds),
    defaults: { limitMicros: 50 * USD, timezone: 'UTC', fallbackModel: 'ollama/llama3.1' },
  });
  const url = baseUrl(running.server);
  return {
    running,
    baseUrl: url,
    eventsUrl: `${url}/slack/events`,
    services,
    store,
    clock,
    connection,
    async stop() {
      await running.stop();
      await connection.close();
    },
  };
}

/** Every piece of text in a message or view: its fallback text and each block's text, fields and elements. */
export function textOf(message: Record<string, unknown> | undefined): string {
  if (message === undefined) return '';
  const parts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') parts.push(value);
        else visit(value);
      }
    }
  };
  visit(message);
  return parts.join('\n');
}

/** p-th percentile (nearest rank) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[rank] ?? Number.NaN;
}
