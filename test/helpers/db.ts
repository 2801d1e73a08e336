// A fresh database for one test file on the server globalSetup started (or MONGODB_URI).
// Fresh names instead of dropping: jongodb cannot drop databases (MONGODB.md), and a new name
// costs nothing on either engine.
//
//   let db: TestDatabase;
//   beforeAll(async () => { db = await useTestDatabase(); });
//   // ... db.connection for models, db.commands to count round trips ...
//
// Connections are closed after the file's tests (an afterAll registered when this module is
// imported); db.close() does it earlier if a test wants to.
import { randomBytes } from 'node:crypto';
import type mongoose from 'mongoose';
import { afterAll, expect, inject } from 'vitest';
import { CommandCounter } from '../../src/db/commandCounter.js';
import { connectMongo } from '../../src/db/connect.js';

export { CommandCounter };

export interface TestDatabase {
  uri: string;
  dbName: string;
  connection: mongoose.Connection;
  /**
   * Every driver command sent on this connection. Call commands.reset() right before the
   * operation being measured (after models are initialised: index builds are commands too).
   */
  commands: CommandCounter;
  close(): Promise<void>;
}

const open = new Set<TestDatabase>();

// Imported modules are evaluated while vitest collects the test file, so this afterAll belongs
// to the importing file (each file gets its own copy of this module).
afterAll(async () => {
  await Promise.all([...open].map((db) => db.close()));
});

export async function useTestDatabase(): Promise<TestDatabase> {
  const uri = inject('mongoUri');
  const dbName = uniqueDbName();
  const connection = await connectMongo(uri, dbName, { monitorCommands: true });
  const commands = new CommandCounter(connection);

  let closing: Promise<void> | undefined;
  const db: TestDatabase = {
    uri,
    dbName,
    connection,
    commands,
    close: () =>
      (closing ??= (async () => {
        open.delete(db);
        // On a real server, tidy up; on jongodb dropDatabase is unsupported and the process is
        // thrown away at the end of the run anyway.
        if (inject('mongoEngine') !== 'jongodb') await connection.dropDatabase().catch(() => undefined);
        await connection.close();
      })()),
  };
  open.add(db);
  return db;
}

// test_<file>_<random>: readable in a real server's database list, unique per call, and well
// under MongoDB's 63-character limit.
function uniqueDbName(): string {
  const file = expect.getState().testPath ?? 'file';
  const base = (file.split('/').pop() ?? 'file').replace(/\.test\.[cm]?[jt]s$/, '').replace(/[^A-Za-z0-9_]/g, '_');
  return `test_${base.slice(0, 40)}_${randomBytes(4).toString('hex')}`;
}
