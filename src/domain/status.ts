/** Where a budget stands at an instant: the numbers behind `/budget status` and GET /budget/status. */
import type { BudgetRecord } from './budget.js';
import { currentPeriod } from './budget.js';
import { alertLevel, isOverBudget, type AlertLevel } from './levels.js';
import { percentOf, type Micros } from './money.js';
import { ownerPermissions } from './permissions.js';
import { daysRemaining } from './periods.js';
import { projectedPeriodSpend } from './projection.js';

export interface BudgetStatus {
  userId: string;
  limitMicros: Micros;
  spentMicros: Micros;
  remainingMicros: Micros;
  percentUsed: number;
  alertLevel: AlertLevel;
  daysRemaining: number;
  projectedMicros: Micros;
  isOverBudget: boolean;
  canView: boolean;
  canModifyLimit: boolean;
  canReset: boolean;
  periodStart: Date;
  periodEnd: Date;
  periodType: BudgetRecord['periodType'];
  timezone: string;
  enforceBudget: boolean;
}

export function budgetStatus(budget: BudgetRecord, ownerIsAdmin: boolean, now: Date): BudgetStatus {
  const period = currentPeriod(budget);
  const { limitMicros, spentMicros } = budget;
  const permissions = ownerPermissions(budget, ownerIsAdmin);
  return {
    userId: budget.userId,
    limitMicros,
    spentMicros,
    remainingMicros: Math.max(0, limitMicros - spentMicros),
    // A $0 limit is fully used from the start: nothing may be spent.
    percentUsed: limitMicros === 0 ? 100 : percentOf(spentMicros, limitMicros),
    alertLevel: alertLevel(spentMicros, limitMicros, budget.thresholds),
    daysRemaining: daysRemaining(period, now),
    projectedMicros: projectedPeriodSpend(spentMicros, period, now),
    isOverBudget: isOverBudget(spentMicros, limitMicros),
    canView: permissions.canView,
    canModifyLimit: permissions.canModifyLimit,
    canReset: permissions.canReset,
    periodStart: period.start,
    periodEnd: period.end,
    periodType: budget.periodType,
    timezone: budget.timezone,
    enforceBudget: budget.enforceBudget,
  };
}
