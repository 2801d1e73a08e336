// Builds the Express app from its dependencies without listening, so tests drive it on an
// ephemeral port and main.ts owns the server's lifecycle. Nothing here opens connections.
import express from 'express';
import helmet from 'helmet';
import mongoose from 'mongoose';
import type { Config } from './config.js';
import { internalError, notFound } from './http/errors.js';
import type { Logger } from './logger.js';

/** Everything the HTTP surfaces need; later features add their services here as fields. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  mongo: { engine: string; connection: mongoose.Connection };
}

const PING_TIMEOUT_MS = 2_000;

export function buildApp(deps: AppDeps): express.Express {
  const app = express();
  app.set('trust proxy', deps.config.http.trustProxy);
  app.use(helmet());
  // No global body parser: Bolt's receiver must see the raw body to check Slack signatures
  // (STACK.md); routers that need JSON add express.json() themselves.

  app.get('/health', async (_req, res) => {
    const up = await pingDatabase(deps.mongo.connection);
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'degraded', engine: deps.mongo.engine, db: up ? 'up' : 'down' });
  });

  // ---- Feature mounts go here, in this order -------------------------------------------------
  // 1. Slack (Bolt ExpressReceiver) at /slack/events - first, before any body parser.
  // 2. REST API router at /api/v1 (with its own express.json() and auth).
  // 3. Admin pages at /admin (EJS views, sessions, CSRF).
  // ---------------------------------------------------------------------------------------------

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
