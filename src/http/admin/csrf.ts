/**
 * CSRF protection for every admin form: csrf-sync's synchroniser token, kept in the server-side
 * session and sent back by each form in a hidden `_csrf` field. A POST without the right token is
 * refused with 403 before any handler runs.
 */
import type { Request } from 'express';
import { csrfSync } from 'csrf-sync';

export const CSRF_FIELD = '_csrf';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || !(CSRF_FIELD in body)) return undefined;
    const token: unknown = (body as Record<string, unknown>)[CSRF_FIELD];
    return typeof token === 'string' ? token : undefined;
  },
});

export const csrfProtection = csrfSynchronisedProtection;

/** The session's token (made on first use); every page passes it to its forms. */
export function csrfToken(req: Request): string {
  return generateToken(req);
}

/** A new token, after the session was regenerated (sign-in). */
export function freshCsrfToken(req: Request): string {
  return generateToken(req, true);
}

/** csrf-sync's refusal: an http-errors error with this code. */
export function isCsrfError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'EBADCSRFTOKEN';
}
