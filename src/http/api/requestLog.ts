/**
 * One pino line per API request: id, method, path, status, time, and who called (the actor, never
 * the token). Headers are not logged at all, so no Authorization header can leak; a token pasted
 * into a URL by mistake is masked too.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import { actorId } from '../../domain/actor.js';
import type { Logger } from '../../logger.js';
import type { ApiAuthenticator } from './auth.js';

const TOKEN_IN_TEXT = /bb_(adm|svc|usr)_[A-Za-z0-9_-]+/g;

export function maskTokens(text: string): string {
  return text.replace(TOKEN_IN_TEXT, 'bb_$1_[redacted]');
}

interface LoggedRequest {
  id?: unknown;
  method?: string;
  url?: string;
}

interface LoggedResponse {
  statusCode?: number;
}

export function requestLogger(logger: Logger, auth: ApiAuthenticator) {
  return pinoHttp({
    logger,
    genReqId: (_req: IncomingMessage, res: ServerResponse) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: LoggedRequest) => ({ id: req.id, method: req.method, url: maskTokens(req.url ?? '') }),
      res: (res: LoggedResponse) => ({ statusCode: res.statusCode }),
    },
    customProps: (req: IncomingMessage) => {
      const actor = auth.of(req)?.actor;
      return actor ? { actor: { kind: actor.kind, id: actorId(actor) } } : {};
    },
    customLogLevel: (_req, res, err) => (err !== undefined || res.statusCode >= 500 ? 'error' : 'info'),
  });
}
