// Several "workers" on one test database: each its own connection, store and services, sharing the
// test's clock, the way separate worker processes share one MongoDB.
import { Writable } from 'node:stream';
import type mongoose from 'mongoose';
import { afterAll } from 'vitest';
import { connectMongo } from '../../../src/db/connect.js';
import { createLogger } from '../../../src/logger.js';
import { createServices, type Services } from '../../../src/services/index.js';
import { createStore, type Store } from '../../../src/store/index.js';
import type { TestDatabase } from '../../helpers/db.js';
import { ADMIN_ID, USD, type TestClock } from '../../helpers/services.js';

export interface Worker {
  connection: mongoose.Connection;
  store: Store;
  services: Services;
}

const opened: mongoose.Connection[] = [];
afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
});

export async function startWorkers(db: TestDatabase, clock: TestClock, count: number): Promise<Worker[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const connection = await connectMongo(db.uri, db.dbName);
      opened.push(connection);
      const store = createStore(connection);
      await store.init();
      const services = createServices({
        store,
        clock: clock.now,
        adminUserIds: new Set([ADMIN_ID]),
        defaults: { limitMicros: 50 * USD, timezone: 'UTC', fallbackModel: 'ollama/llama3.1' },
      });
      return { connection, store, services };
    }),
  );
}

/** A logger that keeps its lines, so tests can assert on what was logged. */
export function memoryLogger(level: 'debug' | 'info' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const parsed: unknown = JSON.parse(chunk.toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null) lines.push({ ...parsed });
      done();
    },
  });
  const logger = createLogger(level, sink);
  return { logger, lines, messages: () => lines.map((l) => String(l.msg)) };
}
