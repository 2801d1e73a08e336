/** The pre-call decision: may this user spend this much on this model? */
import type { BudgetRecord } from './budget.js';
import type { Micros } from './money.js';

export type CheckAction = 'allow' | 'fallback' | 'block';

/**
 * Enforced budgets block (or fall back to the local model when auto-fallback is on) once the spend
 * has reached the limit or the estimated call would pass it. Free and local models are never blocked,
 * and an unenforced budget always allows.
 */
export function decide(budget: Pick<BudgetRecord, 'limitMicros' | 'spentMicros' | 'enforceBudget' | 'autoFallback'>, estimate: Micros, modelIsFree: boolean): CheckAction {
  if (modelIsFree || !budget.enforceBudget) return 'allow';
  const wouldPass = budget.spentMicros >= budget.limitMicros || budget.spentMicros + estimate > budget.limitMicros;
  if (!wouldPass) return 'allow';
  return budget.autoFallback ? 'fallback' : 'block';
}
