// Says clearly in the log when MongoDB becomes unreachable, keeps saying so while it stays that way,
// and says when it is back. The driver reconnects by itself; requests and jobs fail meanwhile (each
// with its own error) and carry on once it is back, so nothing here needs to act, only to tell.
import type mongoose from 'mongoose';
import type { Logger } from '../logger.js';

/** How often to repeat "still unreachable" during an outage. */
export const STILL_DOWN_EVERY_MS = 30_000;

export interface ConnectionWatch {
  /** Call before closing the connection on purpose, so the close is not reported as an outage. */
  stop(): void;
}

export function watchConnection(connection: mongoose.Connection, logger: Logger, stillDownEveryMs = STILL_DOWN_EVERY_MS): ConnectionWatch {
  let downSince: number | null = null;
  let reminder: NodeJS.Timeout | undefined;
  let stopped = false;

  const onDisconnected = () => {
    if (stopped || downSince !== null) return;
    downSince = Date.now();
    logger.error('MongoDB is unreachable; retrying. Requests and jobs that need it fail until it is back');
    reminder = setInterval(() => {
      if (downSince === null) return;
      logger.error({ downForMs: Date.now() - downSince }, 'MongoDB is still unreachable; retrying');
    }, stillDownEveryMs);
    reminder.unref();
  };
  const onReconnected = () => {
    if (stopped || downSince === null) return;
    logger.info({ downForMs: Date.now() - downSince }, 'MongoDB is reachable again; carrying on');
    downSince = null;
    clearInterval(reminder);
  };

  connection.on('disconnected', onDisconnected);
  connection.on('reconnected', onReconnected);
  return {
    stop() {
      stopped = true;
      clearInterval(reminder);
      connection.off('disconnected', onDisconnected);
      connection.off('reconnected', onReconnected);
    },
  };
}
