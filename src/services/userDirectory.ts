/**
 * The admin list of users: search, filter by alert level, sort by spend, % used or name, paged.
 * Level and % used are ratios of two stored numbers, which MongoDB cannot sort or filter on
 * without aggregation expressions (not in the subset this project may use), so this reads every
 * budget once and works in memory. That is fine for a workspace of tens of thousands of people;
 * past that, store a derived level on the budget and index it.
 */
import type { Actor } from '../domain/actor.js';
import { ForbiddenError, fieldError } from '../domain/errors.js';
import { ALERT_LEVELS, type AlertLevel } from '../domain/levels.js';
import { budgetStatus, type BudgetStatus } from '../domain/status.js';
import type { BudgetRecord } from '../domain/budget.js';
import type { AccessPolicy } from './access.js';
import type { BudgetLoader } from './budgetLoader.js';
import type { ServiceContext } from './context.js';
import { MAX_PAGE_SIZE } from './history.js';

export const USER_SORTS = ['spend', 'percent', 'name'] as const;
export type UserSort = (typeof USER_SORTS)[number];

export interface DirectoryQuery {
  search?: string;
  level?: AlertLevel;
  sort?: UserSort;
  order?: 'asc' | 'desc';
  limit?: number;
  /** Opaque: the value of `nextCursor` from the previous page. */
  cursor?: string | null;
}

export interface DirectoryEntry {
  budget: BudgetRecord;
  status: BudgetStatus;
  isAdmin: boolean;
}

export interface DirectoryPage {
  items: DirectoryEntry[];
  total: number;
  nextCursor: string | null;
}

const encodeCursor = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match?.[1]) throw fieldError('cursor', 'is not a cursor this API returned');
  return Number(match[1]);
}

export class UserDirectory {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly loader: BudgetLoader,
    private readonly access: AccessPolicy,
  ) {}

  async list(actor: Actor, query: DirectoryQuery = {}): Promise<DirectoryPage> {
    if (!(await this.access.actorIsAdmin(actor))) throw new ForbiddenError('Only admins can list users');
    const limit = query.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw fieldError('limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    if (query.level !== undefined && !ALERT_LEVELS.includes(query.level)) throw fieldError('level', `must be one of ${ALERT_LEVELS.join(', ')}`);
    const offset = query.cursor ? decodeCursor(query.cursor) : 0;
    const now = this.ctx.clock();
    const needle = query.search?.trim().toLowerCase();

    const entries = (await this.ctx.store.budgets.all())
      .map((budget) => {
        const isAdmin = this.loader.isAdmin(budget);
        return { budget, isAdmin, status: budgetStatus(budget, isAdmin, now) };
      })
      .filter((e) => query.level === undefined || e.status.alertLevel === query.level)
      .filter((e) => !needle || [e.budget.userId, e.budget.displayName ?? '', e.budget.email ?? ''].some((v) => v.toLowerCase().includes(needle)));

    const sort = query.sort ?? 'percent';
    const direction = (query.order ?? (sort === 'name' ? 'asc' : 'desc')) === 'asc' ? 1 : -1;
    const name = (e: DirectoryEntry) => (e.budget.displayName ?? e.budget.userId).toLowerCase();
    const key = (e: DirectoryEntry): number | string => (sort === 'spend' ? e.status.spentMicros : sort === 'percent' ? e.status.percentUsed : name(e));
    entries.sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const primary = x < y ? -1 : x > y ? 1 : 0;
      return primary * direction || a.budget.userId.localeCompare(b.budget.userId);
    });

    const items = entries.slice(offset, offset + limit);
    const next = offset + items.length;
    return { items, total: entries.length, nextCursor: next < entries.length ? encodeCursor(next) : null };
  }
}
