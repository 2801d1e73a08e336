/** GET /budget/usage/breakdown: where the money went, by provider, model, day, and the costliest calls. */
import { z } from 'zod';
import { BREAKDOWN_RANGES, type Breakdown } from '../../../services/breakdown.js';
import { isoSeconds, usd, usdExact } from '../format.js';
import { defineRoute } from '../route.js';
import { timestamp, userId, userQuery } from '../schemas.js';
import { targetUser } from '../target.js';

const totals = {
  cost_usd: z.number().describe('In USD, to the cent'),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  count: z.number().int().describe('Calls'),
};

const breakdownResponse = z.strictObject({
  user_id: userId,
  range: z.enum(BREAKDOWN_RANGES),
  from: timestamp,
  to: timestamp,
  timezone: z.string().describe('Days are local days in this zone'),
  total_usd: z.number(),
  by_provider: z.array(z.strictObject({ provider: z.string(), ...totals })).describe('Most expensive first'),
  by_model: z.array(z.strictObject({ model: z.string(), provider: z.string(), ...totals })).describe('Most expensive first'),
  daily: z.array(z.strictObject({ day: z.iso.date(), cost_usd: z.number(), count: z.number().int() })).describe('Every day of the range, oldest first'),
  top_operations: z
    .array(
      z.strictObject({
        event_id: z.string(),
        timestamp,
        provider: z.string(),
        model: z.string(),
        operation: z.string(),
        input_tokens: z.number().int(),
        output_tokens: z.number().int(),
        cost_usd: z.number().describe('In USD, to 6 decimals'),
      }),
    )
    .describe('The 5 most expensive calls of the range'),
});

function breakdownJson(b: Breakdown): z.input<typeof breakdownResponse> {
  const sums = (g: { costMicros: number; inputTokens: number; outputTokens: number; count: number }) => ({
    cost_usd: usd(g.costMicros),
    input_tokens: g.inputTokens,
    output_tokens: g.outputTokens,
    count: g.count,
  });
  return {
    user_id: b.userId,
    range: b.range,
    from: isoSeconds(b.from),
    to: isoSeconds(b.to),
    timezone: b.timezone,
    total_usd: usd(b.totalMicros),
    by_provider: b.byProvider.map((g) => ({ provider: g.key, ...sums(g) })),
    by_model: b.byModel.map((g) => ({ model: g.key, provider: g.provider ?? 'unknown', ...sums(g) })),
    daily: b.daily.map((d) => ({ day: d.day, cost_usd: usd(d.costMicros), count: d.count })),
    top_operations: b.topOperations.map((e) => ({
      event_id: e.id,
      timestamp: isoSeconds(e.occurredAt),
      provider: e.provider,
      model: e.model,
      operation: e.operation,
      input_tokens: e.inputTokens,
      output_tokens: e.outputTokens,
      cost_usd: usdExact(e.costMicros),
    })),
  };
}

export const breakdownRoutes = [
  defineRoute({
    method: 'get',
    path: '/budget/usage/breakdown',
    operationId: 'getUsageBreakdown',
    tag: 'Budget',
    summary: 'Spend by provider, by model, per day, and the most expensive calls',
    description: 'range=current is the current period; 7d and 30d are the last 7 or 30 local days. A hidden budget is 403 budget_hidden.',
    auth: 'token',
    query: z.strictObject({
      ...userQuery,
      range: z.enum(BREAKDOWN_RANGES).optional().describe('current (default), 7d or 30d'),
    }),
    response: { schema: breakdownResponse, statuses: { 200: 'The breakdown' } },
    errors: [403],
    async handle({ actor, services, query }) {
      const breakdown = await services.breakdown.breakdown(actor, targetUser(actor, query.user_id), query.range ?? 'current');
      return { status: 200, body: breakdownJson(breakdown) };
    },
  }),
];
