// jongodb: a MongoDB-wire-compatible in-memory server shipped on npm as a native binary.
// It is a stand-in for machines that cannot download mongod (see MONGODB.md), not a database.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

const PACKAGE = '@jongodb/memory-server-bin-linux-x64-gnu';
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

// jongodb ignores its stdin and has no "die with the parent" option, so it runs under a tiny
// shell watchdog: the watchdog blocks reading our pipe, and when that pipe closes - because we
// asked to stop, or because this process died in any way, even SIGKILL - it kills jongodb.
// The watchdog runs in its own session (detached), so a Ctrl-C or a signal to our process group
// cannot kill the watchdog first and leave jongodb orphaned; the pipe alone decides.
// It prints jongodb's pid first so we can still kill jongodb if the watchdog misbehaves.
const WATCHDOG = [
  '"$0" "$@" &',
  'child=$!',
  'echo "JONGODB_PID=$child"',
  'cat >/dev/null',
  'kill "$child" 2>/dev/null',
  'wait "$child"',
].join('\n');

export function jongodbBinaryPath(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`jongodb ships only for linux-x64 (this is ${process.platform}-${process.arch}); set MONGODB_URI or MONGO_ENGINE=mongod`);
  }
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve(`${PACKAGE}/package.json`);
  const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const relative =
    typeof manifest === 'object' &&
    manifest !== null &&
    'jongodb' in manifest &&
    typeof manifest.jongodb === 'object' &&
    manifest.jongodb !== null &&
    'binary' in manifest.jongodb &&
    typeof manifest.jongodb.binary === 'string'
      ? manifest.jongodb.binary
      : 'bin/jongodb';
  return join(dirname(manifestPath), relative);
}

export async function startJongodb(): Promise<{ uri: string; stop(): Promise<void> }> {
  const child = spawn('/bin/sh', ['-c', WATCHDOG, jongodbBinaryPath(), '--host=127.0.0.1', '--port=0'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  // If the watchdog is already gone, ending its stdin raises EPIPE; that is not our failure.
  child.stdin.on('error', () => undefined);

  const { uri, pid } = await waitUntilReady(child);
  // Once running, neither the child nor our pipes keep this process alive on their own (before
  // that they must, or a process with nothing else to do would exit mid-start). If we exit
  // without calling stop(), the closed pipe takes jongodb down with us.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    if (stream instanceof Socket) stream.unref();
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      child.ref(); // stay alive until it is really gone
      child.stdin.end(); // the watchdog sees EOF and kills jongodb
      const timer = setTimeout(() => {
        killQuietly(pid, 'SIGKILL');
        child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      // Only if someone killed the watchdog itself: jongodb may still be running.
      if (isAlive(pid)) killQuietly(pid, 'SIGKILL');
    })();
    return stopping;
  };
  return { uri, stop };
}

function waitUntilReady(child: ChildProcessWithoutNullStreams): Promise<{ uri: string; pid: number }> {
  return new Promise((resolve, reject) => {
    let pid: number | undefined;
    const stderr: string[] = [];
    const lines = createInterface({ input: child.stdout });
    const errLines = createInterface({ input: child.stderr });

    const fail = (message: string) => {
      clearTimeout(timer);
      child.stdin.end();
      if (pid !== undefined) killQuietly(pid, 'SIGKILL');
      const tail = stderr.slice(-5).join('\n');
      reject(new Error(`jongodb did not start: ${message}${tail ? `\n${tail}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no JONGODB_URI line within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    timer.unref();

    errLines.on('line', (line) => {
      stderr.push(line);
    });
    lines.on('line', (line) => {
      if (line.startsWith('JONGODB_PID=')) pid = Number(line.slice('JONGODB_PID='.length));
      if (line.startsWith('JONGODB_URI=') && pid !== undefined) {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('error', onError);
        // Keep draining output after start-up so a chatty server never blocks on a full pipe.
        resolve({ uri: line.slice('JONGODB_URI='.length).trim(), pid });
      }
    });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      fail(`exited early (${signal ?? `code ${String(code)}`})`);
    };
    const onError = (err: Error) => {
      fail(err.message);
    };
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
