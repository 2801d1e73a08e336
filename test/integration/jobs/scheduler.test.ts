// The real Agenda loop, with intervals of a few hundred milliseconds instead of minutes: jobs run on
// their own, two workers share them without running one twice at once, and stop() drains running
// jobs and leaves no lock behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENDA_COLLECTION, startScheduler, type Scheduler, type SchedulerOptions } from '../../../src/jobs/scheduler.js';
import type { Deliverer } from '../../../src/jobs/registry.js';
import { useServices, type ServiceFixture } from '../../helpers/services.js';
import { memoryLogger } from './workers.js';

const FAST: SchedulerOptions = {
  processEveryMs: 100,
  everyMs: { 'rollover-sweep': 150, 'notification-delivery': 100, reconciliation: 200, retention: 300 },
  drainTimeoutMs: 3_000,
};

let f: ServiceFixture;
const started: Scheduler[] = [];
beforeAll(async () => {
  f = await useServices('2025-11-03T10:00:00Z');
});
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

/** A deliverer that takes `ms` per call and records how many calls overlapped. */
function slowDeliverer(ms: number) {
  const state = { calls: 0, finished: 0, inFlight: 0, maxInFlight: 0 };
  const deliverer: Deliverer = {
    async deliverDue() {
      state.calls += 1;
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      state.inFlight -= 1;
      state.finished += 1;
      return { sent: 0, skipped: 0, retried: 0 };
    },
  };
  return { deliverer, state };
}

async function start(deliverer: Deliverer | null, options: SchedulerOptions = FAST, logger = memoryLogger('debug').logger): Promise<Scheduler> {
  const scheduler = await startScheduler({
    connection: f.db.connection,
    logger,
    deps: { store: f.store, services: f.services, clock: f.clock.now, retentionDays: 400, deliverer },
    options,
  });
  started.push(scheduler);
  return scheduler;
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const jobDocs = () => f.db.connection.collection(AGENDA_COLLECTION).find({}).toArray();

describe('scheduler on the real Agenda loop', () => {
  it('runs the jobs on schedule on two workers, one document per job, never one job twice at once', async () => {
    // A budget whose period ended while nobody looked: the sweep, not a read, must roll it over.
    await f.services.loader.load('USCHED01');
    f.clock.set('2025-12-01T00:00:05Z');
    const { deliverer, state } = slowDeliverer(40);
    const [a, b] = await Promise.all([start(deliverer), start(deliverer)]);
    expect(a.jobs).toEqual(['rollover-sweep', 'notification-delivery', 'reconciliation', 'retention']);

    await until('the sweep rolled USCHED01 over', async () => (await f.store.resets.page('USCHED01', 5, null)).items.length === 1);
    await until('several delivery runs', () => state.finished >= 6);
    // Both workers poll the same job; its lock lets one run at a time.
    expect(state.maxInFlight).toBe(1);
    const docs = await jobDocs();
    expect(docs.map((d) => String(d.name)).sort()).toEqual(['notification-delivery', 'reconciliation', 'retention', 'rollover-sweep']);
    expect((await f.store.resets.page('USCHED01', 5, null)).items[0]).toMatchObject({ kind: 'automatic', actorKind: 'system' });

    await Promise.all([a.stop(), b.stop()]);
    const calls = state.calls;
    expect(state.inFlight).toBe(0);
    // Stopped: nothing runs any more, and no lock is left behind for other workers to wait out.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(state.calls).toBe(calls);
    expect((await jobDocs()).filter((d) => d.lockedAt !== null && d.lockedAt !== undefined)).toEqual([]);
  });

  it('stop() waits for a running job to finish', async () => {
    const { deliverer, state } = slowDeliverer(800);
    const scheduler = await start(deliverer, { ...FAST, everyMs: { ...FAST.everyMs, 'notification-delivery': 50 } });
    await until('a delivery run in flight', () => state.inFlight === 1);
    const result = await scheduler.stop();
    expect(result).toMatchObject({ timedOut: false, running: 0 });
    expect(result.completed).toBeGreaterThanOrEqual(1);
    expect(state.inFlight).toBe(0);
    expect(state.finished).toBe(state.calls);
    expect((await jobDocs()).filter((d) => d.lockedAt !== null && d.lockedAt !== undefined)).toEqual([]);
  });

  it('stop() releases the lock of a job that outlives the drain timeout, so another worker can run it', async () => {
    const { deliverer, state } = slowDeliverer(2_500);
    const { logger, lines } = memoryLogger('debug');
    const scheduler = await start(deliverer, { ...FAST, drainTimeoutMs: 200 }, logger);
    await until('a delivery run in flight', () => state.inFlight === 1);
    const result = await scheduler.stop();
    expect(result).toMatchObject({ timedOut: true, running: 1 });
    expect(lines.find((l) => l.msg === 'Scheduler stopped')).toMatchObject({ timedOut: true, released: 1 });
    const delivery = (await jobDocs()).find((d) => d.name === 'notification-delivery');
    expect(delivery?.lockedAt ?? null).toBeNull();

    // Another worker picks the job up at once, while the first run is still finishing.
    const other = slowDeliverer(10);
    const next = await start(other.deliverer);
    await until('the other worker ran it', () => other.state.finished >= 1, 2_000);
    await next.stop();
    await until('the first run finished', () => state.inFlight === 0, 5_000);
  });

  it('does not schedule delivery without a deliverer (Slack not configured), and says so', async () => {
    const { logger, messages } = memoryLogger();
    const scheduler = await start(null, FAST, logger);
    expect(scheduler.jobs).toEqual(['rollover-sweep', 'reconciliation', 'retention']);
    expect(messages()).toContain('Notification delivery is not scheduled: Slack is not configured, so alerts wait in the outbox');
    await scheduler.stop();
  });
});
