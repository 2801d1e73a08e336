/**
 * Mounts route definitions on an Express router, each behind what it needs, in this order:
 * authentication, the per-token rate limit, the admin-token check, the JSON body parser (100 KB),
 * then validation and the handler (ApiRoute.run).
 */
import express, { type RequestHandler } from 'express';
import type { Services } from '../../services/index.js';
import type { ApiAuthenticator } from './auth.js';
import { sendError } from './errors.js';
import type { ApiRoute } from './route.js';
import { requireAdminToken } from './target.js';

export const JSON_BODY_LIMIT = '100kb';

export interface MountContext {
  auth: ApiAuthenticator;
  rateLimit: RequestHandler;
  services: Services;
  /** Every route on the router (handed to handlers: the OpenAPI route documents them). */
  routes: readonly ApiRoute[];
}

/** "/admin/tokens/{id}" → "/admin/tokens/:id" */
export function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

const jsonBody = express.json({ limit: JSON_BODY_LIMIT, strict: true });

/** A body that is there but not JSON is refused, rather than read as a missing body. */
const requireJsonBody: RequestHandler = (req, res, next) => {
  if (req.is('application/json') === false) {
    sendError(res, 415, 'unsupported_media_type', 'Send the body as JSON (Content-Type: application/json)');
    return;
  }
  next();
};

export function mountRoute(router: express.Router, route: ApiRoute, ctx: MountContext): void {
  const chain: RequestHandler[] = [];
  if (route.auth !== 'public') chain.push(ctx.auth.middleware, ctx.rateLimit);
  if (route.auth === 'admin') {
    chain.push((req, _res, next) => {
      const actor = ctx.auth.of(req)?.actor;
      if (actor) requireAdminToken(actor);
      next();
    });
  }
  if (route.body !== undefined) chain.push(requireJsonBody, jsonBody);
  chain.push(async (req, res) => {
    const reply = await route.run({
      actor: ctx.auth.of(req)?.actor ?? null,
      services: ctx.services,
      params: req.params,
      query: req.query,
      body: route.body === undefined ? undefined : (req.body as unknown),
      routes: ctx.routes,
    });
    res.status(reply.status).json(reply.body);
  });
  router[route.method](expressPath(route.path), ...chain);
}

/** Methods served at a path, for 405 answers ("GET", "PUT"). */
export function methodsAt(routes: readonly ApiRoute[]): (path: string) => string[] {
  const patterns = routes.map((route) => ({
    method: route.method.toUpperCase(),
    pattern: new RegExp(`^${expressPath(route.path).replace(/[.]/g, '\\.').replace(/:[A-Za-z0-9_]+/g, '[^/]+')}/?$`, 'i'),
  }));
  return (path) => [...new Set(patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))];
}
