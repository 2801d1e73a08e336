/** POST /budget/admin/reset/{user_id}: an admin resets a user's budget, with a reason. */
import { z } from 'zod';
import { defineRoute } from '../route.js';
import { reason, userId } from '../schemas.js';
import { resetJson, resetResponse } from '../shapes/reset.js';

export const adminResetRoutes = [
  defineRoute({
    method: 'post',
    path: '/budget/admin/reset/{user_id}',
    operationId: 'adminResetBudget',
    tag: 'Admin',
    summary: "Reset a user's budget now, with a reason",
    auth: 'admin',
    params: z.strictObject({ user_id: userId }),
    body: z.strictObject({ reason }),
    response: { schema: resetResponse, statuses: { 200: 'The budget was reset' } },
    errors: [403, 409],
    async handle({ actor, services, params, body }) {
      const result = await services.resets.reset(actor, params.user_id, body.reason);
      return { status: 200, body: resetJson(result) };
    },
  }),
];
