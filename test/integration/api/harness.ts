// The real app on an ephemeral port through main's start() (the path `npm start` takes), on the
// shared test engine with a fresh database, a clock the test moves, and ADMIN_API_TOKEN set. A
// second connection to the same database lets tests check what was (not) written.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type mongoose from 'mongoose';
import { inject } from 'vitest';
import { z } from 'zod';
import { loadConfig, type Env } from '../../../src/config.js';
import { connectMongo } from '../../../src/db/connect.js';
import { createLogger, type Logger } from '../../../src/logger.js';
import { start, type Running } from '../../../src/main.js';
import { TestClock } from '../../helpers/services.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const CONFIGURED_ADMIN = 'UADMIN01';

export interface Reply {
  status: number;
  json: unknown;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  token?: string | undefined;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (malformed JSON, other content types). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface ApiHarness {
  url: string;
  clock: TestClock;
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  /** Creates a token through the API with the admin token; returns it and its id. */
  token(kind: 'admin' | 'service' | 'user', userId?: string): Promise<{ token: string; id: string }>;
  /** Sets a user's settings through the API (PUT /budget/admin/configure). */
  configure(userId: string, settings: Record<string, unknown>): Promise<void>;
  /** Documents per collection, and every budget document: what "the database is unchanged" compares. */
  snapshot(): Promise<{ counts: Record<string, number>; budgets: unknown[] }>;
  stop(): Promise<void>;
}

const COLLECTIONS = ['budgets', 'usage_events', 'usage_daily', 'reset_log', 'settings_audit', 'notifications', 'model_prices', 'api_tokens'];

const createdToken = z.object({ id: z.string(), token: z.string() });

function baseUrl(server: Server | undefined): string {
  const address = server?.address();
  if (typeof address !== 'object' || address === null) throw new Error('server is not listening on a TCP port');
  return `http://127.0.0.1:${address.port}`;
}

export async function startApi(options: { now?: string; env?: Env; logger?: Logger } = {}): Promise<ApiHarness> {
  const dbName = `test_api_${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    MONGODB_URI: inject('mongoUri'),
    MONGODB_DB_NAME: dbName,
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    ADMIN_SLACK_USER_IDS: CONFIGURED_ADMIN,
    // High enough never to interfere; the rate-limit test sets its own.
    API_RATE_LIMIT_PER_MINUTE: '100000',
    ...options.env,
  });
  const clock = new TestClock(new Date(options.now ?? '2025-06-16T00:00:00Z'));
  const running: Running = await start(config, options.logger ?? createLogger('silent'), { clock: clock.now });
  const inspect: mongoose.Connection = await connectMongo(inject('mongoUri'), dbName);
  const url = `${baseUrl(running.server)}/api/v1`;

  const call: ApiHarness['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON (the docs page, or a bug the test will point out).
      json = null;
    }
    return { status: res.status, json, text, headers: res.headers };
  };

  const harness: ApiHarness = {
    url,
    clock,
    call,
    async token(kind, userId) {
      const res = await call('POST', '/admin/tokens', { token: ADMIN_TOKEN, body: userId === undefined ? { kind } : { kind, user_id: userId } });
      if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${res.text}`);
      return createdToken.parse(res.json);
    },
    async configure(userId, settings) {
      const res = await call('PUT', '/budget/admin/configure', { token: ADMIN_TOKEN, body: { target_user_id: userId, ...settings } });
      if (res.status !== 200) throw new Error(`configure failed: ${res.status} ${res.text}`);
    },
    async snapshot() {
      const counts = await Promise.all(COLLECTIONS.map((name) => inspect.collection(name).countDocuments()));
      const budgets = await inspect.collection('budgets').find({}).sort({ _id: 1 }).toArray();
      return { counts: Object.fromEntries(COLLECTIONS.map((name, i) => [name, counts[i] ?? 0])), budgets };
    },
    async stop() {
      await inspect.close();
      await running.stop();
    },
  };
  return harness;
}

/** The documented error shape, exactly: {"error":{"code","message","details"}}, details present (maybe null). */
export const errorShape = z.strictObject({
  error: z
    .strictObject({ code: z.string().min(1), message: z.string().min(1), details: z.unknown() })
    .refine((e) => 'details' in e, 'details must be present'),
});

/** The error code of a reply, after checking the reply has the error shape. */
export function errorCode(reply: Reply): string {
  return errorShape.parse(reply.json).error.code;
}
