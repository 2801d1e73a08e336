// The JSON error shape every HTTP surface answers with: {"error":{"code","message","details"}},
// `details` null when there is nothing more to say.
// One 404 handler and one final error middleware, mounted last by app.ts. Express 5 forwards
// rejected promises from async handlers here, so routes need no try/catch of their own.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.js';

export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

export function errorBody(code: string, message: string, details: unknown = null): ErrorBody {
  return { error: { code, message, details } };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('not_found', `No route for ${req.method} ${req.path}`));
};

/** Last middleware: log the error with its stack, answer without it. */
export function internalError(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error in request');
    if (res.headersSent) {
      // Too late for a JSON body; let Express close the connection.
      next(err);
      return;
    }
    res.status(500).json(errorBody('internal', 'Internal error'));
  };
}
