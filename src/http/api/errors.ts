/**
 * The API's one error handler: every refusal is {"error":{"code","message","details"}} with the
 * status it deserves. Services throw typed domain errors and know nothing of HTTP; this is the one
 * place that maps them. Anything unexpected is logged and answered as a 500 without internals.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, UnknownModelError, ValidationError } from '../../domain/errors.js';
import type { Logger } from '../../logger.js';
import { apiFieldErrors, invalidRequestMessage } from './fields.js';

export interface ApiErrorBody {
  error: { code: string; message: string; details: unknown };
}

export function apiError(code: string, message: string, details: unknown = null): ApiErrorBody {
  return { error: { code, message, details } };
}

export function sendError(res: Response, status: number, code: string, message: string, details: unknown = null): void {
  res.status(status).json(apiError(code, message, details));
}

/** Status, code and details for a domain error; null for errors the services did not mean to throw. */
export function fromDomainError(err: unknown): { status: number; body: ApiErrorBody } | null {
  if (!(err instanceof DomainError)) return null;
  if (err instanceof ValidationError) {
    // The services word their messages for every surface and name fields internally; here each
    // message names the fields as the API does, in one form for every route.
    const details = apiFieldErrors(err.fields);
    const message = Object.keys(details).length > 0 ? invalidRequestMessage(details) : err.message;
    return { status: 400, body: apiError(err.code, message, details) };
  }
  if (err instanceof ForbiddenError) return { status: 403, body: apiError(err.code, err.message) };
  if (err instanceof NotFoundError) return { status: 404, body: apiError(err.code, err.message) };
  if (err instanceof ConflictError) return { status: 409, body: apiError(err.code, err.message) };
  if (err instanceof UnknownModelError) return { status: 422, body: apiError(err.code, err.message, { model: err.model }) };
  return { status: 400, body: apiError(err.code, err.message) };
}

/** What express.json() throws: an HTTP error with a `type` (body-parser's "entity.parse.failed", ...). */
interface BodyParserError {
  status: number;
  type: string;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  if (typeof err !== 'object' || err === null) return false;
  const { status, type } = err as Record<string, unknown>;
  return typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string';
}

const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON (an object or an array)' },
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'The request body is larger than 100 KB' },
  'encoding.unsupported': { status: 415, code: 'unsupported_media_type', message: 'The request body encoding is not supported' },
  'charset.unsupported': { status: 415, code: 'unsupported_media_type', message: 'The request body must be UTF-8 JSON' },
};

/** Maps every error of an API request; unexpected ones are logged (with the stack) and answered as a bare 500. */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Too late for a JSON body; let Express close the connection.
      next(err);
      return;
    }
    const mapped = fromDomainError(err);
    if (mapped) {
      res.status(mapped.status).json(mapped.body);
      return;
    }
    if (isBodyParserError(err)) {
      // Never echo the body back: it may hold anything.
      const known = BODY_ERRORS[err.type] ?? { status: err.status, code: 'bad_request', message: 'The request body could not be read' };
      sendError(res, known.status, known.code, known.message);
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error in API request');
    sendError(res, 500, 'internal', 'Internal error');
  };
}

/**
 * The end of /api/v1: a path no route serves is 404; a path served with other methods is 405 with
 * an Allow header.
 */
export function apiFallthrough(allowedMethods: (path: string) => string[]): RequestHandler {
  return (req, res) => {
    const allowed = allowedMethods(req.path);
    if (allowed.length > 0) {
      res.setHeader('Allow', allowed.join(', '));
      sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed here; use ${allowed.join(' or ')}`);
      return;
    }
    sendError(res, 404, 'not_found', `No route for ${req.method} /api/v1${req.path}`);
  };
}
