/**
 * Server-side admin sessions: express-session with the sessions kept in MongoDB by connect-mongo, on
 * the app's own mongoose connection. The cookie holds only the signed session id (HttpOnly,
 * SameSite=Lax, Secure whenever the request came over HTTPS, also behind a trusted proxy).
 *
 * Expiry is enforced twice: connect-mongo gives each stored session an `expires` date (a TTL index
 * removes old ones on real MongoDB, and its reads skip expired ones), and the session itself records
 * when it was signed in and last used, which `enforceExpiry` checks on every request. The second
 * check does not depend on the database honouring TTL indexes (jongodb never expires them).
 */
import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import session from 'express-session';
import mongoose from 'mongoose';
import type { Actor } from '../../domain/actor.js';
import type { Logger } from '../../logger.js';
import type { AdminOptions } from './options.js';

export const SESSION_COOKIE = 'budgetbot_admin';
export const SESSION_COLLECTION = 'admin_sessions';
/** How often "last seen" is written (at most): every request would be a write for nothing. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface AdminSignIn {
  actor: Actor;
  /** How they proved it: an admin token typed on the sign-in page, or a one-time link from Slack. */
  via: 'token' | 'link';
  signedInAt: number;
  lastSeenAt: number;
}

export interface FlashMessage {
  kind: 'success' | 'error';
  text: string;
}

declare module 'express-session' {
  interface SessionData {
    admin: AdminSignIn;
    flash: FlashMessage[];
  }
}

export function adminSessions(deps: { connection: mongoose.Connection; secret: string; logger: Logger }, options: AdminOptions): RequestHandler {
  const store = MongoStore.create({
    client: deps.connection.getClient(),
    dbName: deps.connection.name,
    collectionName: SESSION_COLLECTION,
    ttl: Math.ceil(options.idleTimeoutMs / 1000),
    autoRemove: 'native',
  });
  // The store builds its TTL index as soon as it is made; a failure there must be logged, not left
  // as an unhandled rejection (requests then fail with the same error). A connection closed by a
  // shutdown, or by a start-up that failed elsewhere, is not news.
  store.collectionP.catch((err: unknown) => {
    if (deps.connection.readyState === mongoose.ConnectionStates.connected) deps.logger.error({ err }, 'admin session store could not start');
  });

  return session({
    name: SESSION_COOKIE,
    secret: deps.secret,
    store,
    // Only sessions with something in them are stored (a CSRF token or a sign-in).
    saveUninitialized: false,
    resave: false,
    // Every response moves the cookie's (and the stored session's) expiry on: an idle timeout.
    rolling: true,
    cookie: {
      path: '/admin',
      httpOnly: true,
      sameSite: 'lax',
      // 'auto': Secure when req.secure, which honours X-Forwarded-Proto when TRUST_PROXY is on.
      secure: 'auto',
      maxAge: options.idleTimeoutMs,
    },
  });
}

/** Ends a signed-in session that has been idle too long or lived too long; records activity. */
export function enforceExpiry(options: AdminOptions): RequestHandler {
  return (req, _res, next) => {
    const admin = req.session.admin;
    if (!admin) {
      next();
      return;
    }
    const now = Date.now();
    if (now - admin.lastSeenAt > options.idleTimeoutMs || now - admin.signedInAt > options.absoluteTimeoutMs) {
      req.session.regenerate((err) => {
        if (err) {
          next(err);
          return;
        }
        req.session.flash = [{ kind: 'error', text: 'Your session expired. Sign in again.' }];
        next();
      });
      return;
    }
    if (now - admin.lastSeenAt >= Math.min(LAST_SEEN_RESOLUTION_MS, options.idleTimeoutMs / 10)) admin.lastSeenAt = now;
    next();
  };
}
