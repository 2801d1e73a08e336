/** GET /budget/status: where a user's budget stands. */
import { z } from 'zod';
import { defineRoute } from '../route.js';
import { userQuery } from '../schemas.js';
import { statusJson, statusResponse } from '../shapes/status.js';
import { targetUser } from '../target.js';

export const statusRoutes = [
  defineRoute({
    method: 'get',
    path: '/budget/status',
    operationId: 'getBudgetStatus',
    tag: 'Budget',
    summary: "A user's budget: limit, spend, level, days left, projection, permissions",
    description: 'A budget its owner may not see answers 403 with code budget_hidden (to the owner; admin and service tokens always see it).',
    auth: 'token',
    query: z.strictObject(userQuery),
    response: { schema: statusResponse, statuses: { 200: 'The budget status' } },
    errors: [403],
    async handle({ actor, services, query }) {
      const status = await services.status.status(actor, targetUser(actor, query.user_id));
      return { status: 200, body: statusJson(status) };
    },
  }),
];
