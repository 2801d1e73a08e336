/**
 * The REST API under /api/v1: request logs, the routes (src/http/api/routes, one file per group),
 * then 404/405 for paths no route serves, and the one error handler that gives every refusal the
 * shape {"error":{"code","message","details"}}.
 */
import express from 'express';
import type { AppDeps } from '../../app.js';
import { ApiAuthenticator, perTokenRateLimit } from './auth.js';
import { apiErrorHandler, apiFallthrough } from './errors.js';
import { methodsAt, mountRoute } from './mount.js';
import { requestLogger } from './requestLog.js';
import { API_ROUTES } from './routes/index.js';

export function apiRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const auth = new ApiAuthenticator(deps.services);
  const context = { auth, rateLimit: perTokenRateLimit(auth, deps.config.api.rateLimitPerMinute), services: deps.services, routes: API_ROUTES };
  router.use(requestLogger(deps.logger, auth));
  for (const route of API_ROUTES) mountRoute(router, route, context);
  router.use(apiFallthrough(methodsAt(API_ROUTES)));
  router.use(apiErrorHandler(deps.logger));
  return router;
}
