/** Retention: deletes usage events older than RETENTION_DAYS, in batches. Rollups and logs stay. */
import type { Logger } from '../logger.js';
import type { RetentionService } from '../services/retention.js';

export interface RetentionJobDeps {
  retention: Pick<RetentionService, 'horizon' | 'deleteBatch'>;
  retentionDays: number;
  logger: Logger;
  heartbeat?: () => Promise<void>;
}

export const RETENTION_BATCH = 1_000;

export async function purgeOldEvents(deps: RetentionJobDeps, options: { batchSize?: number } = {}): Promise<{ deleted: number; horizon: Date }> {
  const batchSize = options.batchSize ?? RETENTION_BATCH;
  const horizon = deps.retention.horizon(deps.retentionDays);
  let deleted = 0;
  for (;;) {
    const n = await deps.retention.deleteBatch(horizon, batchSize);
    deleted += n;
    if (n < batchSize) break;
    await deps.heartbeat?.();
  }
  if (deleted > 0) deps.logger.info({ deleted, horizon, retentionDays: deps.retentionDays }, 'Retention: deleted old usage events');
  return { deleted, horizon };
}
