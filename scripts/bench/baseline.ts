// The baseline: the raw MongoDB driver sending the same database commands as one app request,
// on the same engine, with the same number of requests in flight. The app's throughput divided
// by this one is the figure that counts on a noisy machine.
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { loadConfig } from '../../src/config.js';
import { connectMongo } from '../../src/db/connect.js';
import type { Actor } from '../../src/domain/actor.js';
import { servicesFromConfig } from '../../src/services/fromConfig.js';
import type { Extent } from './load.js';
import { BENCH_LIMIT_MICROS, benchUser } from './setup.js';

export interface BaselineResult {
  requestsPerSec: number;
  /** How long the run took. */
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  operations: number;
  /** CPU (user + system) this process spent per operation: the driver's own cost, in µs. */
  cpuMicrosPerOperation: number;
}

/** One "request": the commands the app sends for it, against the baseline database. */
export type BaselineOperation = (db: Db, seq: number) => Promise<void>;

/** A raw-driver client on the baseline database, kept open across rounds like the app's pool. */
export interface Baseline {
  run(operation: BaselineOperation, extent: Extent): Promise<BaselineResult>;
  close(): Promise<void>;
}

export async function openBaseline(uri: string, dbName: string, concurrency: number): Promise<Baseline> {
  const client = new MongoClient(uri, { maxPoolSize: concurrency });
  await client.connect();
  const db = client.db(dbName);
  return { run: (operation, extent) => runOperations(db, operation, concurrency, extent), close: () => client.close() };
}

/** One run on a client of its own (the scaling rows), closed afterwards. */
export async function runBaseline(uri: string, dbName: string, operation: BaselineOperation, concurrency: number, extent: Extent): Promise<BaselineResult> {
  const baseline = await openBaseline(uri, dbName, concurrency);
  try {
    return await baseline.run(operation, extent);
  } finally {
    await baseline.close();
  }
}

async function runOperations(db: Db, operation: BaselineOperation, concurrency: number, extent: Extent): Promise<BaselineResult> {
  let seq = 0;
  const latencies: number[] = [];
  const deadline = 'seconds' in extent ? performance.now() + extent.seconds * 1000 : Infinity;
  const total = 'requests' in extent ? extent.requests : Infinity;
  const worker = async () => {
    while (performance.now() < deadline && seq < total) {
      const started = performance.now();
      await operation(db, seq++);
      latencies.push(performance.now() - started);
    }
  };
  const began = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const operations = latencies.length;
  return { requestsPerSec: operations / elapsed, seconds: elapsed, p50Ms: at(0.5), p99Ms: at(0.99), operations, cpuMicrosPerOperation: (cpu.user + cpu.system) / Math.max(operations, 1) };
}

/**
 * Seeds the baseline database as the app's own set-up does (setup.ts, through the API): the app's
 * store builds its collections' indexes, and the settings service writes each user's budget. The
 * baseline then reads and writes documents of the same shape, under the same indexes, which is
 * what the test engine's costs depend on.
 */
export async function seedBaseline(uri: string, dbName: string, users: number): Promise<void> {
  const connection = await connectMongo(uri, dbName);
  try {
    const config = loadConfig({ MONGODB_URI: uri, MONGODB_DB_NAME: dbName, LOG_LEVEL: 'silent' });
    const { services } = await servicesFromConfig(config, connection);
    for (let i = 0; i < users; i++) await services.settings.update(SEEDER, benchUser(i), { limitMicros: BENCH_LIMIT_MICROS });
  } finally {
    await connection.close();
  }
}

const SEEDER: Actor = { kind: 'admin', id: 'bench' };

type BudgetDoc = { _id: string; periodSeq: number };

/** check and status: one read of the budget. */
export const readBudget =
  (users: number): BaselineOperation =>
  async (db, seq) => {
    await db.collection<BudgetDoc>('budgets').findOne({ _id: benchUser(seq % users) });
  };

/**
 * One usage event, the four commands the app sends (seen with command monitoring): read the
 * budget, insert the event, then side by side the ledger's $inc on the budget and the daily
 * rollup's upsert.
 */
export const recordEvent =
  (users: number, prefix: string): BaselineOperation =>
  async (db, seq) => {
    const userId = benchUser(seq % users);
    const budgets = db.collection<BudgetDoc>('budgets');
    const budget = await budgets.findOne({ _id: userId });
    const periodSeq = budget?.periodSeq ?? 0;
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    await db.collection('usage_events').insertOne({
      userId,
      idempotencyKey: `${prefix}-${seq}`,
      provider: 'openai',
      model: 'gpt-4o',
      operation: 'chat',
      inputTokens: 1000,
      outputTokens: 200,
      costMicros: 4_500,
      costSource: 'price_table',
      occurredAt: now,
      day,
      periodSeq,
      placement: 'current',
      recordedAt: now,
      _id: new ObjectId(),
    });
    await Promise.all([
      budgets.findOneAndUpdate({ _id: userId }, { $inc: { [`spent.s${periodSeq}`]: 4_500, [`events.s${periodSeq}`]: 1 } }, { returnDocument: 'after' }),
      db
        .collection('usage_daily')
        .updateOne(
          { userId, periodSeq, day, provider: 'openai', model: 'gpt-4o', operation: 'chat' },
          { $inc: { costMicros: 4_500, inputTokens: 1000, outputTokens: 200, count: 1 } },
          { upsert: true },
        ),
    ]);
  };

/** A batch of `size` events: the same commands as `size` single events. */
export const recordBatch =
  (users: number, prefix: string, size: number): BaselineOperation =>
  async (db, seq) => {
    const one = recordEvent(users, prefix);
    await Promise.all(Array.from({ length: size }, (_, i) => one(db, seq * size + i)));
  };
