// The app under load, in a process of its own so its memory and CPU are its own: started by
// bench/index.ts through start() (the same path as `npm start`), with the driver's command
// monitoring on. It answers the parent over IPC: how many database commands it sent since the
// last reset, and its peak RSS.
import { CommandCounter } from '../../src/db/commandCounter.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { start } from '../../src/main.js';

export type ParentMessage = { type: 'reset' } | { type: 'stats' } | { type: 'stop' };
export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'reset-done' }
  | { type: 'stats'; commands: number; peakRssBytes: number };

const RSS_SAMPLE_MS = 50;

function send(message: ChildMessage): void {
  process.send?.(message);
}

const config = loadConfig(process.env);
const logger = createLogger(config.log.level);
let counter: CommandCounter | undefined;
const running = await start(config, logger, {
  observeDatabase: (connection) => {
    counter = new CommandCounter(connection);
  },
});

let peakRss = process.memoryUsage.rss();
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, RSS_SAMPLE_MS).unref();

process.on('message', (message: ParentMessage) => {
  if (message.type === 'reset') {
    counter?.reset();
    peakRss = process.memoryUsage.rss();
    send({ type: 'reset-done' });
  } else if (message.type === 'stats') {
    send({ type: 'stats', commands: counter?.count ?? 0, peakRssBytes: Math.max(peakRss, process.memoryUsage.rss()) });
  } else {
    void running.stop().then(() => process.exit(0));
  }
});

const address = running.server?.address();
if (typeof address !== 'object' || address === null) throw new Error('the app is not listening');
send({ type: 'ready', port: address.port });
