// Composition root: read config, open the database, build the app, listen, and stop cleanly.
// start() does the work and is what tests call (on port 0); the block at the bottom runs only
// when this file is the entry point (node dist/main.js, tsx src/main.ts).
import { realpathSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { config as loadDotenv } from 'dotenv';
import type mongoose from 'mongoose';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { connectMongo } from './db/connect.js';
import { watchConnection } from './db/connectionWatch.js';
import { resolveMongo } from './db/launcher.js';
import { createAppServer } from './http/server.js';
import type { Deliverer } from './jobs/registry.js';
import { startScheduler, type SchedulerOptions } from './jobs/scheduler.js';
import { createLogger, type Logger } from './logger.js';
import { systemClock, type Clock } from './services/context.js';
import { servicesFromConfig } from './services/fromConfig.js';
import { createSlackDelivery } from './slack/delivery.js';
import { startSlackSocketMode } from './slack/socketMode.js';

export interface Running {
  /** The HTTP server, or undefined when ROLE=worker (no HTTP). */
  server: Server | undefined;
  /**
   * Idempotent. Stops taking jobs and drains running ones (with a timeout), then closes HTTP
   * (finishing in-flight requests), then the connection, then the embedded MongoDB.
   */
  stop(): Promise<void>;
}

/** Idle keep-alive sockets are closed at once; busy ones get this long to finish. */
const HTTP_DRAIN_MS = 5_000;
/**
 * After a signal, give up on a graceful stop after this long: above the job drain (7 s), releasing
 * job locks (2 s) and the HTTP drain (5 s) together, and below a platform's kill deadline (30 s).
 */
const SHUTDOWN_LIMIT_MS = 20_000;

/** What tests may replace: the clock (so no test sleeps through a period), job timings, the deliverer. */
export interface StartOptions {
  clock?: Clock;
  scheduler?: SchedulerOptions;
  /** Sends the notification outbox; default: Slack's when configured, else none (delivery is then not scheduled). */
  deliverer?: Deliverer | null;
  /** Sees the database connection, with the driver's command monitoring on (the benchmark counts round trips). */
  observeDatabase?: (connection: mongoose.Connection) => void;
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
    logger.info({ role: config.role }, 'Starting Budget Bot: step 1/4 database');
    const mongo = await resolveMongo(config, logger);
    cleanups.push(() => mongo.stop());
    const connection = await connectMongo(mongo.uri, config.mongo.dbName, { monitorCommands: options.observeDatabase !== undefined });
    options.observeDatabase?.(connection);
    cleanups.push(() => connection.close());
    const watch = watchConnection(connection, logger);
    cleanups.push(() => Promise.resolve(watch.stop()));
    logger.info({ dbName: config.mongo.dbName }, 'Database connected');

    logger.info('Starting Budget Bot: step 2/4 services (indexes, price table)');
    const { store, services } = await servicesFromConfig(config, connection, options.clock);

    // HTTP before jobs, so that the reverse-order shutdown stops jobs first, then HTTP, then MongoDB.
    let server: Server | undefined;
    if (config.role !== 'worker') {
      logger.info('Starting Budget Bot: step 3/4 http');
      const app = buildApp({ config, logger, services, mongo: { engine: mongo.engine, connection } });
      const listening = await listen(createAppServer(app), config.http.port, config.http.host);
      server = listening;
      cleanups.push(() => closeServer(listening));
      logger.info(`Budget Bot ready on http://${config.http.host}:${boundPort(listening)} (engine: ${mongo.engine})`);
      if (config.slack.configured && config.slack.mode === 'socket') {
        // Socket Mode receives Slack over a WebSocket instead of /slack/events (src/slack/socketMode.ts).
        const socket = await startSlackSocketMode({ config, logger, services });
        cleanups.push(() => socket.stop());
      }
    } else {
      logger.info('Starting Budget Bot: step 3/4 http skipped (ROLE=worker)');
    }

    if (config.role !== 'web') {
      logger.info('Starting Budget Bot: step 4/4 jobs');
      const scheduler = await startScheduler({
        connection,
        logger,
        deps: {
          store,
          services,
          clock: options.clock ?? systemClock,
          retentionDays: config.budget.retentionDays,
          deliverer: options.deliverer !== undefined ? options.deliverer : createSlackDelivery({ config, logger, services }),
        },
        options: options.scheduler,
      });
      cleanups.push(async () => {
        await scheduler.stop();
      });
      if (config.role === 'worker') logger.info(`Budget Bot worker ready (engine: ${mongo.engine})`);
    } else {
      logger.info('Starting Budget Bot: step 4/4 jobs skipped (ROLE=web; run a worker for rollovers, alerts and clean-up)');
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
  // A worker serves no admin pages, so its session secret does not matter.
  if (config.session.generated && config.role !== 'worker') {
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
  // A library's fire-and-forget promise that fails while MongoDB is down (agenda unlocks jobs that
  // way) must not take the whole process down with it: log it and carry on.
  process.on('unhandledRejection', (reason: unknown) => {
    logger.error({ err: reason }, 'Unhandled promise rejection (logged; the process carries on)');
  });
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
