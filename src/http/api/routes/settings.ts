/** GET and PUT /budget/settings: a user's settings, and the one thing a user may change (their limit). */
import { z } from 'zod';
import { MAX_LIMIT_MICROS, MICROS_PER_USD, usdToMicros } from '../../../domain/money.js';
import { defineRoute } from '../route.js';
import { usdAmount, userId, userQuery } from '../schemas.js';
import { settingsJson, settingsResponse } from '../shapes/settings.js';
import { targetUser } from '../target.js';

const MAX_LIMIT_USD = MAX_LIMIT_MICROS / MICROS_PER_USD;

const userSettingsUpdate = z.strictObject({
  monthly_limit_usd: usdAmount(MAX_LIMIT_USD, 'The new limit of the budget period'),
  user_id: userId.optional().describe('Whose budget (admin tokens); a user token may only name its own user'),
});

export const settingsRoutes = [
  defineRoute({
    method: 'get',
    path: '/budget/settings',
    operationId: 'getBudgetSettings',
    tag: 'Budget',
    summary: "A user's budget settings",
    auth: 'token',
    query: z.strictObject(userQuery),
    response: { schema: settingsResponse, statuses: { 200: 'The settings' } },
    errors: [403],
    async handle({ actor, services, query }) {
      const budget = await services.settings.get(actor, targetUser(actor, query.user_id));
      return { status: 200, body: settingsJson(budget) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/budget/settings',
    operationId: 'updateBudgetSettings',
    tag: 'Budget',
    summary: 'Change a limit (only what the user may change)',
    description:
      'A user may change their own limit when an admin allowed it (user_can_modify_limit), from $0 to $10,000 and never above ' +
      'limit_ceiling_usd; otherwise 403. Admins change every other setting with PUT /budget/admin/configure.',
    auth: 'token',
    query: z.strictObject(userQuery),
    body: userSettingsUpdate,
    response: { schema: settingsResponse, statuses: { 200: 'The settings after the change' } },
    errors: [403, 409],
    async handle({ actor, services, query, body }) {
      const user = targetUser(actor, query.user_id, body.user_id);
      const budget = await services.settings.update(actor, user, { limitMicros: usdToMicros(body.monthly_limit_usd) });
      return { status: 200, body: settingsJson(budget) };
    },
  }),
];
