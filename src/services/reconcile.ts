/**
 * Reconciliation: recomputes a user's current-period ledger (spend and event count on the budget)
 * and daily rollups from the usage events, and repairs any drift, e.g. after a crash between the
 * event insert and its ledger $inc.
 *
 * Why it cannot clobber spend recorded at the same time, nor count anything twice:
 * - Recording inserts the event first and increments the ledger and the rollup after it. So an
 *   event can exist whose increments are still on their way, but never the reverse.
 * - We read the ledger and the rollups first, then sum the events. An event recorded in between is
 *   among the sums but maybe not in what we read; such events are recent (recorded within
 *   `settleMs`), and when any exist the user is deferred to a later run instead of repaired.
 *   Events older than `settleMs` have had their increments land long ago, or never will (a crash).
 * - Each repair is an $inc of the difference, applied only if the ledger (or rollup) still holds
 *   what we read, and the ledger's only in the same period. A recording, another reconciliation
 *   (two workers) or a rollover in between turns the repair into a no-op: deferred to the next run.
 */
import { hasPeriodEnded, type BudgetRecord } from '../domain/budget.js';
import type { Micros } from '../domain/money.js';
import type { DayTotals, UsageEvent } from '../store/usageEvents.js';
import type { Rollup, RollupKey, RollupTotals } from '../store/usageRollups.js';
import type { AlertQueue } from './alerts.js';
import type { ServiceContext } from './context.js';
import { retentionHorizon } from './retention.js';

/** Longer than any recording takes between its event insert and its increments (driver retries included). */
export const RECONCILE_SETTLE_MS = 60_000;
/** Users with an event in this window are reconciled; two days, so a missed hourly run or two changes nothing. */
export const RECONCILE_LOOKBACK_MS = 48 * 3_600_000;

export interface LedgerRepair {
  spentBefore: Micros;
  spentAfter: Micros;
  countBefore: number;
  countAfter: number;
}

export interface RollupRepair extends RollupKey {
  /** What was added to the rollup (negative when it was too high). */
  delta: RollupTotals;
  /** True when the rollup had no events behind it and was removed. */
  removed: boolean;
}

export type ReconcileOutcome = 'ok' | 'repaired' | 'deferred' | 'skipped';

export interface Reconciliation {
  userId: string;
  periodSeq: number | null;
  outcome: ReconcileOutcome;
  /** Why a user was deferred or skipped, or why part of a repair did not happen. */
  reason: string | null;
  ledger: LedgerRepair | null;
  rollups: RollupRepair[];
}

export interface ReconcileOptions {
  /** Events recorded this recently may still have their increments in flight. */
  settleMs?: number;
}

const ZERO: RollupTotals = { costMicros: 0, inputTokens: 0, outputTokens: 0, count: 0 };

export class ReconcileService {
  private readonly settleMs: number;

  constructor(
    private readonly ctx: Pick<ServiceContext, 'store' | 'clock'>,
    private readonly alerts: AlertQueue,
    options: ReconcileOptions = {},
  ) {
    this.settleMs = options.settleMs ?? RECONCILE_SETTLE_MS;
  }

  /** The users worth reconciling: those with an event that occurred within `lookbackMs`. */
  async activeUsers(lookbackMs: number = RECONCILE_LOOKBACK_MS): Promise<string[]> {
    return this.ctx.store.events.userIdsActiveSince(new Date(this.ctx.clock().getTime() - lookbackMs));
  }

  /**
   * Checks one user's current period and repairs what has drifted. With `retentionDays`, a period
   * that started before the retention horizon is skipped: its events may be gone, not its spend.
   */
  async reconcileUser(userId: string, options: { retentionDays?: number } = {}): Promise<Reconciliation> {
    const { store, clock } = this.ctx;
    const now = clock();
    const budget = await store.budgets.find(userId);
    if (!budget) return result(userId, null, 'skipped', 'no budget');
    const seq = budget.periodSeq;
    if (hasPeriodEnded(budget, now)) return result(userId, seq, 'skipped', 'the period has ended; the rollover sweep closes it');
    if (options.retentionDays !== undefined && budget.periodStart < retentionHorizon(now, options.retentionDays)) {
      return result(userId, seq, 'skipped', 'the period started before the retention horizon, so some of its events may have been deleted');
    }

    // Order matters (see the top of the file): ledger and rollups first, events after.
    const rollups = await store.rollups.list({ userId, periodSeq: seq });
    const settledBefore = new Date(now.getTime() - this.settleMs);
    const events = await store.events.periodTotalsByDay(userId, seq, settledBefore);

    const expected = sumTotals(events.byDay);
    const ledgerDelta = { spentMicros: expected.costMicros - budget.spentMicros, eventCount: expected.count - budget.eventCount };
    const driftDays = daysThatDiffer(events.byDay, rollups);
    const ledgerDrifted = ledgerDelta.spentMicros !== 0 || ledgerDelta.eventCount !== 0;
    if (!ledgerDrifted && driftDays.length === 0) return result(userId, seq, 'ok', null);
    if (events.recentCount > 0) {
      return result(userId, seq, 'deferred', `${events.recentCount} event(s) recorded in the last ${this.settleMs / 1000} s may still be on their way to the ledger`);
    }

    const outcome = result(userId, seq, 'repaired', null);
    let unchanged = 0;
    if (ledgerDrifted) {
      const read = { periodSeq: seq, spentMicros: budget.spentMicros, eventCount: budget.eventCount };
      const after = await store.budgets.adjustLedger(userId, read, ledgerDelta);
      if (after) {
        outcome.ledger = {
          spentBefore: budget.spentMicros,
          spentAfter: budget.spentMicros + ledgerDelta.spentMicros,
          countBefore: budget.eventCount,
          countAfter: budget.eventCount + ledgerDelta.eventCount,
        };
        await this.alertIfCrossed(after, ledgerDelta.spentMicros);
      } else {
        unchanged += 1;
      }
    }
    for (const day of driftDays) {
      // Only the events summed above; those recorded since are newer than `settledBefore`.
      const dayEvents = (await store.events.listDay(userId, seq, day)).filter((e) => e.recordedAt <= settledBefore);
      const repaired = await this.repairDay(rollupsFromEvents(userId, seq, dayEvents), rollups.filter((r) => r.day === day));
      outcome.rollups.push(...repaired.done);
      unchanged += repaired.unchanged;
    }
    if (unchanged > 0) {
      const reason = `${unchanged} repair(s) not applied: the ledger or a rollup changed meanwhile (spend recorded, another worker, a rollover); the next run looks again`;
      if (outcome.ledger === null && outcome.rollups.length === 0) return result(userId, seq, 'deferred', reason);
      outcome.reason = reason;
    }
    return outcome;
  }

