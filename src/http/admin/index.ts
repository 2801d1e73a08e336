/**
 * The admin web page under /admin: server-rendered EJS pages over the same services as the REST API.
 *
 * Order matters: static assets (public, no session) → session (MongoDB) and its expiry → form body
 * parser → CSRF check on every POST → sign-in pages → the admin gate → the pages → HTML 404 and
 * error pages. How to add a page: see src/http/admin/README.md.
 */
import express from 'express';
import type { AppDeps } from '../../app.js';
import { assetsRouter } from './assets.js';
import { requireAdmin } from './auth.js';
import { csrfProtection } from './csrf.js';
import { adminErrors, adminNotFound } from './errors.js';
import { DEFAULT_ADMIN_OPTIONS, type AdminOptions } from './options.js';
import { apiKeysPage } from './pages/apiKeys.js';
import { loginPages } from './pages/login.js';
import { overviewPage } from './pages/overview.js';
import { pricesPage } from './pages/prices.js';
import { userPage } from './pages/user.js';
import { usersPage } from './pages/users.js';
import { adminSessions, enforceExpiry } from './session.js';
import { signInLimiter } from './signInLimiter.js';

export function adminRouter(deps: AppDeps, overrides: Partial<AdminOptions> = {}): express.Router {
  const options: AdminOptions = { ...DEFAULT_ADMIN_OPTIONS, ...overrides };
  const { services } = deps;
  const router = express.Router();

  router.use(assetsRouter());
  router.use(adminSessions({ connection: deps.mongo.connection, secret: deps.config.session.secret, logger: deps.logger }, options));
  router.use(enforceExpiry(options));
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 }));
  router.use(csrfProtection);

  loginPages(router, services, signInLimiter(options));
  router.use(requireAdmin(services, deps.config.admin.apiToken !== undefined));
  overviewPage(router, services);
  usersPage(router, services);
  userPage(router, services);
  apiKeysPage(router, services);
  pricesPage(router, services);

  router.use(adminNotFound);
  router.use(adminErrors(deps.logger));
  return router;
}
