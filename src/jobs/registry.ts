/**
 * Every scheduled job in one place: its name (the key in MongoDB's agenda_jobs), how often it runs,
 * how many may run at once per worker, and how long its lock lasts. Jobs are plain functions in their
 * own files; this file only says when and with what. To add a job: write the function, add a row.
 *
 * Intervals are numbers of milliseconds (agenda reads strings with human-interval, which has no
 * millisecond unit). Every job is safe to run on several workers at once: agenda's lock normally
 * prevents that, and the jobs do not rely on it (conditional updates, leases, idempotent deletes).
 */
import type { Logger } from '../logger.js';
import type { Clock } from '../services/context.js';
import type { Services } from '../services/index.js';
import type { Store } from '../store/index.js';
import { deliverNotifications, type Deliverer } from './deliverNotifications.js';
import { purgeOldEvents } from './purgeOldEvents.js';
import { reconcileLedgers } from './reconcileLedgers.js';
import { sweepRollovers } from './rolloverSweep.js';

export type { Deliverer } from './deliverNotifications.js';

/** What the jobs are built from; main wires it once. */
export interface JobDeps {
  store: Pick<Store, 'budgets'>;
  services: Pick<Services, 'loader' | 'reconcile' | 'retention'>;
  clock: Clock;
  retentionDays: number;
  /** The Slack outbox deliverer; null when Slack is not configured (delivery is then not scheduled). */
  deliverer: Deliverer | null;
}

/** Given to a run by the scheduler. */
export interface JobRunContext {
  logger: Logger;
  /** Renews the job's lock; long jobs call it between batches. */
  heartbeat: () => Promise<void>;
}

export const JOB_NAMES = ['rollover-sweep', 'notification-delivery', 'reconciliation', 'retention'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobSpec {
  name: JobName;
  everyMs: number;
  /** Runs of this job at once in one worker. */
  concurrency: number;
  /** A run holding the lock longer than this (without a heartbeat) counts as dead and may run elsewhere. */
  lockLifetimeMs: number;
  enabled(deps: JobDeps): boolean;
  run(deps: JobDeps, ctx: JobRunContext): Promise<unknown>;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const JOBS: readonly JobSpec[] = [
  {
    name: 'rollover-sweep',
    everyMs: MINUTE,
    concurrency: 1,
    lockLifetimeMs: 10 * MINUTE,
    enabled: () => true,
    run: (deps, ctx) => sweepRollovers({ budgets: deps.store.budgets, loader: deps.services.loader, clock: deps.clock, ...ctx }),
  },
  {
    name: 'notification-delivery',
    everyMs: 5 * SECOND,
    concurrency: 1,
    // Short, so a worker that dies mid-run holds up delivery briefly; each notification has its own lease.
    lockLifetimeMs: 2 * MINUTE,
    enabled: (deps) => deps.deliverer !== null,
    run: async (deps, ctx) => (deps.deliverer ? deliverNotifications({ deliverer: deps.deliverer, logger: ctx.logger }) : undefined),
  },
  {
    name: 'reconciliation',
    everyMs: HOUR,
    concurrency: 1,
    lockLifetimeMs: 30 * MINUTE,
    enabled: () => true,
    run: (deps, ctx) => reconcileLedgers({ reconcile: deps.services.reconcile, retentionDays: deps.retentionDays, ...ctx }),
  },
  {
    name: 'retention',
    everyMs: 24 * HOUR,
    concurrency: 1,
    lockLifetimeMs: 30 * MINUTE,
    enabled: () => true,
    run: (deps, ctx) => purgeOldEvents({ retention: deps.services.retention, retentionDays: deps.retentionDays, ...ctx }),
  },
];
