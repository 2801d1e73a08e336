/** POST /budget/reset: a user resets their own budget (when permitted), with a reason. */
import { z } from 'zod';
import { defineRoute } from '../route.js';
import { reason, userId, userQuery } from '../schemas.js';
import { resetJson, resetResponse } from '../shapes/reset.js';
import { targetUser } from '../target.js';

export const resetRoutes = [
  defineRoute({
    method: 'post',
    path: '/budget/reset',
    operationId: 'resetBudget',
    tag: 'Budget',
    summary: 'Reset a budget now: a new period starts at this moment',
    description:
      'Needs user_can_reset_budget for the owner (admin tokens may always). The new period ends at 00:00 in the user\'s time ' +
      'zone one period length later; later periods follow on from there.',
    auth: 'token',
    query: z.strictObject(userQuery),
    body: z
      .strictObject({
        reason,
        user_id: userId.optional().describe('Whose budget (admin tokens); a user token may only name its own user'),
      })
      .meta({ examples: [{ reason: 'Starting new project, need fresh budget' }] }),
    response: { schema: resetResponse, statuses: { 200: 'The budget was reset' } },
    errors: [403, 409],
    async handle({ actor, services, query, body }) {
      const result = await services.resets.reset(actor, targetUser(actor, query.user_id, body.user_id), body.reason);
      return { status: 200, body: resetJson(result) };
    },
  }),
];
