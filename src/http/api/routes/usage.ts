/**
 * POST /usage: integrations report LLM calls, one event or a batch of up to 500. The whole batch is
 * checked (fields, times, known prices, whose events they are) before anything is written; each
 * event counts once per idempotency key, so a batch posted twice changes nothing the second time.
 */
import { z } from 'zod';
import type { Actor } from '../../../domain/actor.js';
import { ValidationError, type FieldErrors } from '../../../domain/errors.js';
import { usdToMicros } from '../../../domain/money.js';
import { modelNameSchema, usageInputSchema, type UsageInput } from '../../../domain/validation.js';
import type { RecordResult } from '../../../services/usage.js';
import { MAX_BATCH_EVENTS } from '../../../services/usageBatch.js';
import { usdExact } from '../format.js';
import { defineRoute } from '../route.js';
import { usdAmount, userId } from '../schemas.js';
import { targetUser } from '../target.js';

const rules = usageInputSchema.shape;
const MAX_EVENT_COST_USD = 100_000;

const usageEvent = z.strictObject({
  user_id: userId.optional().describe('Whose call it was: required with admin and service tokens; a user token may only name its own user'),
  idempotency_key: rules.idempotencyKey.describe('Unique per user and call (up to 200 printable characters): a repeated key is counted once'),
  provider: rules.provider.describe('openai, anthropic, google, ollama, ...; or give it as a prefix of model ("openai/gpt-4o")'),
  model: modelNameSchema.describe('e.g. gpt-4o or anthropic/claude-sonnet-4-5'),
  operation: rules.operation.describe('What the call was for (default "chat")'),
  input_tokens: rules.inputTokens,
  output_tokens: rules.outputTokens,
  cost_usd: usdAmount(MAX_EVENT_COST_USD, 'What the call cost; when left out, tokens × the price table').optional(),
  timestamp: z.iso.datetime({ offset: true }).optional().describe('When the call happened (default: now); not in the future'),
});

const usageBatch = z.strictObject({
  events: z.array(usageEvent).min(1, 'must hold at least one event').max(MAX_BATCH_EVENTS, `must hold at most ${MAX_BATCH_EVENTS} events`),
});

const usageBody = z
  .union([usageEvent, usageBatch], { error: `must be one usage event or {"events":[...]} with 1-${MAX_BATCH_EVENTS} events` })
  .meta({
    examples: [
      { user_id: 'user123', idempotency_key: 'req-7f3a', model: 'openai/gpt-4o', input_tokens: 1200, output_tokens: 350 },
      { events: [{ user_id: 'user123', idempotency_key: 'req-7f3b', model: 'anthropic/claude-sonnet-4-5', cost_usd: 0.0421, timestamp: '2025-06-16T09:12:00Z' }] },
    ],
  });

const eventResult = z.strictObject({
  idempotency_key: z.string(),
  user_id: userId,
  event_id: z.string(),
  duplicate: z.boolean().describe('The key was seen before: this is the first recording, and nothing changed'),
  cost_usd: z.number().describe('What the event was counted as, in USD to 6 decimals'),
  counted_in: z.enum(['current', 'closed', 'none']).describe("The ledger it went to: the current period, a closed period it belongs to, or none (older than any kept period)"),
});

const usageResponse = z.strictObject({
  recorded: z.number().int().describe('Events counted by this request'),
  duplicates: z.number().int().describe('Events already counted before'),
  results: z.array(eventResult).describe('One per event, in the order sent'),
});

type UsageEventBody = z.output<typeof usageEvent>;

function toInput(actor: Actor, e: UsageEventBody): UsageInput {
  return {
    userId: targetUser(actor, e.user_id),
    idempotencyKey: e.idempotency_key,
    provider: e.provider,
    model: e.model,
    operation: e.operation,
    inputTokens: e.input_tokens,
    outputTokens: e.output_tokens,
    costMicros: e.cost_usd === undefined ? undefined : usdToMicros(e.cost_usd),
    occurredAt: e.timestamp === undefined ? undefined : new Date(e.timestamp),
  };
}

function resultJson(r: RecordResult): z.input<typeof eventResult> {
  return {
    idempotency_key: r.event.idempotencyKey,
    user_id: r.event.userId,
    event_id: r.event.id,
    duplicate: r.duplicate,
    cost_usd: usdExact(r.event.costMicros),
    counted_in: r.event.placement,
  };
}

/** A single event's field errors read "cost_usd", not "events.0.cost_usd". */
function withoutBatchIndex(fields: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(fields).map(([field, messages]) => [field.replace(/^events\.0\./, ''), messages]));
}

export const usageRoutes = [
  defineRoute({
    method: 'post',
    path: '/usage',
    operationId: 'recordUsage',
    tag: 'Integration',
    summary: `Record one LLM call, or a batch of up to ${MAX_BATCH_EVENTS}`,
    description:
      'Admin and service tokens record for any user; a user token only for its own user. The batch is all or nothing at ' +
      'validation: one bad event (a field, a time in the future, an unknown model without cost_usd: 422) refuses it all. ' +
      'Answers 201 when at least one event was new, 200 when every event was a duplicate.',
    auth: 'token',
    body: usageBody,
    response: {
      schema: usageResponse,
      statuses: { 201: 'At least one event was counted now', 200: 'Every event had been counted before (duplicates); nothing changed' },
    },
    errors: [403, 422],
    async handle({ actor, services, body }) {
      const single = !('events' in body);
      const events = single ? [body] : body.events;
      // Mapping names whose events these are: a user token naming another user stops here, before any write.
      const inputs = events.map((e) => toInput(actor, e));
      let results: RecordResult[];
      try {
        results = await services.usageBatch.recordAll(inputs);
      } catch (err) {
        if (single && err instanceof ValidationError) throw new ValidationError(err.message, withoutBatchIndex(err.fields));
        throw err;
      }
      const recorded = results.filter((r) => !r.duplicate).length;
      return {
        status: recorded > 0 ? 201 : 200,
        body: { recorded, duplicates: results.length - recorded, results: results.map(resultJson) },
      };
    },
  }),
];
