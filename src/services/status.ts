/** Where a user's budget stands. One database round trip in the steady state. */
import type { Actor } from '../domain/actor.js';
import { budgetStatus, type BudgetStatus } from '../domain/status.js';
import { parseOrThrow, userIdSchema } from '../domain/validation.js';
import type { AccessPolicy } from './access.js';
import type { BudgetLoader } from './budgetLoader.js';
import type { Clock } from './context.js';

export class StatusService {
  constructor(
    private readonly clock: Clock,
    private readonly loader: BudgetLoader,
    private readonly access: AccessPolicy,
  ) {}

  async status(actor: Actor, userId: string): Promise<BudgetStatus> {
    const budget = await this.loader.load(parseOrThrow(userIdSchema, userId, 'user id'));
    await this.access.requireView(actor, budget);
    return budgetStatus(budget, this.loader.isAdmin(budget), this.clock());
  }
}
