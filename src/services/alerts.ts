/**
 * Threshold alerts. Each crossed level is written to the outbox under a unique key
 * (user:period:level), which makes it exactly once under any race; lower levels crossed in the same
 * step as a higher one are written as `skipped`, so a jump from 0 % to 95 % sends one DM, not three.
 */
import type { BudgetRecord } from '../domain/budget.js';
import { levelsReached, type AlertingLevel } from '../domain/levels.js';
import type { ServiceContext } from './context.js';

export class AlertQueue {
  constructor(private readonly ctx: Pick<ServiceContext, 'store' | 'clock'>) {}

  /**
   * Levels the spend has reached that are not claimed yet this period. Every recording asks, not
   * only the one whose step crossed a threshold, so an alert whose write was lost (a crash) goes
   * out with the next event; the outbox's unique key keeps it to one.
   */
  due(budget: BudgetRecord): AlertingLevel[] {
    return levelsReached(budget.spentMicros, budget.limitMicros, budget.thresholds).filter((level) => !budget.alertsClaimed.includes(level));
  }

  async queue(budget: BudgetRecord, levels: AlertingLevel[]): Promise<void> {
    if (levels.length === 0) return;
    const now = this.ctx.clock();
    const highest = levels[levels.length - 1];
    await this.ctx.store.outbox.addOnce(
      levels.map((level) => ({
        userId: budget.userId,
        kind: level === 'over' ? ('over_budget' as const) : ('threshold' as const),
        level,
        periodSeq: budget.periodSeq,
        dedupeKey: `${budget.userId}:${budget.periodSeq}:${level}`,
        dmUser: budget.budgetVisibleToUser,
        spentMicros: budget.spentMicros,
        limitMicros: budget.limitMicros,
        periodEnd: budget.periodEnd,
        createdAt: now,
        ...(level === highest ? {} : { status: 'skipped' as const }),
      })),
    );
    // A cheap hint so later events skip the outbox write; the unique key is what guarantees once.
    await this.ctx.store.budgets.claimAlerts(budget.userId, budget.periodSeq, levels);
  }
}
