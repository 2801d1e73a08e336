/**
 * Closes a user's current period and opens the next one — the one code path behind manual resets
 * and automatic rollovers. The budget update is conditional on the period number, so for any period
 * only one caller wins, writes the reset-log entry and queues the "your budget has reset" DM.
 */
import { actorId, type Actor } from '../domain/actor.js';
import type { BudgetRecord } from '../domain/budget.js';
import { alertLevel } from '../domain/levels.js';
import type { Period } from '../domain/periods.js';
import type { ResetEntry } from '../store/resetLog.js';
import type { ServiceContext } from './context.js';

export interface PeriodClosing {
  kind: 'manual' | 'automatic';
  actor: Actor;
  reason: string;
  next: Period;
  nextAnchor: string;
}

export class PeriodCloser {
  constructor(private readonly ctx: ServiceContext) {}

  /** Returns the reset-log entry and the budget after, or null when another caller closed this period first. */
  async close(budget: BudgetRecord, closing: PeriodClosing): Promise<{ entry: ResetEntry; after: BudgetRecord } | null> {
    const { store, clock } = this.ctx;
    const now = clock();
    const closed = await store.budgets.startNewPeriod(budget.userId, budget.periodSeq, {
      periodSeq: budget.periodSeq + 1,
      periodStart: closing.next.start,
      periodEnd: closing.next.end,
      periodAnchor: closing.nextAnchor,
      updatedAt: now,
    });
    if (!closed) return null;
    const { after, closedSpentMicros } = closed;

    // A manual reset closes the period at the moment of the reset; a rollover at the period's end.
    const closedEnd = closing.kind === 'manual' ? closing.next.start : budget.periodEnd;
    const entry = await store.resets.insert({
      userId: budget.userId,
      closedSeq: budget.periodSeq,
      kind: closing.kind,
      actorKind: closing.actor.kind,
      actorId: actorId(closing.actor),
      reason: closing.reason,
      resetAt: now,
      before: {
        periodStart: budget.periodStart,
        periodEnd: closedEnd,
        spentMicros: closedSpentMicros,
        limitMicros: after.limitMicros,
        alertLevel: alertLevel(closedSpentMicros, after.limitMicros, after.thresholds),
      },
      after: {
        periodStart: closing.next.start,
        periodEnd: closing.next.end,
        spentMicros: after.spentMicros,
        limitMicros: after.limitMicros,
        alertLevel: alertLevel(after.spentMicros, after.limitMicros, after.thresholds),
      },
      lateSpentMicros: 0,
    });
    if (after.budgetVisibleToUser) {
      await store.outbox.addOnce([
        {
          userId: after.userId,
          kind: 'reset',
          level: null,
          periodSeq: after.periodSeq,
          dedupeKey: `${after.userId}:${after.periodSeq}:reset`,
          dmUser: true,
          spentMicros: closedSpentMicros,
          limitMicros: after.limitMicros,
          periodEnd: closing.next.end,
          createdAt: now,
        },
      ]);
    }
    return { entry, after };
  }
}
