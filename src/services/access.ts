/**
 * Permission checks at the service layer, so every surface (REST, Slack, admin page) enforces the
 * same rules. An actor is an admin (admin key, configured admin id, admin role), a service
 * integration, or the budget's owner acting under their permission flags.
 */
import type { Actor } from '../domain/actor.js';
import type { BudgetRecord } from '../domain/budget.js';
import { ForbiddenError } from '../domain/errors.js';
import { isAdmin, ownerPermissions } from '../domain/permissions.js';
import type { ServiceContext } from './context.js';

export interface Access {
  isAdmin: boolean;
  isService: boolean;
  isOwner: boolean;
  canView: boolean;
  canModifyLimit: boolean;
  canReset: boolean;
}

export const HIDDEN_BUDGET_MESSAGE = 'Your budget is managed by an admin, who has not made it visible to you';

export class AccessPolicy {
  constructor(private readonly ctx: Pick<ServiceContext, 'store' | 'adminUserIds'>) {}

  /** Whether `actor` is an admin. A user acting on someone else costs one read of their own record. */
  async actorIsAdmin(actor: Actor, target?: BudgetRecord): Promise<boolean> {
    if (actor.kind === 'admin' || actor.kind === 'system') return true;
    if (actor.kind === 'service') return false;
    if (this.ctx.adminUserIds.has(actor.userId)) return true;
    const own = target?.userId === actor.userId ? target : await this.ctx.store.budgets.find(actor.userId);
    return own ? isAdmin(own.userId, own.role, this.ctx.adminUserIds) : false;
  }

  async resolve(actor: Actor, budget: BudgetRecord): Promise<Access> {
    const admin = await this.actorIsAdmin(actor, budget);
    const isService = actor.kind === 'service';
    const isOwner = actor.kind === 'user' && actor.userId === budget.userId;
    if (admin) return { isAdmin: true, isService, isOwner, canView: true, canModifyLimit: true, canReset: true };
    if (isService) return { isAdmin: false, isService, isOwner, canView: true, canModifyLimit: false, canReset: false };
    if (!isOwner) return { isAdmin: false, isService, isOwner, canView: false, canModifyLimit: false, canReset: false };
    return { isAdmin: false, isService, isOwner, ...ownerPermissions(budget, false) };
  }

  /** Throws unless the actor may read this budget (owner of a visible budget, service or admin). */
  async requireView(actor: Actor, budget: BudgetRecord): Promise<Access> {
    const access = await this.resolve(actor, budget);
    if (access.canView) return access;
    if (access.isOwner) throw new ForbiddenError(HIDDEN_BUDGET_MESSAGE, 'budget_hidden');
    throw new ForbiddenError("You may not see another user's budget");
  }
}
