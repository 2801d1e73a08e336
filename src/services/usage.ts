/**
 * Records one LLM call. Exactly once per idempotency key; concurrent events lose nothing (all spend
 * goes through an unconditional $inc); an event is counted in the ledger of the period containing
 * its time.
 * Four database round trips when no threshold is crossed: read budget, insert event, then the ledger
 * $inc and the rollup upsert side by side.
 */
import type { BudgetRecord } from '../domain/budget.js';
import { localDay } from '../domain/periods.js';
import { parseModel, priceCall } from '../domain/pricing.js';
import { fieldError } from '../domain/errors.js';
import { parseOrThrow, usageInputSchema, type UsageInput } from '../domain/validation.js';
import type { LedgerPlacement, UsageEvent } from '../store/usageEvents.js';
import type { AlertQueue } from './alerts.js';
import type { BudgetLoader } from './budgetLoader.js';
import type { ServiceContext } from './context.js';
import type { PriceBook } from './priceBook.js';

export interface RecordResult {
  event: UsageEvent;
  /** True when the key was seen before: `event` is the first recording and nothing changed. */
  duplicate: boolean;
  /** The budget after this event (for a duplicate, as it stands now). */
  budget: BudgetRecord;
}

/** Events may carry their own time, but not one from the future (beyond a little clock skew). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export class UsageRecorder {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly loader: BudgetLoader,
    private readonly prices: PriceBook,
    private readonly alerts: AlertQueue,
  ) {}

  async record(input: UsageInput): Promise<RecordResult> {
    const parsed = parseOrThrow(usageInputSchema, input, 'usage event');
    const now = this.ctx.clock();
    const occurredAt = parsed.occurredAt ?? now;
    if (occurredAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
      throw fieldError('occurredAt', 'must not be in the future');
    }
    const { provider: prefix, model } = parseModel(parsed.model, parsed.provider);
    // Looked up even when a cost is reported: it names the provider of a bare model name. Cached.
    const price = await this.prices.find(model);
    const inputTokens = parsed.inputTokens ?? 0;
    const outputTokens = parsed.outputTokens ?? 0;
    const priced = priceCall({ provider: prefix, model, reportedCost: parsed.costMicros, inputTokens, outputTokens, price });
    const provider = prefix ?? price?.provider ?? 'unknown';

    let budget = await this.loader.load(parsed.userId);
    const placement = await this.placementFor(budget, occurredAt);
    const inserted = await this.ctx.store.events.insertOnce({
      userId: parsed.userId,
      idempotencyKey: parsed.idempotencyKey,
      provider,
      model,
      operation: parsed.operation ?? 'chat',
      inputTokens,
      outputTokens,
      costMicros: priced.cost,
      costSource: priced.source,
      occurredAt,
      day: localDay(occurredAt, budget.timezone),
      periodSeq: placement.periodSeq,
      placement: placement.placement,
      recordedAt: now,
    });
    if (inserted.duplicate) return { event: inserted.event, duplicate: true, budget };

    const event = inserted.event;
    const [after] = await Promise.all([this.countInLedger(event), this.addToRollup(event)]);
    if (after) {
      budget = after;
      await this.alerts.queue(after, this.alerts.due(after));
    }
    return { event, duplicate: false, budget };
  }

  /** Current period, or the closed period that contained the time (found in the reset log). */
  private async placementFor(budget: BudgetRecord, at: Date): Promise<{ periodSeq: number; placement: LedgerPlacement }> {
    if (at.getTime() >= budget.periodStart.getTime()) return { periodSeq: budget.periodSeq, placement: 'current' };
    const closed = await this.ctx.store.resets.findPeriodContaining(budget.userId, at);
    return closed ? { periodSeq: closed.closedSeq, placement: 'closed' } : { periodSeq: -1, placement: 'none' };
  }

  /**
   * Adds the cost to the ledger of the period the event was placed in. An event of the current
   * period goes to the budget's ledger of that period, even when a reset moves the budget on while
   * this runs: its time lies in the period it was read in, and the budget keeps that ledger. An
   * event reported after its period closed goes to the closed period's reset-log entry (found by
   * time, so it exists). Returns the budget after when the event counted in the current period.
   */
  private async countInLedger(event: UsageEvent): Promise<BudgetRecord | null> {
    const { store } = this.ctx;
    if (event.placement === 'none') return null;
    if (event.placement === 'closed') {
      await store.resets.addLateSpend(event.userId, event.periodSeq, event.costMicros);
      return null;
    }
    const added = await store.budgets.addSpend(event.userId, event.periodSeq, event.costMicros);
    return added && added.budget.periodSeq === event.periodSeq ? added.budget : null;
  }

  private async addToRollup(event: UsageEvent): Promise<void> {
    await this.ctx.store.rollups.add(
      { userId: event.userId, periodSeq: event.periodSeq, day: event.day, provider: event.provider, model: event.model, operation: event.operation },
      { costMicros: event.costMicros, inputTokens: event.inputTokens, outputTokens: event.outputTokens, count: 1 },
    );
  }
}
