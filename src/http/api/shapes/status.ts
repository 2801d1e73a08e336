/** GET /budget/status: exactly the fields of the SPEC's example, in its units. */
import { z } from 'zod';
import type { BudgetStatus } from '../../../domain/status.js';
import { usd } from '../format.js';
import { alertLevel, userId } from '../schemas.js';

export const statusResponse = z.strictObject({
  user_id: userId,
  total_budget: z.number().describe('The limit of the current period, in USD'),
  used_budget: z.number().describe('Spent in the current period, in USD'),
  remaining_budget: z.number().describe('Limit minus spend, never below 0, in USD'),
  percentage_used: z.number().describe('Spend as a percentage of the limit, one decimal'),
  alert_level: alertLevel,
  days_remaining_in_period: z.number().int().min(0).describe('Whole days left, rounded up'),
  projected_period_cost: z.number().describe('Linear projection of the spend at the end of the period, in USD'),
  is_over_budget: z.boolean(),
  can_view_budget: z.boolean().describe("The budget's owner may see it"),
  can_modify_limit: z.boolean().describe("The budget's owner may change their limit"),
  can_reset_budget: z.boolean().describe("The budget's owner may reset it"),
})
  // The SPEC's example: limit 50, spent 23.45, half way through a 30-day period, default thresholds.
  .meta({
    examples: [
      {
        user_id: 'user123',
        total_budget: 50.0,
        used_budget: 23.45,
        remaining_budget: 26.55,
        percentage_used: 46.9,
        alert_level: 'yellow',
        days_remaining_in_period: 15,
        projected_period_cost: 46.9,
        is_over_budget: false,
        can_view_budget: true,
        can_modify_limit: false,
        can_reset_budget: false,
      },
    ],
  });

export function statusJson(s: BudgetStatus): z.input<typeof statusResponse> {
  return {
    user_id: s.userId,
    total_budget: usd(s.limitMicros),
    used_budget: usd(s.spentMicros),
    remaining_budget: usd(s.remainingMicros),
    percentage_used: s.percentUsed,
    alert_level: s.alertLevel,
    days_remaining_in_period: s.daysRemaining,
    projected_period_cost: usd(s.projectedMicros),
    is_over_budget: s.isOverBudget,
    can_view_budget: s.canView,
    can_modify_limit: s.canModifyLimit,
    can_reset_budget: s.canReset,
  };
}
