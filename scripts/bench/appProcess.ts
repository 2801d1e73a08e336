// Starts a server under test in a process of its own, so its memory and CPU are its own, and waits
// until its /health answers. The app runs exactly as the Procfile's web line starts it (compiled,
// from dist/, with the same node flags), not under tsx, which alone adds about 30 MB of RSS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** The process's peak resident memory so far (Linux's VmHWM), or null where /proc is missing. */
  peakRssMb(): number | null;
  /** CPU time (user + system) the process has used so far, in µs, or null where /proc is missing. */
  cpuMicros(): number | null;
  /**
   * Stops it once it is idle: a load run of a fixed number of requests ends with the last answer
   * it counts, while others are still being served (a batch can take seconds on the test engine).
   */
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 30_000;

/** The node arguments of the Procfile's `web:` line, e.g. ['--max-old-space-size=160', 'dist/main.js']. */
export function procfileWebArgs(): string[] {
  const procfile = readFileSync(`${ROOT}Procfile`, 'utf8');
  const web = /^web:\s*(?:\w+=\S*\s+)*node\s+(.+)$/m.exec(procfile)?.[1];
  if (web === undefined) throw new Error('the Procfile has no "web: ... node ..." line');
  return web.trim().split(/\s+/);
}

/** The app as production runs it. `npm run bench` builds dist/ first. */
export function startApp(env: Record<string, string>): Promise<ServerProcess> {
  return startServer(procfileWebArgs(), env);
}

/** A TypeScript fixture of the bench (the bare Express ceiling), under tsx. */
export function startFixture(script: string, env: Record<string, string>): Promise<ServerProcess> {
  return startServer(['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url))], env);
}

async function startServer(args: string[], env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(baseUrl, exited);
  return {
    baseUrl,
    pid: child.pid ?? 0,
    peakRssMb: () => peakRssMb(child.pid),
    cpuMicros: () => cpuMicros(child.pid),
    stop: async () => {
      await idle(child.pid);
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitUntilHealthy(baseUrl: string, exited: Promise<number | null>): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the server exited before it was ready (${baseUrl})`);
    const ok = await fetch(`${baseUrl}/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server at ${baseUrl} was not healthy within ${READY_TIMEOUT_MS / 1000} s`);
}

function peakRssMb(pid: number | undefined): number | null {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

const IDLE_CHECK_MS = 250;
const IDLE_CPU_MICROS = 10_000;
const IDLE_TIMEOUT_MS = 120_000;

/** Resolves once the process uses under 10 ms of CPU in 250 ms (at once where /proc is missing). */
async function idle(pid: number | undefined): Promise<void> {
  const deadline = Date.now() + IDLE_TIMEOUT_MS;
  let last = cpuMicros(pid);
  while (last !== null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, IDLE_CHECK_MS));
    const now = cpuMicros(pid);
    if (now === null || now - last < IDLE_CPU_MICROS) return;
    last = now;
  }
}

/** Linux counts CPU time in clock ticks of 10 ms (USER_HZ = 100 on every mainstream kernel). */
const MICROS_PER_TICK = 10_000;

function cpuMicros(pid: number | undefined): number | null {
  try {
    // Fields after the command name, which is in parentheses and may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK;
  } catch {
    return null;
  }
}

/** A port the OS says is free now (the child binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
