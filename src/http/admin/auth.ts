/**
 * Who is signed in to the admin page, and the gate in front of every page and action. Signing in
 * regenerates the session (no fixation); signing out destroys it. Permission rules stay in the
 * services: the gate only makes sure there is an admin to act as, and every service call checks
 * again with that actor.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Actor } from '../../domain/actor.js';
import type { Services } from '../../services/index.js';
import { renderPage } from './render.js';
import { SESSION_COOKIE } from './session.js';

export const LOGIN_PATH = '/admin/login';
/** The actor id services.tokens gives ADMIN_API_TOKEN. */
const ENV_ADMIN_ID = 'ADMIN_API_TOKEN';

/** The signed-in admin; the gate has run before any handler that calls this. */
export function currentActor(req: Request): Actor {
  const admin = req.session.admin;
  if (!admin) throw new Error('no admin session: requireAdmin must run first');
  return admin.actor;
}

export async function signIn(req: Request, actor: Actor, via: 'token' | 'link'): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(toError(err)) : resolve())));
  const now = Date.now();
  req.session.admin = { actor, via, signedInAt: now, lastSeenAt: now };
}

export async function signOut(req: Request, res: Response): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(toError(err)) : resolve())));
  res.clearCookie(SESSION_COOKIE, { path: '/admin' });
}

/**
 * Whether the signed-in actor still is an admin: a Slack user while they have the role, an admin
 * key until it is revoked, ADMIN_API_TOKEN while it is configured. Checked on every request, so
 * taking the right away ends the sessions it opened.
 */
async function stillAdmin(services: Services, actor: Actor, envTokenConfigured: boolean): Promise<boolean> {
  if (actor.kind === 'user') return services.access.actorIsAdmin(actor);
  if (actor.kind !== 'admin') return false;
  if (actor.id === ENV_ADMIN_ID) return envTokenConfigured;
  return (await services.tokens.list(actor, { kind: 'admin' })).some((token) => token.id === actor.id);
}

/** Pages redirect to the sign-in page (and come back after); anything else gets 401. */
export function requireAdmin(services: Services, envTokenConfigured: boolean): RequestHandler {
  return async (req, res, next) => {
    const admin = req.session.admin;
    if (admin && (await stillAdmin(services, admin.actor, envTokenConfigured))) {
      next();
      return;
    }
    if (admin) delete req.session.admin;
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(303, `${LOGIN_PATH}?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    await renderPage(req, res.status(401), 'admin/error', {
      title: 'Sign in first',
      message: 'This action needs an admin session. Sign in and try again.',
    });
  };
}

/** Only paths of this admin page are followed after sign-in, never another site. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string') return '/admin';
  const local = /^\/admin(\/[A-Za-z0-9._~%/-]*)?(\?[A-Za-z0-9._~%&=+-]*)?$/.test(next);
  return local && !next.includes('..') && !next.includes('//') && !next.startsWith('/admin/login') ? next : '/admin';
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
