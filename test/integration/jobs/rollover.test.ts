// The rollover sweep, run the way several workers run it: three service instances, each on its own
// connection to one database, sweeping at the same moment (and reads rolling over at the same time).
import { beforeAll, describe, expect, it } from 'vitest';
import { sweepRollovers, type RolloverSweepReport } from '../../../src/jobs/rolloverSweep.js';
import { createServices } from '../../../src/services/index.js';
import { ADMIN_ID, USD, useServices, type ServiceFixture } from '../../helpers/services.js';
import { memoryLogger, startWorkers, type Worker } from './workers.js';

const admin = { kind: 'admin', id: 'test' } as const;
const { logger } = memoryLogger();

let f: ServiceFixture;
let workers: Worker[];
beforeAll(async () => {
  f = await useServices('2025-06-01T12:00:00Z');
  workers = await startWorkers(f.db, f.clock, 3);
});

/** Three workers sweep at once; returns their reports. */
async function sweepTogether(): Promise<RolloverSweepReport[]> {
  return Promise.all(workers.map((w) => sweepRollovers({ budgets: w.store.budgets, loader: w.services.loader, clock: f.clock.now, logger })));
}

/** The service context of the test's own services, to build a variant of them. */
function fixtureContext() {
  return {
    store: f.store,
    clock: f.clock.now,
    adminUserIds: new Set([ADMIN_ID]),
    defaults: { limitMicros: 50 * USD, timezone: 'UTC', fallbackModel: 'ollama/llama3.1' },
  };
}

async function automaticResets(userId: string) {
  return (await f.store.resets.page(userId, 10, null)).items.filter((e) => e.kind === 'automatic');
}

async function resetNotifications(userId: string) {
  return (await f.store.outbox.list({ userId })).filter((n) => n.kind === 'reset');
}

const iso = (d: Date | undefined) => d?.toISOString();

