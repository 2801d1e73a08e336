/**
 * Sign-in attempts are rate-limited per client IP (express-rate-limit): only failed attempts count,
 * so an admin who signs in often is never locked out by their own successes. Kept in memory: with
 * several web instances each counts on its own, which still bounds guessing to N × the limit.
 */
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AdminOptions } from './options.js';
import { renderPage } from './render.js';

export function signInLimiter(options: AdminOptions): RequestHandler {
  return rateLimit({
    windowMs: options.signInWindowMs,
    limit: options.signInAttempts,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res, next) => {
      const minutes = Math.ceil(options.signInWindowMs / 60_000);
      renderPage(req, res.status(429), 'admin/login', {
        title: 'Sign in',
        next: '/admin',
        signedOut: false,
        errors: { token: [`Too many failed attempts. Wait ${minutes} minutes and try again.`] },
      }).catch(next);
    },
  });
}
