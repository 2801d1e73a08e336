/**
 * The users table: search (id, name, email), filter by alert level, sort by spend, % used or name,
 * spend bars, paging. Also opens any user by Slack id, including one the bot has not seen yet.
 */
import type express from 'express';
import { z } from 'zod';
import { ValidationError } from '../../../domain/errors.js';
import { ALERT_LEVELS } from '../../../domain/levels.js';
import { fieldErrors, userIdSchema } from '../../../domain/validation.js';
import type { Services } from '../../../services/index.js';
import { USER_SORTS } from '../../../services/userDirectory.js';
import { currentActor } from '../auth.js';
import { renderPage } from '../render.js';

const PAGE_SIZE = 25;

// Query strings from this page's own forms and links; anything else is a 400 that says why.
const querySchema = z.object({
  q: z.string().trim().max(100, 'must be at most 100 characters').optional(),
  level: z.union([z.literal(''), z.enum(ALERT_LEVELS)]).optional(),
  sort: z.enum(USER_SORTS).optional(),
  order: z.union([z.literal(''), z.enum(['asc', 'desc'])]).optional(),
  cursor: z.string().max(100).optional(),
  /** Position of the page's first row, for "showing 26-50"; only for display. */
  from: z.string().regex(/^\d{1,9}$/).transform(Number).optional(),
  open: z.string().trim().optional(),
});

export function usersPage(router: express.Router, services: Services): void {
  router.get('/users', async (req, res) => {
    const parsed = querySchema.safeParse(req.query);
    if (!parsed.success) throw new ValidationError('This users page address has bad parameters', fieldErrors(parsed.error));
    const query = parsed.data;

    let openError: string[] = [];
    if (query.open !== undefined) {
      const id = userIdSchema.safeParse(query.open);
      if (id.success) {
        res.redirect(303, `/admin/users/${encodeURIComponent(id.data)}`);
        return;
      }
      openError = id.error.issues.map((i) => `Slack user id ${i.message}`);
    }

    const sort = query.sort ?? 'percent';
    const order = query.order === '' ? undefined : query.order;
    const level = query.level === '' ? undefined : query.level;
    const page = await services.users.list(currentActor(req), {
      search: query.q,
      level,
      sort,
      order,
      limit: PAGE_SIZE,
      cursor: query.cursor ?? null,
    });
    const from = query.cursor ? (query.from ?? 0) : 0;
    const filters = { q: query.q ?? '', level: level ?? '', sort, order: order ?? '' };
    const link = (extra: Record<string, string>) => `/admin/users?${new URLSearchParams({ ...filters, ...extra }).toString()}`;

    await renderPage(req, res, 'admin/users', {
      title: 'Users',
      nav: 'users',
      filters,
      levels: ALERT_LEVELS,
      sorts: USER_SORTS,
      rows: page.items.map((entry) => ({
        userId: entry.budget.userId,
        name: entry.budget.displayName,
        email: entry.budget.email,
        isAdmin: entry.isAdmin,
        status: entry.status,
        href: `/admin/users/${encodeURIComponent(entry.budget.userId)}`,
      })),
      total: page.total,
      from,
      nextHref: page.nextCursor ? link({ cursor: page.nextCursor, from: String(from + page.items.length) }) : null,
      firstHref: query.cursor ? link({}) : null,
      sortHref: (column: string) => link({ sort: column, order: '' }),
      open: { value: query.open ?? '', errors: openError },
    });
  });
}
