// Decides which MongoDB the process talks to, starts it if it is embedded, and logs the choice
// once. Order (see MONGODB.md): MONGODB_URI if set; else a real mongod through
// mongodb-memory-server where one is on disk or can be downloaded; else jongodb.
// MONGO_ENGINE=mongod|jongodb skips the guessing.
import type { Config, MongoEngineChoice } from '../config.js';
import type { Logger } from '../logger.js';
import { defaultEngineCacheFile, recentMongodFailure, rememberMongodFailure } from './engineCache.js';
import { startJongodb } from './jongodb.js';
import { downloadMongod, findMongod, startMongod } from './mongodMemory.js';

export type EmbeddedEngine = 'mongod' | 'jongodb';

export interface EmbeddedMongo {
  uri: string;
  engine: EmbeddedEngine;
  stop(): Promise<void>;
}

export interface ResolvedMongo {
  uri: string;
  engine: 'external' | EmbeddedEngine;
  /** Stops the embedded server; a no-op for an external one (we do not own it). */
  stop(): Promise<void>;
}

export type EngineDecision =
  | { engine: 'mongod'; binaryPath: string; reason: string }
  | { engine: 'jongodb'; reason: string };

export interface LauncherOptions {
  engine: MongoEngineChoice;
  logger: Logger;
  /** Where a failed mongod download is remembered; tests may point it elsewhere. */
  cacheFile?: string;
}

/**
 * Pick the engine without starting it. With engine 'auto' on an offline machine the first call
 * spends ~7 s on a download attempt and remembers the failure; later calls take milliseconds.
 */
export async function decideEngine(opts: LauncherOptions): Promise<EngineDecision> {
  const cacheFile = opts.cacheFile ?? defaultEngineCacheFile();
  if (opts.engine === 'jongodb') return { engine: 'jongodb', reason: 'MONGO_ENGINE=jongodb' };

  const found = await findMongod();
  if (found !== undefined) return { engine: 'mongod', binaryPath: found, reason: `mongod found at ${found}` };

  if (opts.engine === 'mongod') {
    // Asked for explicitly: try the download whatever happened last time, and fail loudly.
    try {
      const downloaded = await downloadMongod();
      return { engine: 'mongod', binaryPath: downloaded, reason: 'MONGO_ENGINE=mongod (downloaded)' };
    } catch (err) {
      throw new Error(`MONGO_ENGINE=mongod, but no mongod could be found or downloaded: ${oneLine(err)}`, { cause: err });
    }
  }

  const failure = await recentMongodFailure(cacheFile);
  if (failure !== undefined) {
    const when = new Date(failure.mongodDownloadFailedAt).toISOString();
    return {
      engine: 'jongodb',
      reason: `no mongod here and its download failed at ${when} (remembered for a day in ${cacheFile}; delete it to retry)`,
    };
  }

  opts.logger.info('No mongod on this machine; trying to download one (offline this takes a few seconds, once)');
  try {
    const downloaded = await downloadMongod();
    return { engine: 'mongod', binaryPath: downloaded, reason: 'mongod downloaded by mongodb-memory-server' };
  } catch (err) {
    const reason = oneLine(err);
    await rememberMongodFailure(cacheFile, reason);
    return { engine: 'jongodb', reason: `mongod could not be downloaded (${reason})` };
  }
}

/** Start an embedded MongoDB and log which engine it is, once. */
export async function startEmbeddedMongo(opts: LauncherOptions): Promise<EmbeddedMongo> {
  const { logger } = opts;
  const decision = await decideEngine(opts);

  if (decision.engine === 'mongod') {
    try {
      const server = await startMongod(decision.binaryPath);
      logger.info({ engine: 'mongod', reason: decision.reason }, 'MongoDB engine: mongod (embedded, in memory)');
      return { uri: server.uri, engine: 'mongod', stop: () => server.stop() };
    } catch (err) {
      if (opts.engine === 'mongod') throw err;
      // 'auto': a mongod that will not run here (missing libraries, wrong build) is no reason to stop.
      logger.warn({ err }, 'mongod would not start; falling back to jongodb');
      return startJongodbLogged(logger, `mongod would not start (${oneLine(err)})`);
    }
  }
  return startJongodbLogged(logger, decision.reason);
}

/** The composition root's entry: an external server when MONGODB_URI is set, else an embedded one. */
export async function resolveMongo(config: Pick<Config, 'mongo'>, logger: Logger): Promise<ResolvedMongo> {
  const { uri, engine } = config.mongo;
  if (uri !== undefined) {
    logger.info({ engine: 'external', host: hostsOf(uri) }, 'MongoDB engine: external (MONGODB_URI)');
    return { uri, engine: 'external', stop: () => Promise.resolve() };
  }
  return startEmbeddedMongo({ engine, logger });
}

async function startJongodbLogged(logger: Logger, reason: string): Promise<EmbeddedMongo> {
  const server = await startJongodb();
  logger.info(
    { engine: 'jongodb', reason },
    'MongoDB engine: jongodb (in-memory stand-in for tests and demos; set MONGODB_URI for real data)',
  );
  return { uri: server.uri, engine: 'jongodb', stop: () => server.stop() };
}

// Only the hosts: the URI may carry a password.
function hostsOf(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri);
  return match?.[1] ?? '(unparsed)';
}

// Errors from the downloader span lines ("Download failed ..., Details:\n getaddrinfo ...");
// keep all of it, on one line, short enough for a log field.
function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}
