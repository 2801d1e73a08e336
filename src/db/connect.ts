// Opens one mongoose connection for the caller to own and close. No module-level
// mongoose.connect(): every start() and every test file gets its own connection.
import mongoose from 'mongoose';

export interface ConnectOptions {
  /** Emit driver command events (commandStarted...), used to count round trips in tests and benchmarks. */
  monitorCommands?: boolean;
}

export async function connectMongo(uri: string, dbName: string, opts: ConnectOptions = {}): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    // jongodb lacks the `create` command; with autoCreate on, Model.init() fails and the
    // indexes (unique keys included) are never built. Collections appear on first insert anyway.
    autoCreate: false,
    autoIndex: true,
    // Fail a start (or a test) in seconds, not the driver's default 30, when nothing listens.
    serverSelectionTimeoutMS: 5_000,
    monitorCommands: opts.monitorCommands ?? false,
  });
  try {
    return await connection.asPromise();
  } catch (err) {
    await connection.close(true).catch(() => undefined);
    throw err;
  }
}
