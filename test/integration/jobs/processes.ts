// Real processes for the shutdown and restart tests: the app's entry point (src/main.ts under tsx,
// exactly what `npm run dev` runs) as a child process, and a jongodb we can stop and start again on
// the same port. Everything started here is stopped by the test file's afterAll.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { jongodbBinaryPath } from '../../../src/db/jongodb.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

export interface AppProcess {
  /** Every JSON log line so far. */
  lines: Record<string, unknown>[];
  /** Resolves with the first line (past or future) that matches. */
  waitForLine(what: string, match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(signal: NodeJS.Signals): void;
}

/** Starts `node --import tsx src/main.ts` with only the given variables (plus PATH and HOME). */
export function startApp(env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: { match: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  createInterface({ input: child.stdout }).on('line', (text) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return; // not a log line
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const line: Record<string, unknown> = { ...parsed };
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    lines,
    exited,
    signal: (signal) => child.kill(signal),
    waitForLine(what, match, timeoutMs = 20_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const tail = lines.slice(-5).map((l) => String(l.msg));
          reject(new Error(`timed out waiting for ${what}; last lines: ${JSON.stringify(tail)}; stderr: ${stderr.slice(-5).join(' | ')}`));
        }, timeoutMs);
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A jongodb on a fixed port: stop() kills it (its data is gone: it is in memory), start() again. */
export class RestartableJongodb {
  private child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get uri(): string {
    return `mongodb://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(jongodbBinaryPath(), ['--host=127.0.0.1', `--port=${this.port}`], { stdio: ['ignore', 'pipe', 'ignore'] });
    running.add(child);
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('jongodb did not start')), 15_000);
      const stdout = child.stdout;
      if (!stdout) return reject(new Error('no stdout'));
      createInterface({ input: stdout }).on('line', (line) => {
        if (line.startsWith('JONGODB_URI=')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', () => reject(new Error('jongodb exited during start')));
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
    running.delete(child);
  }
}
