import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectMongo } from '../../src/db/connect.js';
import { decideEngine, resolveMongo, startEmbeddedMongo } from '../../src/db/launcher.js';
import { createLogger } from '../../src/logger.js';
import { useTestDatabase, type TestDatabase } from '../helpers/db.js';

const logger = createLogger('silent');

/** True when something accepts TCP connections at the URI's host:port. */
function isListening(uri: string): Promise<boolean> {
  const { hostname, port } = new URL(uri);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('embedded MongoDB launcher', () => {
  it('starts jongodb, serves a connection, and stops the child', async () => {
    const mongo = await startEmbeddedMongo({ engine: 'jongodb', logger });
    expect(mongo.engine).toBe('jongodb');
    const connection = await connectMongo(mongo.uri, 'launcher_test');
    try {
      await connection.collection('things').insertOne({ name: 'a' });
      expect(await connection.collection('things').countDocuments({ name: 'a' })).toBe(1);
    } finally {
      await connection.close();
    }
    expect(await isListening(mongo.uri)).toBe(true);
    await mongo.stop();
    expect(await isListening(mongo.uri)).toBe(false);
    await mongo.stop(); // idempotent
  });

  it('auto decides quickly once the first decision is made, and the engine works', async () => {
    // On an offline machine the first-ever decision spends ~7 s on a mongod download attempt
    // (usually already done by globalSetup); after that it is remembered.
    const first = await decideEngine({ engine: 'auto', logger });
    const t0 = performance.now();
    const second = await decideEngine({ engine: 'auto', logger });
    const elapsed = performance.now() - t0;
    expect(second.engine).toBe(first.engine);
    expect(elapsed).toBeLessThan(1_000);

    const mongo = await startEmbeddedMongo({ engine: 'auto', logger });
    try {
      expect(mongo.engine).toBe(first.engine);
      const connection = await connectMongo(mongo.uri, 'launcher_auto');
      await expect(connection.db?.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
      await connection.close();
    } finally {
      await mongo.stop();
    }
    expect(await isListening(mongo.uri)).toBe(false);
  }, 60_000);

  it('jongodb dies with its parent, even when the parent is SIGKILLed', async () => {
    const fixture = fileURLToPath(new URL('../helpers/fixtures/holdJongodb.ts', import.meta.url));
    const parent = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
    const uri = await new Promise<string>((resolve, reject) => {
      createInterface({ input: parent.stdout }).on('line', (line) => {
        if (line.startsWith('URI=')) resolve(line.slice(4));
      });
      parent.once('exit', (code) => reject(new Error(`fixture exited early (${String(code)})`)));
    });
    expect(await isListening(uri)).toBe(true);

    parent.kill('SIGKILL');
    expect(await eventually(async () => !(await isListening(uri)), 5_000)).toBe(true);
  });

  it('resolveMongo uses MONGODB_URI as is and does not own that server', async () => {
    const uri = 'mongodb://db.example.invalid:27017';
    const mongo = await resolveMongo({ mongo: { uri, dbName: 'x', engine: 'auto' } }, logger);
    expect(mongo).toMatchObject({ uri, engine: 'external' });
    await expect(mongo.stop()).resolves.toBeUndefined();
  });
});

describe('useTestDatabase (test helper on the shared server)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await useTestDatabase();
  });

  it('gives each call a fresh database named after the file', async () => {
    expect(db.dbName).toMatch(/^test_launcher_[0-9a-f]{8}$/);
    const other = await useTestDatabase();
    try {
      expect(other.dbName).not.toBe(db.dbName);
      await db.connection.collection('items').insertOne({ n: 1 });
      expect(await other.connection.collection('items').countDocuments()).toBe(0);
    } finally {
      await other.close();
    }
    expect(other.connection.readyState).toBe(0);
  });

  it('counts the driver commands each operation sends', async () => {
    const items = db.connection.collection('items');
    db.commands.reset();
    await items.insertOne({ n: 2 });
    await items.findOne({ n: 2 });
    await items.updateOne({ n: 2 }, { $inc: { n: 1 } });
    expect(db.commands.names).toEqual(['insert', 'find', 'update']);
    expect(db.commands.count).toBe(3);
    expect(db.commands.countOf('find')).toBe(1);
    db.commands.reset();
    expect(db.commands.count).toBe(0);
  });
});
