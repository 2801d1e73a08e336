/**
 * Renders an admin page: the page's own template (views/admin/<page>.ejs), then views/layout.ejs
 * around it with the navigation, the signed-in admin, flash messages and the CSRF token every form
 * needs. Locals are plain objects (EJS 7 does not see inherited properties).
 */
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import type { Request, Response } from 'express';
import { actorLabelOf } from './actorLabel.js';
import { csrfToken } from './csrf.js';
import { viewHelpers } from './format.js';
import type { FlashMessage } from './session.js';

/** views/ at the top of the project; the same depth from src/http/admin and dist/http/admin. */
export const VIEWS_DIR = fileURLToPath(new URL('../../../views/', import.meta.url));

export type NavSection = 'overview' | 'users' | 'keys' | 'prices' | 'none';

export interface PageLocals {
  title: string;
  nav?: NavSection;
  [key: string]: unknown;
}

const NAV: { section: NavSection; href: string; label: string }[] = [
  { section: 'overview', href: '/admin', label: 'Overview' },
  { section: 'users', href: '/admin/users', label: 'Users' },
  { section: 'keys', href: '/admin/keys', label: 'API keys' },
  { section: 'prices', href: '/admin/prices', label: 'Model prices' },
];

export function flash(req: Request, message: FlashMessage): void {
  (req.session.flash ??= []).push(message);
}

function takeFlash(req: Request): FlashMessage[] {
  const messages = req.session.flash ?? [];
  if (messages.length > 0) delete req.session.flash;
  return messages;
}

export async function renderPage(req: Request, res: Response, view: string, locals: PageLocals): Promise<void> {
  const options = { views: [VIEWS_DIR], cache: req.app.enabled('view cache'), async: false };
  const admin = req.session.admin;
  const shared = {
    helpers: viewHelpers,
    csrfToken: csrfToken(req),
    signedInAs: admin ? actorLabelOf(admin.actor) : null,
    nav: NAV.map((item) => ({ ...item, current: item.section === (locals.nav ?? 'none') })),
    flash: takeFlash(req),
  };
  const page = { ...locals, ...shared };
  const body = await ejs.renderFile(`${VIEWS_DIR}${view}.ejs`, page, options);
  const html = await ejs.renderFile(`${VIEWS_DIR}layout.ejs`, { ...page, body }, options);
  // Admin pages show budgets and, once, new API keys: never keep them in a shared cache.
  res.set('Cache-Control', 'no-store');
  res.type('html').send(html);
}
