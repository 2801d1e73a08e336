// The scaling rows: status and check latency against the events a user has recorded (flat: they
// read one document), and recording latency against the number of users, beside the raw driver
// doing the same writes (its growth is the test engine's).
import { randomBytes } from 'node:crypto';
import { startApp } from './appProcess.js';
import { recordEvent, runBaseline, seedBaseline, type BaselineResult } from './baseline.js';
import { runLoad, type Extent, type LoadRequest } from './load.js';
import type { ScalingRow } from './report.js';
import { postInBatches, setUp } from './setup.js';

export interface ScalingContext {
  mongoUri: string;
  /** The app's environment on a database of its own. */
  appEnv(label: string): Record<string, string>;
  adminToken: string;
  readSeconds: number;
}

/** Scaling rows compare latencies, not throughput: a light load. */
const SCALING_CONNECTIONS = 10;
const SCALING_RECORDS = 500;

/** Latency against history size and user count: a hot path of constant cost stays flat. */
export async function scalingRows(ctx: ScalingContext): Promise<ScalingRow[]> {
  const reads: Extent = { seconds: ctx.readSeconds };
  const rows = await readScaling(ctx, reads);
  // Each record run gets a fresh app and database, whose users already exist: only their number
  // differs, not what earlier runs left in the engine.
  const tenUsers = await recordLatency(ctx, 10);
  const thousandUsers = await recordLatency(ctx, 1000);
  // The same writes by the raw driver: how much of the difference is the engine's.
  const baselineP50Ms = { small: (await baselineRecordLatency(ctx, 10)).p50Ms, large: (await baselineRecordLatency(ctx, 1000)).p50Ms };
  rows.push({ name: 'record vs users', small: { label: '10 users', ...tenUsers }, large: { label: '1,000 users', ...thousandUsers }, baselineP50Ms });
  return rows;
}

/** The raw driver recording events for `users` users who each have one already, like recordLatency. */
async function baselineRecordLatency(ctx: ScalingContext, users: number): Promise<BaselineResult> {
  const db = `bench_base_${randomBytes(3).toString('hex')}`;
  await seedBaseline(ctx.mongoUri, db, users);
  await runBaseline(ctx.mongoUri, db, recordEvent(users, 'first'), SCALING_CONNECTIONS, { requests: users });
  return runBaseline(ctx.mongoUri, db, recordEvent(users, 'scale'), SCALING_CONNECTIONS, { requests: SCALING_RECORDS });
}

async function readScaling(ctx: ScalingContext, reads: Extent): Promise<ScalingRow[]> {
  const app = await startApp(ctx.appEnv('scaling'));
  try {
    const headers = await setUp(app.baseUrl, ctx.adminToken, 0);
    for (const [who, count] of [
      ['UFEW0001', 10],
      ['UMANY001', 2000],
    ] as const) {
      const events = Array.from({ length: count }, (_, i) => ({ user_id: who, idempotency_key: `hist-${i}`, model: 'gpt-4o', cost_usd: 0.001, operation: `op-${i % 9}` }));
      await postInBatches(app.baseUrl, headers, events);
    }
    const status = (who: string): LoadRequest => ({ method: 'GET', path: `/api/v1/budget/status?user_id=${who}`, headers: headers.service });
    const check = (who: string): LoadRequest => ({ method: 'POST', path: '/api/v1/budget/check', headers: headers.service, body: () => JSON.stringify({ user_id: who, model: 'gpt-4o', estimated_cost_usd: 0.01 }) });
    const row = async (name: string, small: [string, LoadRequest], large: [string, LoadRequest]): Promise<ScalingRow> => {
      const s = await runLoad(app.baseUrl, small[1], SCALING_CONNECTIONS, reads);
      const l = await runLoad(app.baseUrl, large[1], SCALING_CONNECTIONS, reads);
      return { name, small: { label: small[0], p50Ms: s.p50Ms, p99Ms: s.p99Ms }, large: { label: large[0], p50Ms: l.p50Ms, p99Ms: l.p99Ms } };
    };
    return [
      await row('status vs events recorded', ['10 events', status('UFEW0001')], ['2,000 events', status('UMANY001')]),
      await row('check vs events recorded', ['10 events', check('UFEW0001')], ['2,000 events', check('UMANY001')]),
    ];
  } finally {
    await app.stop();
  }
}

/** p50 and p99 of recording one event, spread over `users` users who already exist. */
async function recordLatency(ctx: ScalingContext, users: number): Promise<{ p50Ms: number; p99Ms: number }> {
  const app = await startApp(ctx.appEnv(`scaling${users}`));
  try {
    const headers = await setUp(app.baseUrl, ctx.adminToken, 0);
    const who = (i: number) => `USCALE${String(i % users).padStart(4, '0')}`;
    await postInBatches(app.baseUrl, headers, Array.from({ length: users }, (_, i) => ({ user_id: who(i), idempotency_key: `first-${i}`, model: 'gpt-4o', cost_usd: 0.001 })));
    const record: LoadRequest = {
      method: 'POST',
      path: '/api/v1/usage',
      headers: headers.service,
      body: (n) => JSON.stringify({ user_id: who(n), idempotency_key: `scale-${n}`, model: 'gpt-4o', cost_usd: 0.001 }),
    };
    const load = await runLoad(app.baseUrl, record, SCALING_CONNECTIONS, { requests: SCALING_RECORDS });
    return { p50Ms: load.p50Ms, p99Ms: load.p99Ms };
  } finally {
    await app.stop();
  }
}
