/**
 * `Authorization: Bearer <token>` for the REST API. The token service checks the token (hashes only,
 * cached); this turns the answer into an actor for the request, or a 401. The token itself is kept
 * nowhere but in the header: the per-token rate limit keys on a hash of it, and logs never see it.
 */
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Actor } from '../../domain/actor.js';
import type { Services } from '../../services/index.js';
import { sendError } from './errors.js';

/** Failed authentications allowed per client IP per minute: slows guessing, never blocks valid tokens. */
export const AUTH_FAILURES_PER_MINUTE = 100;
/** Real tokens are about 50 characters; anything much longer is not worth hashing. */
const MAX_TOKEN_LENGTH = 512;
const BEARER = /^Bearer +([A-Za-z0-9._~+/=-]+) *$/i;

export interface RequestAuth {
  actor: Actor;
  /** A hash of the token: the key of its rate limit. */
  tokenKey: string;
}

/** The bearer token of a request, or undefined when there is none in the expected form. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length > MAX_TOKEN_LENGTH + 10) return undefined;
  return BEARER.exec(header)?.[1];
}

export class ApiAuthenticator {
  /** Per request, without touching Express's types: gone with the request. */
  private readonly auths = new WeakMap<object, RequestAuth>();
  private readonly failures = rateLimit({
    windowMs: 60_000,
    limit: AUTH_FAILURES_PER_MINUTE,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      sendError(res, 429, 'rate_limited', 'Too many failed authentications from this address; wait a minute');
    },
  });

  constructor(private readonly services: Services) {}

  of(req: object): RequestAuth | undefined {
    return this.auths.get(req);
  }

  /** Sets the request's actor, or answers 401 (429 after too many failures from one address). */
  readonly middleware: RequestHandler = async (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    const identified = token === undefined ? null : await this.services.tokens.identify(token);
    if (token === undefined || identified === null) {
      // Only failures pass through the limiter, so a client with a valid token is never blocked.
      await this.failures(req, res, () => unauthorized(res, token !== undefined));
      return;
    }
    this.auths.set(req, { actor: identified.actor, tokenKey: identified.tokenHash });
    next();
  };
}

function unauthorized(res: Response, tokenGiven: boolean): void {
  res.setHeader('WWW-Authenticate', tokenGiven ? 'Bearer realm="budget-bot", error="invalid_token"' : 'Bearer realm="budget-bot"');
  sendError(
    res,
    401,
    'unauthorized',
    tokenGiven ? 'The API token is not valid or has been revoked' : 'An API token is required: Authorization: Bearer <token>',
  );
}

/** The per-token limit: each token (not each IP) gets `perMinute` requests a minute. */
export function perTokenRateLimit(auth: ApiAuthenticator, perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req: Request) => auth.of(req)?.tokenKey ?? 'unauthenticated',
    handler: (_req, res: Response) => {
      sendError(res, 429, 'rate_limited', `Too many requests with this token: at most ${perMinute} a minute; retry after the Retry-After header's seconds`, {
        limit_per_minute: perMinute,
      });
    },
  });
}
