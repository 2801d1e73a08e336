/** GET /budget/history: the reset log of a user (manual and automatic), newest first, paged. */
import { z } from 'zod';
import type { ResetEntry } from '../../../store/resetLog.js';
import { isoSeconds, usd } from '../format.js';
import { defineRoute } from '../route.js';
import { alertLevel, nextCursor, pageQuery, timestamp, userQuery } from '../schemas.js';
import { targetUser } from '../target.js';

const resetEntry = z.strictObject({
  id: z.string(),
  kind: z.enum(['manual', 'automatic']),
  reset_at: timestamp,
  actor_kind: z.enum(['user', 'admin', 'service', 'system']).describe('Who reset: a user, an admin (person or key), or the scheduler'),
  actor_id: z.string().describe('A user id, an API key id, ADMIN_API_TOKEN or "scheduler"'),
  reason: z.string(),
  previous_period_start: timestamp,
  previous_period_end: timestamp,
  previous_spent: z.number().describe('Spend of the closed period when it closed, in USD'),
  previous_limit: z.number(),
  previous_alert_level: alertLevel,
  late_spent: z.number().describe('Spend reported for the closed period after it closed, in USD'),
  new_period_start: timestamp,
  new_period_end: timestamp,
});

function entryJson(e: ResetEntry): z.input<typeof resetEntry> {
  return {
    id: e.id,
    kind: e.kind,
    reset_at: isoSeconds(e.resetAt),
    actor_kind: e.actorKind,
    actor_id: e.actorId,
    reason: e.reason,
    previous_period_start: isoSeconds(e.before.periodStart),
    previous_period_end: isoSeconds(e.before.periodEnd),
    previous_spent: usd(e.before.spentMicros),
    previous_limit: usd(e.before.limitMicros),
    previous_alert_level: e.before.alertLevel,
    late_spent: usd(e.lateSpentMicros),
    new_period_start: isoSeconds(e.after.periodStart),
    new_period_end: isoSeconds(e.after.periodEnd),
  };
}

export const historyRoutes = [
  defineRoute({
    method: 'get',
    path: '/budget/history',
    operationId: 'getResetHistory',
    tag: 'Budget',
    summary: 'Reset history: who reset, when, why, and the spend before',
    auth: 'token',
    query: z.strictObject({ ...userQuery, ...pageQuery }),
    response: {
      schema: z.strictObject({ items: z.array(resetEntry).describe('Newest first'), next_cursor: nextCursor }),
      statuses: { 200: 'A page of the reset log' },
    },
    errors: [403],
    async handle({ actor, services, query }) {
      const page = await services.history.resets(actor, targetUser(actor, query.user_id), { limit: query.limit, cursor: query.cursor ?? null });
      return { status: 200, body: { items: page.items.map(entryJson), next_cursor: page.nextCursor } };
    },
  }),
];