  /** A repair that raises the spend can cross a threshold: that alert is owed, once, like any other. */
  private async alertIfCrossed(after: BudgetRecord, addedMicros: Micros): Promise<void> {
    if (addedMicros <= 0) return;
    await this.alerts.queue(after, this.alerts.due(after));
  }

  private async repairDay(expected: Map<string, Rollup>, stored: Rollup[]): Promise<{ done: RollupRepair[]; unchanged: number }> {
    const actual = new Map(stored.map((r) => [keyOf(r), r]));
    const done: RollupRepair[] = [];
    let unchanged = 0;
    for (const id of new Set([...expected.keys(), ...actual.keys()])) {
      const want = expected.get(id);
      const have = actual.get(id);
      const source = want ?? have;
      if (!source) continue;
      const key = pickKey(source);
      const delta = subtract(want ?? ZERO, have ?? ZERO);
      if (isZero(delta)) continue;
      if (!(await this.ctx.store.rollups.adjustIf(key, have ? totalsOf(have) : null, delta))) {
        unchanged += 1;
        continue;
      }
      if (!want) await this.ctx.store.rollups.deleteIfEmpty(key);
      done.push({ ...key, delta, removed: !want });
    }
    return { done, unchanged };
  }
}

function result(userId: string, periodSeq: number | null, outcome: ReconcileOutcome, reason: string | null): Reconciliation {
  return { userId, periodSeq, outcome, reason, ledger: null, rollups: [] };
}

function sumTotals(rows: readonly RollupTotals[]): RollupTotals {
  return rows.reduce<RollupTotals>((sum, r) => add(sum, r), { ...ZERO });
}

function add(a: RollupTotals, b: RollupTotals): RollupTotals {
  return { costMicros: a.costMicros + b.costMicros, inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens, count: a.count + b.count };
}

function subtract(a: RollupTotals, b: RollupTotals): RollupTotals {
  return { costMicros: a.costMicros - b.costMicros, inputTokens: a.inputTokens - b.inputTokens, outputTokens: a.outputTokens - b.outputTokens, count: a.count - b.count };
}

function isZero(t: RollupTotals): boolean {
  return t.costMicros === 0 && t.inputTokens === 0 && t.outputTokens === 0 && t.count === 0;
}

function totalsOf(t: RollupTotals): RollupTotals {
  return { costMicros: t.costMicros, inputTokens: t.inputTokens, outputTokens: t.outputTokens, count: t.count };
}

/** Local days whose event sums and rollup sums differ; only those are looked at key by key. */
function daysThatDiffer(eventDays: readonly DayTotals[], rollups: readonly Rollup[]): string[] {
  const fromRollups = new Map<string, RollupTotals>();
  for (const r of rollups) fromRollups.set(r.day, add(fromRollups.get(r.day) ?? ZERO, totalsOf(r)));
  const fromEvents = new Map(eventDays.map((d) => [d.day, totalsOf(d)]));
  return [...new Set([...fromEvents.keys(), ...fromRollups.keys()])]
    .filter((day) => !isZero(subtract(fromEvents.get(day) ?? ZERO, fromRollups.get(day) ?? ZERO)))
    .sort();
}

function pickKey(r: RollupKey): RollupKey {
  return { userId: r.userId, periodSeq: r.periodSeq, day: r.day, provider: r.provider, model: r.model, operation: r.operation };
}

function keyOf(r: RollupKey): string {
  return JSON.stringify([r.day, r.provider, r.model, r.operation]);
}

/** What the rollups of one day should hold, computed from its events. */
function rollupsFromEvents(userId: string, periodSeq: number, events: readonly UsageEvent[]): Map<string, Rollup> {
  const rollups = new Map<string, Rollup>();
  for (const e of events) {
    const key: RollupKey = { userId, periodSeq, day: e.day, provider: e.provider, model: e.model, operation: e.operation };
    const id = keyOf(key);
    const sum = add(rollups.get(id) ?? ZERO, { costMicros: e.costMicros, inputTokens: e.inputTokens, outputTokens: e.outputTokens, count: 1 });
    rollups.set(id, { ...key, ...sum });
  }
  return rollups;
}
