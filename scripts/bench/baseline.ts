// The baseline: the raw MongoDB driver sending the same database commands as one app request,
// on the same engine, with the same number of requests in flight. The app's throughput divided
// by this one is the figure that counts on a noisy machine.
import { MongoClient, ObjectId, type Db } from 'mongodb';
import type { Extent } from './load.js';

export interface BaselineResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  operations: number;
  /** CPU (user + system) this process spent per operation: the driver's own cost, in µs. */
  cpuMicrosPerOperation: number;
}

/** One "request": the commands the app sends for it, against the baseline database. */
export type BaselineOperation = (db: Db, seq: number) => Promise<void>;

export async function runBaseline(uri: string, dbName: string, operation: BaselineOperation, concurrency: number, extent: Extent): Promise<BaselineResult> {
  const client = new MongoClient(uri, { maxPoolSize: concurrency });
  await client.connect();
  try {
    const db = client.db(dbName);
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
    return { requestsPerSec: operations / elapsed, p50Ms: at(0.5), p99Ms: at(0.99), operations, cpuMicrosPerOperation: (cpu.user + cpu.system) / Math.max(operations, 1) };
  } finally {
    await client.close();
  }
}

/** Seeds the baseline database with budgets shaped like the app's (the documents' size matters). */
export async function seedBaseline(uri: string, dbName: string, users: number): Promise<void> {
  const client = new MongoClient(uri);
  await client.connect();
  try {
    const db = client.db(dbName);
    await db.collection('usage_events').createIndex({ userId: 1, idempotencyKey: 1 }, { unique: true });
    await db.collection('usage_daily').createIndex({ userId: 1, periodSeq: 1, day: 1, provider: 1, model: 1, operation: 1 }, { unique: true });
    const now = new Date();
    await db.collection<{ _id: string }>('budgets').insertMany(
      Array.from({ length: users }, (_, i) => ({
        _id: baselineUser(i),
        limitMicros: 10_000_000_000,
        spentMicros: 0,
        eventCount: 0,
        periodSeq: 0,
        periodStart: now,
        periodEnd: new Date(now.getTime() + 30 * 86_400_000),
        thresholds: { yellow: 40, orange: 70, red: 90 },
        alertsClaimed: [],
        timezone: 'UTC',
        settingsVersion: 0,
      })),
    );
  } finally {
    await client.close();
  }
}

export const baselineUser = (i: number): string => `UBASE${String(i).padStart(5, '0')}`;

/** check and status: one read of the budget. */
export const readBudget =
  (users: number): BaselineOperation =>
  async (db, seq) => {
    await db.collection<{ _id: string }>('budgets').findOne({ _id: baselineUser(seq % users) });
  };

/** One usage event: read the budget, insert the event, $inc the ledger and upsert the rollup. */
export const recordEvent =
  (users: number, prefix: string): BaselineOperation =>
  async (db, seq) => {
    const userId = baselineUser(seq % users);
    const budgets = db.collection<{ _id: string }>('budgets');
    await budgets.findOne({ _id: userId });
    await db.collection('usage_events').insertOne({
      _id: new ObjectId(),
      userId,
      idempotencyKey: `${prefix}-${seq}`,
      provider: 'openai',
      model: 'gpt-4o',
      operation: 'chat',
      inputTokens: 1000,
      outputTokens: 200,
      costMicros: 4_500,
      occurredAt: new Date(),
      day: '2026-01-01',
      periodSeq: 0,
      placement: 'current',
      recordedAt: new Date(),
    });
    await Promise.all([
      budgets.findOneAndUpdate({ _id: userId, periodSeq: 0 }, { $inc: { spentMicros: 4_500, eventCount: 1 } }, { returnDocument: 'after' }),
      db
        .collection('usage_daily')
        .updateOne(
          { userId, periodSeq: 0, day: '2026-01-01', provider: 'openai', model: 'gpt-4o', operation: 'chat' },
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
