/**
 * Retention: usage events older than RETENTION_DAYS are deleted, a batch at a time. Rollups, the
 * reset log and the audit log stay, so totals, history and breakdowns by day outlive the events.
 */
import type { ServiceContext } from './context.js';

const DAY_MS = 86_400_000;

/** Events that occurred before this instant may have been deleted by retention. */
export function retentionHorizon(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

export class RetentionService {
  constructor(private readonly ctx: Pick<ServiceContext, 'store' | 'clock'>) {}

  /** The cutoff for a run, fixed once so that a run ends even while the clock moves on. */
  horizon(retentionDays: number): Date {
    return retentionHorizon(this.ctx.clock(), retentionDays);
  }

  /** Deletes up to `batchSize` events that occurred before `horizon`; returns how many went. */
  async deleteBatch(horizon: Date, batchSize: number): Promise<number> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
    return this.ctx.store.events.deleteOccurredBefore(horizon, batchSize);
  }
}
