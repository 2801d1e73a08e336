/**
 * Records a batch of usage events (an integration flushing its buffer). Every event is checked first
 * — its fields, its time, and that its cost can be known — so a bad event refuses the whole batch
 * before anything is written. Then the events are recorded one by one, each exactly once by its
 * idempotency key: posting the same batch again changes nothing.
 */
import { fieldError, ValidationError, type FieldErrors } from '../domain/errors.js';
import { parseModel, priceCall } from '../domain/pricing.js';
import { fieldErrors, usageInputSchema, type UsageInput } from '../domain/validation.js';
import { safeParseFriendly } from '../domain/zodMessages.js';
import type { Clock } from './context.js';
import type { PriceBook } from './priceBook.js';
import { MAX_CLOCK_SKEW_MS, type RecordResult, type UsageRecorder } from './usage.js';

export const MAX_BATCH_EVENTS = 500;
/** Events of one batch recorded at the same time. */
const BATCH_CONCURRENCY = 8;

export class UsageBatchRecorder {
  constructor(
    private readonly clock: Clock,
    private readonly recorder: UsageRecorder,
    private readonly prices: PriceBook,
  ) {}

  /**
   * Field errors are named `events.<index>.<field>`. A key repeated inside one batch counts once,
   * as it would across batches (the unique index decides which copy is recorded first).
   */
  async recordAll(inputs: readonly UsageInput[]): Promise<RecordResult[]> {
    if (inputs.length === 0 || inputs.length > MAX_BATCH_EVENTS) {
      throw fieldError('events', `must hold 1 to ${MAX_BATCH_EVENTS} events`);
    }
    const events = this.validate(inputs);
    await this.requireKnownCosts(events);
    // A few at a time: each event is a handful of round trips, and a batch of 500 one by one
    // would take hundreds of them end to end. Results keep the order the events were sent in.
    const results: RecordResult[] = new Array<RecordResult>(events.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < events.length; i = next++) {
        const event = events[i];
        if (event) results[i] = await this.recorder.record(event);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, events.length) }, worker));
    return results;
  }

  private validate(inputs: readonly UsageInput[]): UsageInput[] {
    const problems: FieldErrors = {};
    const valid: UsageInput[] = [];
    // A timestamp that passes now stays valid while the batch is written: the bound only grows.
    const latest = this.clock().getTime() + MAX_CLOCK_SKEW_MS;
    inputs.forEach((input, index) => {
      const parsed = safeParseFriendly(usageInputSchema, input);
      if (!parsed.success) {
        for (const [field, messages] of Object.entries(fieldErrors(parsed.error))) problems[`events.${index}.${field}`] = messages;
        return;
      }
      if (parsed.data.occurredAt !== undefined && parsed.data.occurredAt.getTime() > latest) {
        problems[`events.${index}.occurredAt`] = ['must not be in the future'];
        return;
      }
      valid.push(parsed.data);
    });
    const bad = Object.keys(problems);
    // The surface names the fields its own way (details); the message stays free of internal names.
    if (bad.length > 0) throw new ValidationError(`Invalid usage: ${bad.length} problem(s), see details; nothing was recorded`, problems);
    return valid;
  }

  /** An unknown model without a reported cost refuses the batch (UnknownModelError), as for one event. */
  private async requireKnownCosts(events: readonly UsageInput[]): Promise<void> {
    for (const event of events) {
      if (event.costMicros !== undefined) continue;
      const { provider, model } = parseModel(event.model, event.provider);
      // The price table is cached, so this costs no round trip per event.
      const price = await this.prices.find(model);
      priceCall({ provider, model, reportedCost: undefined, inputTokens: 0, outputTokens: 0, price });
    }
  }
}
