// Builds the Express app from its dependencies without listening, so tests drive it on an
// ephemeral port and main.ts owns the server's lifecycle. Nothing here opens connections.
import express from 'express';
import helmet from 'helmet';
import mongoose from 'mongoose';
import type { Config } from './config.js';
import { adminRouter } from './http/admin/index.js';
import { apiRouter } from './http/api/index.js';
import { apiDocsRouter } from './http/openapi/docsPage.js';
import { internalError, notFound } from './http/errors.js';
import { mountSlack } from './slack/index.js';
import type { Logger } from './logger.js';
import type { Services } from './services/index.js';

/** Everything the HTTP surfaces need; later features add their services here as fields. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  services: Services;
  mongo: { engine: string; connection: mongoose.Connection };
}

const PING_TIMEOUT_MS = 2_000;

export function buildApp(deps: AppDeps): express.Express {
  const app = express();
  app.set('trust proxy', deps.config.http.trustProxy);
  // No ETags: every answer here is computed per request (budgets, decisions, pages with a CSRF
  // token), so a client never gets a 304, while Express would hash every body to make one (about
  // 70 µs of CPU per request on the 2-core bench machine; static assets keep their own ETags).
  app.set('etag', false);
  app.use(
    helmet({
      // Browsers would rewrite every asset URL to https, which breaks the admin page and the API
      // reference when they are opened over plain http on anything but localhost (a VM, a LAN
      // address). TLS is the load balancer's job; HSTS still applies whenever HTTPS is used.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  // No global body parser: Bolt's receiver must see the raw body to check Slack signatures
  // (STACK.md); routers that need JSON add express.json() themselves.

  app.get('/health', async (_req, res) => {
    const up = await pingDatabase(deps.mongo.connection);
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'degraded', engine: deps.mongo.engine, db: up ? 'up' : 'down' });
  });

  // A person who opens the bare address gets the admin page (or its sign-in), not a JSON 404.
  app.get('/', (_req, res) => {
    res.redirect(302, '/admin');
  });

  // Slack first: Bolt's receiver must see the raw body, before any parser (STACK.md).
  mountSlack(app, deps);
  app.use('/api/v1', apiRouter(deps));
  app.use('/api/docs', apiDocsRouter('/api/v1/openapi.json'));
  app.use('/admin', adminRouter(deps));

  app.use(notFound);
  app.use(internalError(deps.logger));
  return app;
}

// A health check must answer even when the database hangs, hence the timeout.
async function pingDatabase(connection: mongoose.Connection): Promise<boolean> {
  const db = connection.db;
  if (connection.readyState !== mongoose.ConnectionStates.connected || db === undefined) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  try {
    const ping = db.command({ ping: 1 }).then(() => true as const, () => false as const);
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
