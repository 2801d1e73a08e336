/**
 * Reads a user's budget for every other service: creates it with defaults on first sight (exactly
 * once, however many requests race) and rolls an ended period over before anyone sees it.
 * Steady state: one database round trip.
 */
import { SYSTEM_ACTOR } from '../domain/actor.js';
import { hasPeriodEnded, newBudget, periodRule, type BudgetRecord } from '../domain/budget.js';
import { periodContaining } from '../domain/periods.js';
import { isAdmin } from '../domain/permissions.js';
import type { ResetEntry } from '../store/resetLog.js';
import type { ServiceContext } from './context.js';
import type { PeriodCloser } from './periodCloser.js';

/** Rollovers retried before giving up: each try loses only to another rollover or reset. */
const MAX_ROLLOVER_TRIES = 5;

export class BudgetLoader {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly closer: PeriodCloser,
  ) {}

  isAdmin(budget: BudgetRecord): boolean {
    return isAdmin(budget.userId, budget.role, this.ctx.adminUserIds);
  }

  async load(userId: string): Promise<BudgetRecord> {
    const { store, clock, adminUserIds, defaults } = this.ctx;
    const budget =
      (await store.budgets.find(userId)) ??
      (await store.budgets.insertIfMissing(newBudget(userId, adminUserIds.has(userId), defaults, clock())));
    return hasPeriodEnded(budget, clock()) ? (await this.rollOver(budget)).budget : budget;
  }

  /**
   * Rolls an ended period over to the period containing now. Whoever loses the race reads the
   * winner's result, so a period rolls over once and writes one `automatic` reset-log entry.
   */
  async rollOver(budget: BudgetRecord): Promise<{ budget: BudgetRecord; entry: ResetEntry | null }> {
    let current = budget;
    for (let attempt = 0; attempt < MAX_ROLLOVER_TRIES; attempt++) {
      const now = this.ctx.clock();
      if (!hasPeriodEnded(current, now)) return { budget: current, entry: null };
      const containing = periodContaining(now, periodRule(current));
      const start = new Date(Math.max(containing.start.getTime(), current.periodEnd.getTime()));
      const closed = await this.closer.close(current, {
        kind: 'automatic',
        actor: SYSTEM_ACTOR,
        reason: 'Period ended',
        next: { start, end: containing.end },
        nextAnchor: current.periodAnchor,
      });
      if (closed) return { budget: closed.after, entry: closed.entry };
      // Another caller closed it first: read what it made, and look again.
      const reread = await this.ctx.store.budgets.find(current.userId);
      if (!reread) throw new Error(`budget ${current.userId} vanished during rollover`);
      current = reread;
    }
    throw new Error(`rollover of ${budget.userId} lost ${MAX_ROLLOVER_TRIES} races in a row`);
  }
}
