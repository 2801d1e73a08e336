/** POST /budget/check: before a call, may this user spend this much on this model? */
import { z } from 'zod';
import { usdToMicros } from '../../../domain/money.js';
import { checkInputSchema, modelNameSchema } from '../../../domain/validation.js';
import { usd } from '../format.js';
import { defineRoute } from '../route.js';
import { alertLevel, usdAmount, userId } from '../schemas.js';
import { targetUser } from '../target.js';

const checkRequest = z.strictObject({
  user_id: userId.optional().describe('Who wants to spend: required with admin and service tokens; a user token may only name its own user'),
  model: modelNameSchema.describe('The model about to be called, e.g. gpt-4o or openai/gpt-4o'),
  provider: checkInputSchema.shape.provider.describe('When model has no provider prefix'),
  estimated_cost_usd: usdAmount(100_000, 'What the call is expected to cost (default 0)').optional(),
}).meta({ examples: [{ user_id: 'user123', model: 'openai/gpt-4o', estimated_cost_usd: 0.05 }] });

const checkResponse = z.strictObject({
  action: z.enum(['allow', 'fallback', 'block']).describe('fallback: call fallback_model instead'),
  fallback_model: z.string().nullable().describe('Set when action is fallback'),
  remaining_budget: z.number().describe('In USD'),
  alert_level: alertLevel,
}).meta({ examples: [{ action: 'fallback', fallback_model: 'ollama/llama3.1', remaining_budget: 0.5, alert_level: 'red' }] });

export const checkRoutes = [
  defineRoute({
    method: 'post',
    path: '/budget/check',
    operationId: 'checkBudget',
    tag: 'Integration',
    summary: 'Ask before a call: allow, fallback (to a local model) or block',
    description:
      'An enforced budget that is spent, or that this call would overspend, answers fallback when auto_fallback is on, else ' +
      'block. Local and free models are always allowed; an unenforced budget always allows.',
    auth: 'token',
    body: checkRequest,
    response: { schema: checkResponse, statuses: { 200: 'The decision' } },
    errors: [403],
    async handle({ actor, services, body }) {
      const result = await services.checker.check(actor, {
        userId: targetUser(actor, body.user_id),
        model: body.model,
        provider: body.provider,
        estimatedCostMicros: body.estimated_cost_usd === undefined ? undefined : usdToMicros(body.estimated_cost_usd),
      });
      return {
        status: 200,
        body: { action: result.action, fallback_model: result.fallbackModel, remaining_budget: usd(result.remainingMicros), alert_level: result.alertLevel },
      };
    },
  }),
];
