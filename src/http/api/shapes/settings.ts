/** A user's budget settings as the API shows them (GET/PUT /budget/settings, PUT /budget/admin/configure). */
import { z } from 'zod';
import type { BudgetRecord } from '../../../domain/budget.js';
import { PERIOD_TYPES } from '../../../domain/periods.js';
import type { Role } from '../../../domain/permissions.js';
import { isoOrNull, isoSeconds, usd } from '../format.js';
import { timestamp, userId } from '../schemas.js';

export const settingsResponse = z.strictObject({
  user_id: userId,
  display_name: z.string().nullable(),
  email: z.string().nullable(),
  monthly_limit_usd: z.number().describe('The limit of the budget period, whatever its length, in USD'),
  limit_ceiling_usd: z.number().nullable().describe('The most a user may set their own limit to; null when no ceiling is set'),
  period_type: z.enum(PERIOD_TYPES),
  period_anchor: z.iso.date().describe('The local date periods are anchored on'),
  custom_period_days: z.number().int(),
  timezone: z.string(),
  thresholds: z.strictObject({ yellow: z.number(), orange: z.number(), red: z.number() }).describe('Percentages of the limit'),
  enforce_budget: z.boolean(),
  auto_fallback: z.boolean(),
  fallback_model: z.string(),
  role: z.enum(['user', 'admin'] as const satisfies readonly Role[]),
  budget_visible_to_user: z.boolean(),
  user_can_modify_limit: z.boolean(),
  user_can_reset_budget: z.boolean(),
  admin_notes: z.string(),
  period_start: timestamp.describe('Start of the current period'),
  period_end: timestamp.describe('End of the current period (exclusive)'),
  used_budget: z.number().describe('Spent in the current period, in USD'),
  updated_at: timestamp,
  profile_synced_at: timestamp.nullable(),
});

export function settingsJson(b: BudgetRecord): z.input<typeof settingsResponse> {
  return {
    user_id: b.userId,
    display_name: b.displayName,
    email: b.email,
    monthly_limit_usd: usd(b.limitMicros),
    limit_ceiling_usd: b.limitCeilingMicros === null ? null : usd(b.limitCeilingMicros),
    period_type: b.periodType,
    period_anchor: b.periodAnchor,
    custom_period_days: b.customPeriodDays,
    timezone: b.timezone,
    thresholds: { yellow: b.thresholds.yellow, orange: b.thresholds.orange, red: b.thresholds.red },
    enforce_budget: b.enforceBudget,
    auto_fallback: b.autoFallback,
    fallback_model: b.fallbackModel,
    role: b.role,
    budget_visible_to_user: b.budgetVisibleToUser,
    user_can_modify_limit: b.userCanModifyLimit,
    user_can_reset_budget: b.userCanResetBudget,
    admin_notes: b.adminNotes,
    period_start: isoSeconds(b.periodStart),
    period_end: isoSeconds(b.periodEnd),
    used_budget: usd(b.spentMicros),
    updated_at: isoSeconds(b.updatedAt),
    profile_synced_at: isoOrNull(b.profileSyncedAt),
  };
}
