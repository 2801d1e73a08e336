/**
 * While MongoDB is down, agenda reports the same failure for every job on every poll. This keeps the
 * first report of each kind and then at most one per window, with how many were left out, so the log
 * says clearly what is wrong without drowning in it.
 */
import type { Logger } from '../logger.js';

export type ThrottledLog = (level: 'warn' | 'error', key: string, fields: Record<string, unknown>, message: string) => void;

export function throttledLog(logger: Logger, windowMs: number, now: () => number = Date.now): ThrottledLog {
  const seen = new Map<string, { at: number; suppressed: number }>();
  return (level, key, fields, message) => {
    const entry = seen.get(key);
    const t = now();
    if (entry && t - entry.at < windowMs) {
      entry.suppressed += 1;
      return;
    }
    const suppressed = entry?.suppressed ?? 0;
    seen.set(key, { at: t, suppressed: 0 });
    logger[level](suppressed > 0 ? { ...fields, similarSuppressed: suppressed } : fields, message);
  };
}
