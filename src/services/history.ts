/** The reset log and the settings audit log of a user, newest first, paged by cursor. */
import type { Actor } from '../domain/actor.js';
import { fieldError } from '../domain/errors.js';
import { parseOrThrow, userIdSchema } from '../domain/validation.js';
import type { AuditEntry } from '../store/auditLog.js';
import type { Page } from '../store/paging.js';
import type { ResetEntry } from '../store/resetLog.js';
import type { AccessPolicy } from './access.js';
import type { BudgetLoader } from './budgetLoader.js';
import type { ServiceContext } from './context.js';

export interface PageRequest {
  limit?: number;
  cursor?: string | null;
}

export const MAX_PAGE_SIZE = 100;

function pageArgs(page: PageRequest): { limit: number; cursor: string | null } {
  const limit = page.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw fieldError('limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  const cursor = page.cursor ?? null;
  if (cursor !== null && !/^[0-9a-f]{24}$/.test(cursor)) throw fieldError('cursor', 'is not a cursor this API returned');
  return { limit, cursor };
}

export class HistoryService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly loader: BudgetLoader,
    private readonly access: AccessPolicy,
  ) {}

  async resets(actor: Actor, userId: string, page: PageRequest = {}): Promise<Page<ResetEntry>> {
    const { limit, cursor } = pageArgs(page);
    const budget = await this.loader.load(parseOrThrow(userIdSchema, userId, 'user id'));
    await this.access.requireView(actor, budget);
    return this.ctx.store.resets.page(budget.userId, limit, cursor);
  }

  /** Settings changes, for whoever may see the budget. */
  async settingsChanges(actor: Actor, userId: string, page: PageRequest = {}): Promise<Page<AuditEntry>> {
    const { limit, cursor } = pageArgs(page);
    const budget = await this.loader.load(parseOrThrow(userIdSchema, userId, 'user id'));
    const access = await this.access.requireView(actor, budget);
    const entries = await this.ctx.store.audit.page(budget.userId, limit, cursor);
    if (access.isAdmin) return entries;
    // Admin notes are the admins' own (see withoutPrivateNotes): their changes are left out.
    return { ...entries, items: entries.items.map((e) => ({ ...e, changes: e.changes.filter((c) => c.field !== 'adminNotes') })).filter((e) => e.changes.length > 0) };
  }
}
