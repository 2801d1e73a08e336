// Starts the app under test (appServer.ts) in a child process on a database of its own, and talks
// to it: reset its counters, read how many database commands it sent and its peak RSS.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage } from './appServer.js';

export interface AppProcess {
  baseUrl: string;
  resetStats(): Promise<void>;
  stats(): Promise<{ commands: number; peakRssBytes: number }>;
  stop(): Promise<void>;
}

export async function startApp(env: Record<string, string>, script = './appServer.ts'): Promise<AppProcess> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the app exited with ${code} before it was ready`)));
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') resolve(m.port);
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    resetStats: async () => {
      await exchange(child, { type: 'reset' }, 'reset-done');
    },
    stats: async () => {
      const m = await exchange(child, { type: 'stats' }, 'stats');
      return { commands: m.commands, peakRssBytes: m.peakRssBytes };
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' } satisfies ParentMessage);
      await exited;
    },
  };
}

/** Sends `message` and waits for the reply of type `reply`. */
function exchange<T extends ChildMessage['type']>(child: ChildProcess, message: ParentMessage, reply: T): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve) => {
    const onMessage = (m: ChildMessage) => {
      if (m.type !== reply) return;
      child.off('message', onMessage);
      resolve(m as Extract<ChildMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}
