// Composition root: read config, open the database, build the app, listen, and stop cleanly.
// start() does the work and is what tests call (on port 0); the block at the bottom runs only
// when this file is the entry point (node dist/main.js, tsx src/main.ts).
import { realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { config as loadDotenv } from 'dotenv';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { connectMongo } from './db/connect.js';
import { resolveMongo } from './db/launcher.js';
import { createLogger, type Logger } from './logger.js';
import type { Clock } from './services/context.js';
import { servicesFromConfig } from './services/fromConfig.js';

export interface Running {
  /** The HTTP server, or undefined when ROLE=worker (no HTTP). */
  server: Server | undefined;
  /** Idempotent; closes HTTP, then the connection, then the embedded MongoDB. */
  stop(): Promise<void>;
}

/** Idle keep-alive sockets are closed at once; busy ones get this long to finish. */
const HTTP_DRAIN_MS = 5_000;
/** After a signal, give up on a graceful stop after this long. */
const SHUTDOWN_LIMIT_MS = 15_000;

/** What tests may replace: the clock (so no test sleeps through a period). */
export interface StartOptions {
  clock?: Clock;
}

export async function start(config: Config, logger: Logger, options: StartOptions = {}): Promise<Running> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = once(async () => {
    // Reverse start-up order; one failing step must not skip the others.
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: unknown) => {
        logger.error({ err }, 'error during shutdown');
      });
    }
  });

  try {
    logger.info({ role: config.role }, 'Starting Budget Bot: step 1/3 database');
    const mongo = await resolveMongo(config, logger);
    cleanups.push(() => mongo.stop());
    const connection = await connectMongo(mongo.uri, config.mongo.dbName);
    cleanups.push(() => connection.close());
    logger.info({ dbName: config.mongo.dbName }, 'Database connected');

    logger.info('Starting Budget Bot: step 2/3 services (indexes, price table)');
    const { services } = await servicesFromConfig(config, connection, options.clock);

    // Later: step "jobs" (Agenda) for ROLE=all|worker goes here, before HTTP.

    let server: Server | undefined;
    if (config.role !== 'worker') {
      logger.info('Starting Budget Bot: step 3/3 http');
      const app = buildApp({ config, logger, services, mongo: { engine: mongo.engine, connection } });
      const listening = await listen(createServer(app), config.http.port, config.http.host);
      server = listening;
      cleanups.push(() => closeServer(listening));
      logger.info(`Budget Bot ready on http://${config.http.host}:${boundPort(listening)} (engine: ${mongo.engine})`);
    } else {
      logger.info(`Budget Bot worker ready (engine: ${mongo.engine})`);
    }
    logAdvice(config, logger);
    return { server, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function logAdvice(config: Config, logger: Logger): void {
  if (!config.slack.configured) {
    logger.info(
      'Slack is not configured; the web page and API run without it. To add Slack, set SLACK_BOT_TOKEN and ' +
        'SLACK_SIGNING_SECRET (events at /slack/events), or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode). See README "Slack app".',
    );
  }
  if (config.session.generated) {
    logger.warn('SESSION_SECRET is not set; using a random one for this process, so admin sessions end at restart');
  }
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

// The real port (PORT=0 asks the OS for a free one).
function boundPort(server: Server): number | string {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : String(address);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    // close() stops accepting and (Node >= 19) drops idle keep-alive sockets; busy requests
    // get HTTP_DRAIN_MS to finish before their sockets are cut.
    const force = setTimeout(() => server.closeAllConnections(), HTTP_DRAIN_MS);
    force.unref();
    server.close((err) => {
      clearTimeout(force);
      if (err) reject(err);
      else resolve();
    });
  });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      // The message already lists every bad variable; a stack would only hide it.
      process.stderr.write(`${err.message}\nSee .env.example and README "Configuration".\n`);
      process.exit(1);
    }
    throw err;
  }

  const logger = createLogger(config.log.level);
  let running: Running;
  try {
    running = await start(config, logger);
  } catch (err) {
    logger.fatal({ err }, 'Budget Bot failed to start');
    process.exit(1);
  }

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // Not a "force quit": under `npm start` a Ctrl-C arrives twice (from the terminal and
      // forwarded by npm). The time limit below already bounds the shutdown.
      logger.info({ signal }, 'Already shutting down');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'Shutting down');
    const limit = setTimeout(() => {
      logger.error(`Shutdown took longer than ${SHUTDOWN_LIMIT_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    limit.unref();
    running.stop().then(
      () => {
        logger.info('Stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  await main();
}
