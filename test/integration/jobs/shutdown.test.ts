// SIGTERM while a job runs, on a real worker process (src/main.ts): the job finishes (or, past the
// drain timeout, is released), HTTP and MongoDB close, and the process exits 0 in bounded time.
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENDA_COLLECTION } from '../../../src/jobs/scheduler.js';
import { useServices, type ServiceFixture } from '../../helpers/services.js';
import { startApp } from './processes.js';

let f: ServiceFixture;
const USERS = 300;
beforeAll(async () => {
  // Budgets on monthly periods of January 2025; the worker runs on today's clock, so every one of
  // them has ended and its first sweep has work to do when the signal arrives.
  f = await useServices('2025-01-10T12:00:00Z');
  for (let i = 0; i < USERS; i += 25) {
    await Promise.all(Array.from({ length: 25 }, (_, j) => f.services.loader.load(`USHUT${String(i + j).padStart(4, '0')}`)));
  }
}, 60_000);

const msgIs = (msg: string) => (line: Record<string, unknown>) => line.msg === msg;

describe('worker shutdown', () => {
  it('on SIGTERM during the rollover sweep: the sweep finishes or is released, and the process exits 0', async () => {
    const app = startApp({ ROLE: 'worker', MONGODB_URI: f.db.uri, MONGODB_DB_NAME: f.db.dbName, LOG_LEVEL: 'debug', NODE_ENV: 'test' });
    await app.waitForLine('the sweep to start', (l) => l.msg === 'Job started' && l.job === 'rollover-sweep', 30_000);
    const signalledAt = Date.now();
    app.signal('SIGTERM');

    const { code, signal } = await app.exited;
    const tookMs = Date.now() - signalledAt;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(20_000);

    const messages = app.lines.map((l) => String(l.msg));
    const stopped = app.lines.find(msgIs('Scheduler stopped'));
    expect(stopped).toBeDefined();
    // In order: the signal, no new jobs, the running sweep drained, then MongoDB closed, then exit.
    const at = (msg: string) => messages.indexOf(msg);
    expect(at('Shutting down')).toBeGreaterThan(at('Job started'));
    expect(at('Scheduler stopping: no new jobs; waiting for running ones')).toBeGreaterThan(at('Shutting down'));
    expect(at('Scheduler stopped')).toBeGreaterThan(at('Scheduler stopping: no new jobs; waiting for running ones'));
    expect(at('Stopped')).toBeGreaterThan(at('Scheduler stopped'));

    const sweep = await f.db.connection.collection(AGENDA_COLLECTION).findOne({ name: 'rollover-sweep' });
    // Finished or released: either way no lock is left for other workers to wait out.
    expect(sweep?.lockedAt ?? null).toBeNull();
    const resets = await f.db.connection.collection('reset_log').countDocuments();
    if (stopped?.timedOut === true) {
      expect(stopped).toMatchObject({ running: 1, released: 1 });
    } else {
      // It finished: every ended period was rolled over, once, before the process went.
      // (The other jobs, due at start too, may have been running and finished as well.)
      expect(stopped).toMatchObject({ running: 0, timedOut: false });
      expect(stopped?.completed).toEqual(expect.any(Number));
      expect(Number(stopped?.completed)).toBeGreaterThanOrEqual(1);
      expect(at('Rollover sweep done')).toBeLessThan(at('Scheduler stopped'));
      expect(resets).toBe(USERS);
    }
    expect(resets).toBeLessThanOrEqual(USERS);
  }, 60_000);
});
