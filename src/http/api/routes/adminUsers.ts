/** GET /budget/admin/users: every user's budget, searchable, filterable by level, sorted, paged. */
import { z } from 'zod';
import { ALERT_LEVELS } from '../../../domain/levels.js';
import { PERIOD_TYPES } from '../../../domain/periods.js';
import { USER_SORTS, type DirectoryEntry } from '../../../services/userDirectory.js';
import { isoSeconds, usd } from '../format.js';
import { defineRoute } from '../route.js';
import { alertLevel, nextCursor, pageQuery, timestamp, userId } from '../schemas.js';

const userEntry = z.strictObject({
  user_id: userId,
  display_name: z.string().nullable(),
  email: z.string().nullable(),
  is_admin: z.boolean(),
  total_budget: z.number(),
  used_budget: z.number(),
  remaining_budget: z.number(),
  percentage_used: z.number(),
  alert_level: alertLevel,
  is_over_budget: z.boolean(),
  days_remaining_in_period: z.number().int(),
  projected_period_cost: z.number(),
  period_type: z.enum(PERIOD_TYPES),
  period_start: timestamp,
  period_end: timestamp,
  enforce_budget: z.boolean(),
  budget_visible_to_user: z.boolean(),
  user_can_modify_limit: z.boolean(),
  user_can_reset_budget: z.boolean(),
});

function entryJson({ budget, status, isAdmin }: DirectoryEntry): z.input<typeof userEntry> {
  return {
    user_id: budget.userId,
    display_name: budget.displayName,
    email: budget.email,
    is_admin: isAdmin,
    total_budget: usd(status.limitMicros),
    used_budget: usd(status.spentMicros),
    remaining_budget: usd(status.remainingMicros),
    percentage_used: status.percentUsed,
    alert_level: status.alertLevel,
    is_over_budget: status.isOverBudget,
    days_remaining_in_period: status.daysRemaining,
    projected_period_cost: usd(status.projectedMicros),
    period_type: budget.periodType,
    period_start: isoSeconds(status.periodStart),
    period_end: isoSeconds(status.periodEnd),
    enforce_budget: budget.enforceBudget,
    budget_visible_to_user: budget.budgetVisibleToUser,
    user_can_modify_limit: budget.userCanModifyLimit,
    user_can_reset_budget: budget.userCanResetBudget,
  };
}

export const adminUsersRoutes = [
  defineRoute({
    method: 'get',
    path: '/budget/admin/users',
    operationId: 'listUsers',
    tag: 'Admin',
    summary: 'Every user with a budget: search, filter by alert level, sort by spend, % used or name',
    auth: 'admin',
    query: z.strictObject({
      search: z.string().trim().min(1).max(100).optional().describe('Part of a user id, display name or email'),
      level: z.enum(ALERT_LEVELS).optional().describe('Only users at this alert level'),
      sort: z.enum(USER_SORTS).optional().describe('percent (default), spend or name'),
      order: z.enum(['asc', 'desc']).optional().describe('Default: desc for spend and percent, asc for name'),
      ...pageQuery,
    }),
    response: {
      schema: z.strictObject({ items: z.array(userEntry), total: z.number().int().describe('Users matching the filter'), next_cursor: nextCursor }),
      statuses: { 200: 'A page of users' },
    },
    errors: [403],
    async handle({ actor, services, query }) {
      const page = await services.users.list(actor, {
        search: query.search,
        level: query.level,
        sort: query.sort,
        order: query.order,
        limit: query.limit,
        cursor: query.cursor ?? null,
      });
      return { status: 200, body: { items: page.items.map(entryJson), total: page.total, next_cursor: page.nextCursor } };
    },
  }),
];
