/**
 * The rollover sweep: closes every period that has ended, even for users nobody asks about, through
 * the same BudgetLoader.rollOver that reads use. Its update is conditional on the period number, so
 * with several workers sweeping and requests reading at once each period still rolls over once and
 * writes one `automatic` reset-log entry (the PeriodCloser also queues the "your budget has reset" DM).
 */
import type { Logger } from '../logger.js';
import type { BudgetLoader } from '../services/budgetLoader.js';
import type { Clock } from '../services/context.js';
import type { BudgetStore } from '../store/budgets.js';

export interface RolloverSweepDeps {
  budgets: Pick<BudgetStore, 'findEnded'>;
  loader: Pick<BudgetLoader, 'rollOver'>;
  clock: Clock;
  logger: Logger;
  /** Keeps the job's lock alive between batches (agenda's touch); a no-op when run directly. */
  heartbeat?: () => Promise<void>;
}

export interface RolloverSweepReport {
  /** Periods this sweep closed. */
  rolledOver: number;
  /** Ended periods another worker or a read closed first. */
  closedElsewhere: number;
  failed: number;
}

/** Budgets read per query; on the 1st of a month every monthly budget ends at once. */
export const ROLLOVER_BATCH = 200;
/** Rollovers in flight at once within a batch: a few round trips each, so some overlap pays. */
const PARALLEL = 8;

export async function sweepRollovers(deps: RolloverSweepDeps, options: { batchSize?: number } = {}): Promise<RolloverSweepReport> {
  const batchSize = options.batchSize ?? ROLLOVER_BATCH;
  const report: RolloverSweepReport = { rolledOver: 0, closedElsewhere: 0, failed: 0 };
  // One instant for the whole sweep, so it ends; periods that end meanwhile go to the next sweep.
  const now = deps.clock();
  const failed = new Set<string>();
  for (;;) {
    const ended = await deps.budgets.findEnded(now, batchSize);
    // A budget that failed stays "ended": skip it here so it cannot keep the loop going.
    const todo = ended.filter((b) => !failed.has(b.userId));
    if (todo.length === 0) break;
    for (let i = 0; i < todo.length; i += PARALLEL) {
      await Promise.all(
        todo.slice(i, i + PARALLEL).map(async (budget) => {
          try {
            const { entry } = await deps.loader.rollOver(budget);
            if (entry) report.rolledOver += 1;
            else report.closedElsewhere += 1;
          } catch (err) {
            report.failed += 1;
            failed.add(budget.userId);
            deps.logger.error({ err, userId: budget.userId }, 'Rollover failed; the next sweep (or the next read) tries again');
          }
        }),
      );
    }
    await deps.heartbeat?.();
    if (ended.length < batchSize) break;
  }
  if (report.rolledOver > 0 || report.failed > 0) deps.logger.info({ ...report }, 'Rollover sweep done');
  return report;
}
