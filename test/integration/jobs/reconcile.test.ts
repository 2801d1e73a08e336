// Reconciliation: drift injected the way a crash leaves it (an event whose ledger $inc never ran, a
// rollup off by some amount) is repaired and logged; correct ledgers are not written to; spend
// recorded while it runs is never overwritten.
import { beforeAll, describe, expect, it } from 'vitest';
import { reconcileLedgers } from '../../../src/jobs/reconcileLedgers.js';
import { AlertQueue } from '../../../src/services/alerts.js';
import { RECONCILE_SETTLE_MS, ReconcileService } from '../../../src/services/reconcile.js';
import { USD, useServices, type ServiceFixture } from '../../helpers/services.js';
import { memoryLogger } from './workers.js';

let f: ServiceFixture;
beforeAll(async () => {
  f = await useServices('2025-09-10T12:00:00Z');
});

const MINUTE = 60_000;

/** What a crash right after the event insert leaves: the event, but no ledger or rollup increment. */
async function insertEventOnly(userId: string, key: string, costMicros: number, recordedAt: Date) {
  const budget = await f.store.budgets.find(userId);
  if (!budget) throw new Error(`no budget for ${userId}`);
  await f.store.events.insertOnce({
    userId,
    idempotencyKey: key,
    provider: 'openai',
    model: 'gpt-4o',
    operation: 'chat',
    inputTokens: 100,
    outputTokens: 50,
    costMicros,
    costSource: 'reported',
    occurredAt: recordedAt,
    day: recordedAt.toISOString().slice(0, 10),
    periodSeq: budget.periodSeq,
    placement: 'current',
    recordedAt,
  });
}

/** A ledger off by some amount, as if an $inc had been applied twice. */
async function skewLedger(userId: string, delta: { spentMicros: number; eventCount: number }) {
  const budget = await f.store.budgets.find(userId);
  if (!budget || !(await f.store.budgets.adjustLedger(userId, budget, delta))) throw new Error(`could not skew ${userId}`);
}

async function ledgerMatchesEvents(userId: string) {
  const budget = await f.store.budgets.find(userId);
  const events = await f.store.events.list({ userId, periodSeq: budget?.periodSeq ?? -1 });
  const rollups = await f.store.rollups.list({ userId, periodSeq: budget?.periodSeq ?? -1 });
  const eventSum = events.reduce((s, e) => s + e.costMicros, 0);
  return {
    ledger: budget?.spentMicros,
    count: budget?.eventCount,
    events: eventSum,
    eventCount: events.length,
    rollups: rollups.reduce((s, r) => s + r.costMicros, 0),
    rollupCount: rollups.reduce((s, r) => s + r.count, 0),
  };
}

const record = (userId: string, key: string, costMicros: number) =>
  f.services.usage.record({ userId, idempotencyKey: key, provider: 'openai', model: 'gpt-4o', costMicros, inputTokens: 100, outputTokens: 50 });

