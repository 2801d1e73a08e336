// Runs once per `vitest run`, in the main process: starts ONE MongoDB for every test file and
// hands its URI to them with provide(). Each file then works in its own fresh database
// (test/helpers/db.ts), which is cheaper than a server per file and works on any engine.
// With MONGODB_URI set the tests use that server instead: the suite must pass on real MongoDB.
import type { TestProject } from 'vitest/node';
import { MONGO_ENGINES, type MongoEngineChoice } from '../../src/config.js';
import { resolveMongo } from '../../src/db/launcher.js';
import { createLogger } from '../../src/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server every test file shares (a fresh database name per file). */
    mongoUri: string;
    /** 'external' (MONGODB_URI), 'mongod' or 'jongodb'. */
    mongoEngine: string;
  }
}

function engineFromEnv(value: string | undefined): MongoEngineChoice {
  const wanted = value === undefined || value === '' ? 'auto' : value;
  const engine = MONGO_ENGINES.find((e) => e === wanted);
  if (engine === undefined) throw new Error(`MONGO_ENGINE must be one of ${MONGO_ENGINES.join(', ')} (got "${wanted}")`);
  return engine;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Only the engine line is worth seeing in test output.
  const logger = createLogger('info');
  const uri = process.env.MONGODB_URI;
  const mongo = await resolveMongo(
    { mongo: { uri: uri === '' ? undefined : uri, dbName: 'unused', engine: engineFromEnv(process.env.MONGO_ENGINE) } },
    logger,
  );
  project.provide('mongoUri', mongo.uri);
  project.provide('mongoEngine', mongo.engine);
  return () => mongo.stop();
}
