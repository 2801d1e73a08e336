/**
 * Records one LLM call. Exactly once per idempotency key; concurrent events lose nothing (all spend
 * goes through atomic $inc); an event is counted in the ledger of the period containing its time.
 * Four database round trips when no threshold is crossed: read budget, insert event, then the ledger
 * $inc and the rollup upsert side by side.
 */
import type { BudgetRecord } from '../domain/budget.js';
import type { Micros } from '../domain/money.js';
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
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** How long a late event waits for a racing reset to finish writing its log entry. */
const CLOSED_LEDGER_RETRIES = 20;
const CLOSED_LEDGER_WAIT_MS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    const price = parsed.costMicros === undefined ? await this.prices.find(model) : undefined;
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
    const [after] = await Promise.all([this.countInLedger(event, budget), this.addToRollup(event)]);
    if (after) {
      budget = after;
      await this.alerts.queue(after, this.alerts.crossed(after, after.spentMicros - event.costMicros));
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
   * Adds the cost to the ledger the event was placed in. Returns the budget after, when it went to
   * the current period. A reset racing with this call moves the event to the closed period's ledger.
   */
  private async countInLedger(event: UsageEvent, budget: BudgetRecord): Promise<BudgetRecord | null> {
    const { store } = this.ctx;
    if (event.placement === 'none') return null;
    if (event.placement === 'closed') {
      await this.addToClosedLedger(event.userId, event.periodSeq, event.costMicros);
      return null;
    }
    const after = await store.budgets.addSpend(event.userId, event.periodSeq, event.costMicros);
    if (after) return after;
    // The period closed between reading the budget and counting: the event's time lies in the
    // period that just closed, so it belongs to that period's ledger (the reset-log entry).
    await this.addToClosedLedger(event.userId, budget.periodSeq, event.costMicros);
    await store.events.setPlacement(event.id, budget.periodSeq, 'closed');
    return null;
  }

  private async addToClosedLedger(userId: string, closedSeq: number, cost: Micros): Promise<void> {
    for (let attempt = 0; attempt < CLOSED_LEDGER_RETRIES; attempt++) {
      if (await this.ctx.store.resets.addLateSpend(userId, closedSeq, cost)) return;
      // The reset that closed it writes its log entry right after the budget; wait for it.
      await sleep(CLOSED_LEDGER_WAIT_MS);
    }
    throw new Error(`closed period ${closedSeq} of ${userId} has no reset-log entry; reconciliation will repair it`);
  }

  private async addToRollup(event: UsageEvent): Promise<void> {
    await this.ctx.store.rollups.add(
      { userId: event.userId, periodSeq: event.periodSeq, day: event.day, provider: event.provider, model: event.model, operation: event.operation },
      { costMicros: event.costMicros, inputTokens: event.inputTokens, outputTokens: event.outputTokens, count: 1 },
    );
  }
}
