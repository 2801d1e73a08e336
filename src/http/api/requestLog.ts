/**
 * One pino line per API request, when the response is finished: id, method, path, status, time,
 * and who called (the actor, never the token). Headers are not logged at all, so no Authorization
 * header can leak; a token pasted into a URL by mistake is masked too.
 *
 * Written here rather than with pino-http: the API sits in front of every LLM call, and pino-http
 * builds a child logger (bindings, serializers, redaction) for every request, whether or not its
 * line is written. That measured about 200 µs of CPU per request, a fifth of a budget check
 * (`npm run bench`); this costs a listener and one log call.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { actorId } from '../../domain/actor.js';
import type { Logger } from '../../logger.js';
import type { ApiAuthenticator } from './auth.js';

const TOKEN_IN_TEXT = /bb_(adm|svc|usr)_[A-Za-z0-9_-]+/g;

export function maskTokens(text: string): string {
  return text.replace(TOKEN_IN_TEXT, 'bb_$1_[redacted]');
}

export function requestLogger(logger: Logger, auth: ApiAuthenticator): RequestHandler {
  return (req, res, next) => {
    const id = randomUUID();
    const started = performance.now();
    res.setHeader('X-Request-Id', id);
    res.once('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const actor = auth.of(req)?.actor;
      logger[level](
        {
          req: { id, method: req.method, url: maskTokens(req.originalUrl) },
          res: { statusCode: status },
          responseTime: Math.round(performance.now() - started),
          ...(actor ? { actor: { kind: actor.kind, id: actorId(actor) } } : {}),
        },
        'request completed',
      );
    });
    next();
  };
}
