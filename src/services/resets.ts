/** Manual resets: by the user when permitted, or by an admin; a reason is always required. */
import type { Actor } from '../domain/actor.js';
import { periodRule } from '../domain/budget.js';
import { ConflictError, ForbiddenError } from '../domain/errors.js';
import type { Micros } from '../domain/money.js';
import { periodAfterManualReset, type Period } from '../domain/periods.js';
import { parseOrThrow, reasonSchema, userIdSchema } from '../domain/validation.js';
import type { ResetEntry } from '../store/resetLog.js';
import type { AccessPolicy } from './access.js';
import type { BudgetLoader } from './budgetLoader.js';
import type { Clock } from './context.js';
import type { PeriodCloser } from './periodCloser.js';

export interface ResetResult {
  entry: ResetEntry;
  newPeriod: Period;
  previousSpentMicros: Micros;
}

export class ResetService {
  constructor(
    private readonly clock: Clock,
    private readonly loader: BudgetLoader,
    private readonly closer: PeriodCloser,
    private readonly access: AccessPolicy,
  ) {}

  /**
   * `expectedPeriodSeq` makes the reset conditional on the period the caller saw (a confirm button
   * clicked twice, or after a rollover): a ConflictError when the budget has moved on since.
   */
  async reset(actor: Actor, userId: string, reason: string, options: { expectedPeriodSeq?: number } = {}): Promise<ResetResult> {
    const validReason = parseOrThrow(reasonSchema, reason, 'reason');
    const budget = await this.loader.load(parseOrThrow(userIdSchema, userId, 'user id'));
    const access = await this.access.requireView(actor, budget);
    if (!access.canReset) throw new ForbiddenError('You are not allowed to reset this budget; ask an admin');
    if (options.expectedPeriodSeq !== undefined && options.expectedPeriodSeq !== budget.periodSeq) {
      throw new ConflictError('This budget has already been reset since; nothing more was changed');
    }
    const { period, anchor } = periodAfterManualReset(this.clock(), periodRule(budget));
    const closed = await this.closer.close(budget, { kind: 'manual', actor, reason: validReason, next: period, nextAnchor: anchor });
    if (!closed) throw new ConflictError('This budget was reset by another request at the same moment; nothing more was changed');
    return { entry: closed.entry, newPeriod: period, previousSpentMicros: closed.entry.before.spentMicros };
  }
}