describe('reconciliation', () => {
  it('repairs an event whose ledger $inc never happened and a rollup that is off, logs each repair, and leaves correct users alone', async () => {
    f.clock.set('2025-09-10T12:00:00Z');
    await record('UDRIFT01', 'd1', 4 * USD);
    await record('UDRIFT01', 'd2', 1 * USD);
    await record('UCLEAN01', 'c1', 2 * USD);
    // The crash: an event from 09:00 that was inserted and never counted anywhere.
    await insertEventOnly('UDRIFT01', 'lost', 17 * USD, new Date('2025-09-10T09:00:00Z'));
    // And some rollup of the same user off by $0.25 (a lost rollup $inc of an earlier day, say).
    await f.store.rollups.add(
      { userId: 'UDRIFT01', periodSeq: 0, day: '2025-09-10', provider: 'openai', model: 'gpt-4o', operation: 'chat' },
      { costMicros: -250_000, inputTokens: 0, outputTokens: 0, count: 0 },
    );
    const cleanBefore = await f.store.budgets.find('UCLEAN01');

    // Recent recordings are left alone until they have settled.
    const early = await f.services.reconcile.reconcileUser('UDRIFT01');
    expect(early.outcome).toBe('deferred');

    f.clock.advance(RECONCILE_SETTLE_MS + MINUTE);
    const { logger, lines } = memoryLogger();
    f.db.commands.reset();
    const report = await reconcileLedgers({ reconcile: f.services.reconcile, retentionDays: 400, logger });
    expect(report).toMatchObject({ checked: 2, repaired: 1, deferred: 0, failed: 0 });

    expect(await ledgerMatchesEvents('UDRIFT01')).toEqual({ ledger: 22 * USD, count: 3, events: 22 * USD, eventCount: 3, rollups: 22 * USD, rollupCount: 3 });
    // Every repair is logged as a warning, with what it was and what it became.
    const ledgerLog = lines.find((l) => l.msg === 'Reconciliation repaired the ledger: it did not match the usage events');
    expect(ledgerLog).toMatchObject({ level: 40, userId: 'UDRIFT01', periodSeq: 0, spentBeforeMicros: 5 * USD, spentAfterMicros: 22 * USD, countBefore: 2, countAfter: 3 });
    const rollupLogs = lines.filter((l) => l.msg === 'Reconciliation repaired a daily rollup: it did not match the usage events');
    expect(rollupLogs).toHaveLength(1);
    expect(rollupLogs[0]).toMatchObject({ userId: 'UDRIFT01', day: '2025-09-10', model: 'gpt-4o', delta: { costMicros: 17_250_000, count: 1, inputTokens: 100, outputTokens: 50 } });

    // The correct user: read, never written.
    expect(await f.store.budgets.find('UCLEAN01')).toEqual(cleanBefore);
    const writes = f.db.commands.names.filter((n) => ['update', 'findAndModify', 'insert', 'delete'].includes(n));
    // Only the repairs of UDRIFT01: the ledger, the alert it made due (outbox insert + claim), the rollup.
    expect(writes).toEqual(['update', 'insert', 'update', 'update']);

    // The repair pushed UDRIFT01 from 10 % to 44 %: the yellow alert is owed, once.
    const alerts = (await f.store.outbox.list({ userId: 'UDRIFT01' })).filter((n) => n.kind === 'threshold');
    expect(alerts.map((n) => n.level)).toEqual(['yellow']);

    // A second run finds nothing to do.
    const again = await reconcileLedgers({ reconcile: f.services.reconcile, retentionDays: 400, logger });
    expect(again).toMatchObject({ checked: 2, repaired: 0 });
  });

  it('repairs a ledger that is too high and removes a rollup with no events behind it', async () => {
    f.clock.set('2025-09-11T08:00:00Z');
    await record('UHIGH001', 'h1', 3 * USD);
    await skewLedger('UHIGH001', { spentMicros: 2 * USD, eventCount: 1 });
    const ghost = { userId: 'UHIGH001', periodSeq: 0, day: '2025-09-02', provider: 'anthropic', model: 'claude-x', operation: 'chat' };
    await f.store.rollups.add(ghost, { costMicros: 123, inputTokens: 1, outputTokens: 2, count: 1 });

    f.clock.advance(RECONCILE_SETTLE_MS + MINUTE);
    const result = await f.services.reconcile.reconcileUser('UHIGH001');
    expect(result.outcome).toBe('repaired');
    expect(result.ledger).toEqual({ spentBefore: 5 * USD, spentAfter: 3 * USD, countBefore: 2, countAfter: 1 });
    expect(result.rollups).toEqual([{ ...ghost, delta: { costMicros: -123, inputTokens: -1, outputTokens: -2, count: -1 }, removed: true }]);
    expect((await f.store.rollups.list({ userId: 'UHIGH001' })).map((r) => r.day)).toEqual(['2025-09-11']);
    expect(await ledgerMatchesEvents('UHIGH001')).toMatchObject({ ledger: 3 * USD, count: 1, rollups: 3 * USD, rollupCount: 1 });
  });

  // The worst moments: 20 recordings start right after reconciliation has summed the events, so
  // their increments land around its repairs ('start'), or are all done before it repairs ('finish').
  // Each repair either lands first (the recordings add on top) or finds the ledger changed and
  // leaves it to the next run. Either way nothing is lost or counted twice.
  it.each([
    ['start', 'UBUSY001', ['repaired', 'deferred']],
    ['finish', 'UBUSY002', ['deferred']],
  ] as const)('never overwrites spend recorded while it runs (recordings %s during the repair)', async (mode, user, expected) => {
    f.clock.set('2025-09-12T08:00:00Z');
    await record(user, `${user}-0`, 1 * USD);
    await insertEventOnly(user, `${user}-lost`, 6 * USD, new Date('2025-09-12T07:00:00Z'));
    f.clock.advance(RECONCILE_SETTLE_MS + MINUTE);

    const recordings: Promise<unknown>[] = [];
    const events = new Proxy(f.store.events, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property !== 'periodTotalsByDay') return value;
        return async (...args: Parameters<typeof target.periodTotalsByDay>) => {
          const totals = await target.periodTotalsByDay(...args);
          for (let i = 0; i < 20; i++) recordings.push(record(user, `${user}-${i + 1}`, 1_000 + i));
          if (mode === 'finish') await Promise.all(recordings);
          return totals;
        };
      },
    });
    const racing = new ReconcileService({ store: { ...f.store, events }, clock: f.clock.now }, new AlertQueue({ store: f.store, clock: f.clock.now }));
    const outcome = await racing.reconcileUser(user);
    await Promise.all(recordings);
    expect(expected).toContain(outcome.outcome);

    // Once things settle, one more run leaves everything exact.
    f.clock.advance(RECONCILE_SETTLE_MS + MINUTE);
    await f.services.reconcile.reconcileUser(user);
    const state = await ledgerMatchesEvents(user);
    expect(state.events).toBe(7 * USD + Array.from({ length: 20 }, (_, i) => 1_000 + i).reduce((a, b) => a + b, 0));
    expect(state).toEqual({ ledger: state.events, count: 22, events: state.events, eventCount: 22, rollups: state.events, rollupCount: 22 });
    expect((await f.services.reconcile.reconcileUser(user)).outcome).toBe('ok');
  });

  it('repairs once when two workers reconcile the same user at the same moment', async () => {
    f.clock.set('2025-09-12T10:00:00Z');
    await record('UTWICE01', 't1', 1 * USD);
    await insertEventOnly('UTWICE01', 't-lost', 2 * USD, new Date('2025-09-12T09:00:00Z'));
    await f.store.rollups.add(
      { userId: 'UTWICE01', periodSeq: 0, day: '2025-09-12', provider: 'openai', model: 'gpt-4o', operation: 'chat' },
      { costMicros: 5, inputTokens: 0, outputTokens: 0, count: 0 },
    );
    f.clock.advance(RECONCILE_SETTLE_MS + MINUTE);
    const both = await Promise.all([f.services.reconcile.reconcileUser('UTWICE01'), f.services.reconcile.reconcileUser('UTWICE01')]);
    // Each repair is applied by one of them (one may do the ledger, the other the rollup).
    expect(both.filter((r) => r.ledger !== null)).toHaveLength(1);
    expect(both.flatMap((r) => r.rollups)).toHaveLength(1);
    expect(await ledgerMatchesEvents('UTWICE01')).toMatchObject({ ledger: 3 * USD, count: 2, rollups: 3 * USD, rollupCount: 2 });
  });

  it('skips a period that started before the retention horizon (its events may be gone, not its spend)', async () => {
    f.clock.set('2025-09-13T08:00:00Z');
    await f.services.settings.update({ kind: 'admin', id: 'test' }, 'ULONG001', { periodType: 'custom', customPeriodDays: 366, periodAnchor: '2025-01-01' });
    await record('ULONG001', 'long-1', 1 * USD);
    await skewLedger('ULONG001', { spentMicros: 9 * USD, eventCount: 3 });
    f.clock.advance(RECONCILE_SETTLE_MS + MINUTE);
    const result = await f.services.reconcile.reconcileUser('ULONG001', { retentionDays: 30 });
    expect(result).toMatchObject({ outcome: 'skipped', ledger: null });
    expect((await f.store.budgets.find('ULONG001'))?.spentMicros).toBe(10 * USD);
  });

  it('leaves users without a budget, or whose period has ended, to others', async () => {
    expect(await f.services.reconcile.reconcileUser('UNOBODY1')).toMatchObject({ outcome: 'skipped', reason: 'no budget' });
    f.clock.set('2025-10-02T00:00:00Z');
    const ended = await f.services.reconcile.reconcileUser('UDRIFT01');
    expect(ended).toMatchObject({ outcome: 'skipped', periodSeq: 0 });
  });
});
