/** The pre-call budget check of the hot path: one database round trip (prices are cached). */
import type { Actor } from '../domain/actor.js';
import { decide, type CheckAction } from '../domain/check.js';
import { alertLevel, type AlertLevel } from '../domain/levels.js';
import type { Micros } from '../domain/money.js';
import { checkInputSchema, parseOrThrow, type CheckInput } from '../domain/validation.js';
import type { AccessPolicy } from './access.js';
import type { BudgetLoader } from './budgetLoader.js';
import type { PriceBook } from './priceBook.js';

export interface CheckResult {
  action: CheckAction;
  /** The model to use instead, when the action is `fallback`. */
  fallbackModel: string | null;
  remainingMicros: Micros;
  alertLevel: AlertLevel;
}

export class BudgetChecker {
  constructor(
    private readonly loader: BudgetLoader,
    private readonly prices: PriceBook,
    private readonly access: AccessPolicy,
  ) {}

  async check(actor: Actor, input: CheckInput): Promise<CheckResult> {
    const parsed = parseOrThrow(checkInputSchema, input, 'budget check');
    const [budget, free] = await Promise.all([this.loader.load(parsed.userId), this.prices.isFreeModel(parsed.model, parsed.provider)]);
    await this.access.requireView(actor, budget);
    const action = decide(budget, parsed.estimatedCostMicros, free);
    return {
      action,
      fallbackModel: action === 'fallback' ? budget.fallbackModel : null,
      remainingMicros: Math.max(0, budget.limitMicros - budget.spentMicros),
      alertLevel: alertLevel(budget.spentMicros, budget.limitMicros, budget.thresholds),
    };
  }
}
