// Database commands per request are counted in an app of their own, in this process, with the
// driver's command monitoring on. The app under load runs without it: with monitoring on, the
// driver deserializes every reply a second time for the event, which would slow what is measured.
// The count does not depend on load or engine, so a short run at low concurrency is enough.
import type { Server } from 'node:http';
import { loadConfig } from '../../src/config.js';
import { CommandCounter } from '../../src/db/commandCounter.js';
import { createLogger } from '../../src/logger.js';
import { start } from '../../src/main.js';

export interface Counted {
  commands: number;
  /** e.g. { find: 200, insert: 200, findAndModify: 200, update: 200 } */
  byName: Record<string, number>;
}

export interface CountingApp {
  baseUrl: string;
  /** The commands the app sent while `work` ran. */
  count(work: () => Promise<unknown>): Promise<Counted>;
  stop(): Promise<void>;
}

export async function startCountingApp(env: Record<string, string>): Promise<CountingApp> {
  let counter: CommandCounter | undefined;
  const running = await start(loadConfig({ ...env, HOST: '127.0.0.1', PORT: '0' }), createLogger('error'), {
    observeDatabase: (connection) => {
      counter = new CommandCounter(connection);
    },
  });
  return {
    baseUrl: baseUrlOf(running.server),
    count: async (work) => {
      if (!counter) throw new Error('command monitoring is not on');
      counter.reset();
      await work();
      const byName: Record<string, number> = {};
      for (const name of counter.names) byName[name] = (byName[name] ?? 0) + 1;
      return { commands: counter.count, byName };
    },
    stop: () => running.stop(),
  };
}

function baseUrlOf(server: Server | undefined): string {
  const address = server?.address();
  if (typeof address !== 'object' || address === null) throw new Error('the counting app is not listening');
  return `http://127.0.0.1:${address.port}`;
}
