/**
 * The admin page's own 404 and error pages: HTML for people instead of the API's JSON. Typed errors
 * from the services map to their status once, here; a CSRF refusal is a 403 that says what to do.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Logger } from '../../logger.js';
import { isCsrfError } from './csrf.js';
import { renderPage } from './render.js';

export const adminNotFound: RequestHandler = async (req, res) => {
  await renderPage(req, res.status(404), 'admin/error', { title: 'Not found', message: `There is no admin page at ${req.originalUrl}.` });
};

function describe(err: unknown): { status: number; title: string; message: string } | null {
  if (isCsrfError(err)) {
    return {
      status: 403,
      title: 'Form expired',
      message: 'This form was not sent from a current admin page (or your session changed). Go back, reload the page and try again. Nothing was changed.',
    };
  }
  if (err instanceof ForbiddenError) return { status: 403, title: 'Not allowed', message: err.message };
  if (err instanceof NotFoundError) return { status: 404, title: 'Not found', message: err.message };
  if (err instanceof ValidationError) return { status: 400, title: 'Bad request', message: err.message };
  if (err instanceof ConflictError) return { status: 409, title: 'Conflict', message: err.message };
  if (err instanceof DomainError) return { status: 400, title: 'Bad request', message: err.message };
  // body-parser's errors (too large, malformed) carry a 4xx status and a safe message.
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
    return { status: err.status, title: 'Bad request', message: 'The form could not be read. Go back and try again.' };
  }
  return null;
}

export function adminErrors(logger: Logger): ErrorRequestHandler {
  return async (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const known = describe(err);
    if (!known) logger.error({ err, method: req.method, path: req.originalUrl }, 'unhandled error on the admin page');
    const { status, title, message } = known ?? { status: 500, title: 'Something went wrong', message: 'The page could not be shown. Try again; if it keeps failing, see the server log.' };
    try {
      await renderPage(req, res.status(status), 'admin/error', { title, message });
    } catch (renderError) {
      // No session or a broken template: still answer, in plain text.
      logger.error({ err: renderError }, 'could not render the admin error page');
      if (!res.headersSent) res.status(status).type('text').send(`${title}: ${message}`);
    }
  };
}