describe('rollover sweep with three workers', () => {
  it('rolls over periods that ended in the past and that end now, not those that end in a minute; once each', async () => {
    // Created on 2025-06-01: monthly on the 10th → 2025-05-10 .. 2025-06-10 (ends long before the sweep).
    await f.services.settings.update(admin, 'UMONTH01', { periodAnchor: '2025-01-10' });
    await f.services.usage.record({ userId: 'UMONTH01', idempotencyKey: 'm1', model: 'gpt-4o', costMicros: 3 * USD });
    // Hidden budget, monthly from the 1st: 2025-06-01 .. 2025-07-01. It gets no "your budget has reset" DM.
    await f.services.settings.update(admin, 'UHIDDEN1', { budgetVisibleToUser: false });

    // Created on 2025-07-10: weekly on Tuesdays → 2025-07-08 .. 2025-07-15 (ends at midnight UTC).
    f.clock.set('2025-07-10T12:00:00Z');
    await f.services.settings.update(admin, 'UWEEK001', { periodType: 'weekly', periodAnchor: '2025-07-01' });
    await f.services.usage.record({ userId: 'UWEEK001', idempotencyKey: 'w1', model: 'gpt-4o', costMicros: 2 * USD });
    // Custom, every 10 days from 2025-07-05 → 2025-07-05 .. 2025-07-15 (also ends at midnight UTC).
    await f.services.settings.update(admin, 'UCUSTOM1', { periodType: 'custom', customPeriodDays: 10, periodAnchor: '2025-07-05' });
    // Monthly from the 1st in Tokyo (UTC+9): 2025-06-30T15:00Z .. 2025-07-31T15:00Z, far from the sweeps.
    await f.services.settings.update(admin, 'UTOKYO01', { timezone: 'Asia/Tokyo' });

    // One minute before midnight: the weekly and custom periods end in a minute and must stay.
    f.clock.set('2025-07-14T23:59:00Z');
    const first = await sweepTogether();
    expect(first.reduce((n, r) => n + r.rolledOver, 0)).toBe(2);
    expect(first.reduce((n, r) => n + r.failed, 0)).toBe(0);
    expect(await automaticResets('UWEEK001')).toHaveLength(0);
    expect(await automaticResets('UCUSTOM1')).toHaveLength(0);

    const month = await f.store.budgets.find('UMONTH01');
    // Periods nobody used are skipped: one rollover, straight to the period containing now.
    expect([iso(month?.periodStart), iso(month?.periodEnd)]).toEqual(['2025-07-10T00:00:00.000Z', '2025-08-10T00:00:00.000Z']);
    expect(month?.spentMicros).toBe(0);
    const monthResets = await automaticResets('UMONTH01');
    expect(monthResets).toHaveLength(1);
    expect(monthResets[0]).toMatchObject({ actorKind: 'system', actorId: 'scheduler', closedSeq: 0 });
    expect(monthResets[0]?.before.spentMicros).toBe(3 * USD);
    expect(iso(monthResets[0]?.before.periodEnd)).toBe('2025-06-10T00:00:00.000Z');
    const hidden = await f.store.budgets.find('UHIDDEN1');
    expect([iso(hidden?.periodStart), iso(hidden?.periodEnd)]).toEqual(['2025-07-01T00:00:00.000Z', '2025-08-01T00:00:00.000Z']);

    // Midnight: now the weekly and custom periods end. Three workers sweep while reads race them.
    f.clock.set('2025-07-15T00:00:00Z');
    const reads = ['UWEEK001', 'UCUSTOM1', 'UWEEK001', 'UCUSTOM1'].map((u, i) => workers[i % 3]!.services.status.status(admin, u));
    const [second] = await Promise.all([sweepTogether(), Promise.all(reads)]);
    expect(second.reduce((n, r) => n + r.failed, 0)).toBe(0);

    const week = await f.store.budgets.find('UWEEK001');
    expect([iso(week?.periodStart), iso(week?.periodEnd)]).toEqual(['2025-07-15T00:00:00.000Z', '2025-07-22T00:00:00.000Z']);
    const custom = await f.store.budgets.find('UCUSTOM1');
    expect([iso(custom?.periodStart), iso(custom?.periodEnd)]).toEqual(['2025-07-15T00:00:00.000Z', '2025-07-25T00:00:00.000Z']);
    const tokyo = await f.store.budgets.find('UTOKYO01');
    expect(tokyo?.periodSeq).toBe(0);

    // Exactly one automatic reset each, and one reset notification for each visible budget.
    for (const user of ['UMONTH01', 'UHIDDEN1', 'UWEEK001', 'UCUSTOM1']) {
      expect(await automaticResets(user), user).toHaveLength(1);
      expect((await f.store.budgets.find(user))?.periodSeq, user).toBe(1);
    }
    for (const user of ['UMONTH01', 'UWEEK001', 'UCUSTOM1']) {
      const notes = await resetNotifications(user);
      expect(notes, user).toHaveLength(1);
      expect(notes[0], user).toMatchObject({ periodSeq: 1, dmUser: true, status: 'pending' });
    }
    expect(await resetNotifications('UHIDDEN1')).toHaveLength(0);
    expect((await automaticResets('UWEEK001'))[0]?.before.spentMicros).toBe(2 * USD);

    // Sweeping again changes nothing.
    const third = await sweepTogether();
    expect(third.every((r) => r.rolledOver === 0 && r.closedElsewhere === 0)).toBe(true);
  });

  it('counts events recorded while the rollover runs in exactly one period', async () => {
    const user = 'URACE002';
    f.clock.set('2025-07-20T10:00:00Z'); // monthly from the 1st: 2025-07-01 .. 2025-08-01
    await f.services.usage.record({ userId: user, idempotencyKey: 'early', model: 'gpt-4o', costMicros: 5 * USD });

    // 30 calls made half a second before the end, on a worker whose ledger increments are slow:
    // each event is stored in the old period, and its $inc is held until the sweep is under way,
    // so it lands before or after the period closes (then in the closed period's late ledger).
    f.clock.set('2025-07-31T23:59:59.500Z');
    const cost = (i: number) => 10_000 + i;
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let waiting = 0;
    const slowBudgets = new Proxy(workers[0]!.store.budgets, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property !== 'addSpend') return value;
        return async (...args: Parameters<typeof target.addSpend>) => {
          waiting += 1;
          await gate;
          return target.addSpend(...args);
        };
      },
    });
    const slowWorker = createServices({ ...fixtureContext(), store: { ...workers[0]!.store, budgets: slowBudgets } });
    const before = Array.from({ length: 30 }, (_, i) => slowWorker.usage.record({ userId: user, idempotencyKey: `b-${i}`, model: 'gpt-4o', costMicros: cost(i) }));
    while (waiting < 30) await new Promise((resolve) => setTimeout(resolve, 5));

    // The end: three workers sweep, 30 new calls are recorded, and the held increments go ahead.
    f.clock.set('2025-08-01T00:00:00.500Z');
    const sweeps = sweepTogether();
    const after = Array.from({ length: 30 }, (_, i) =>
      workers[i % 3]!.services.usage.record({ userId: user, idempotencyKey: `a-${i}`, model: 'gpt-4o', costMicros: cost(100 + i) }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    openGate();
    await Promise.all([sweeps, ...before, ...after]);

    const events = await f.store.events.list({ userId: user });
    expect(events).toHaveLength(61);
    const total = events.reduce((s, e) => s + e.costMicros, 0);
    expect(total).toBe(5 * USD + Array.from({ length: 30 }, (_, i) => cost(i) + cost(100 + i)).reduce((a, b) => a + b, 0));

    const budget = await f.store.budgets.find(user);
    const entries = await automaticResets(user);
    expect(entries).toHaveLength(1);
    const entry = entries[0]!;
    // Every micro-dollar in exactly one ledger: the closed period's (kept on the budget, plus what
    // was reported after it closed) or the new one's.
    const closed = await f.store.budgets.ledgerOf(user, 0);
    expect((closed?.spentMicros ?? 0) + entry.lateSpentMicros + (budget?.spentMicros ?? 0)).toBe(total);
    const sumOf = (seq: number) => events.filter((e) => e.periodSeq === seq).reduce((s, e) => s + e.costMicros, 0);
    expect(sumOf(0)).toBe((closed?.spentMicros ?? 0) + entry.lateSpentMicros);
    // The log's figure is the spend at the moment the period closed; held increments may land after.
    expect(entry.before.spentMicros).toBeLessThanOrEqual(closed?.spentMicros ?? 0);
    expect(sumOf(1)).toBe(budget?.spentMicros);
    expect(events.filter((e) => e.placement === 'none')).toHaveLength(0);
    // Calls made before the end are in the old period; those made after it, in the new one.
    expect(events.filter((e) => e.idempotencyKey.startsWith('b-')).every((e) => e.periodSeq === 0)).toBe(true);
    expect(events.filter((e) => e.idempotencyKey.startsWith('a-')).every((e) => e.periodSeq === 1)).toBe(true);
  });
});
