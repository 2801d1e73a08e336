/**
 * Reconciliation: for each active user, recomputes the current period's ledger and rollups from the
 * usage events and repairs drift (see services/reconcile.ts for why that is safe while spend is
 * being recorded). Every repair is logged as a warning: drift means some write was lost.
 */
import type { Logger } from '../logger.js';
import type { Reconciliation, ReconcileService } from '../services/reconcile.js';

export interface ReconcileJobDeps {
  reconcile: Pick<ReconcileService, 'activeUsers' | 'reconcileUser'>;
  retentionDays: number;
  logger: Logger;
  heartbeat?: () => Promise<void>;
}

export interface ReconcileReport {
  checked: number;
  repaired: number;
  deferred: number;
  skipped: number;
  failed: number;
}

/** Users between two heartbeats (each is a few round trips). */
const HEARTBEAT_EVERY = 50;

export async function reconcileLedgers(deps: ReconcileJobDeps): Promise<ReconcileReport> {
  const { logger } = deps;
  const report: ReconcileReport = { checked: 0, repaired: 0, deferred: 0, skipped: 0, failed: 0 };
  const users = await deps.reconcile.activeUsers();
  for (const [i, userId] of users.entries()) {
    try {
      const result = await deps.reconcile.reconcileUser(userId, { retentionDays: deps.retentionDays });
      report.checked += 1;
      if (result.outcome === 'repaired') report.repaired += 1;
      if (result.outcome === 'deferred') report.deferred += 1;
      if (result.outcome === 'skipped') report.skipped += 1;
      logRepairs(logger, result);
    } catch (err) {
      report.failed += 1;
      logger.error({ err, userId }, 'Reconciliation of a user failed; the next run tries again');
    }
    if ((i + 1) % HEARTBEAT_EVERY === 0) await deps.heartbeat?.();
  }
  logger.info({ ...report, users: users.length }, 'Reconciliation done');
  return report;
}

function logRepairs(logger: Logger, r: Reconciliation): void {
  const where = { userId: r.userId, periodSeq: r.periodSeq };
  if (r.outcome === 'deferred') logger.info({ ...where, reason: r.reason }, 'Reconciliation deferred: spend is being recorded right now');
  if (r.ledger) {
    const { spentBefore, spentAfter, countBefore, countAfter } = r.ledger;
    logger.warn(
      { ...where, spentBeforeMicros: spentBefore, spentAfterMicros: spentAfter, countBefore, countAfter },
      'Reconciliation repaired the ledger: it did not match the usage events',
    );
  }
  for (const repair of r.rollups) {
    const { day, provider, model, operation, delta, removed } = repair;
    logger.warn({ ...where, day, provider, model, operation, delta, removed }, 'Reconciliation repaired a daily rollup: it did not match the usage events');
  }
  if (r.outcome === 'repaired' && r.reason) logger.info({ ...where, reason: r.reason }, 'Reconciliation left some repairs to the next run');
}
