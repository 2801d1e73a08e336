/**
 * Runs the jobs of registry.ts on Agenda 6, stored in the project's MongoDB (collection agenda_jobs,
 * on mongoose's connection). Several workers may run this at once: Agenda locks each job run in
 * MongoDB, so a scheduled run happens on one worker.
 *
 * stop(): stop taking jobs, let running ones finish (agenda's drain, with a timeout), then release
 * the locks this worker still holds (a job it had locked for a run about to start, or one that
 * outlived the timeout) so other workers need not wait for the lock to expire.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, type DrainResult, type Job } from 'agenda';
import type mongoose from 'mongoose';
import type { Logger } from '../logger.js';
import { isDuplicateKeyError } from '../store/mongoErrors.js';
import { JOBS, type JobDeps, type JobName, type JobSpec } from './registry.js';
import { throttledLog } from './throttledLog.js';

export const AGENDA_COLLECTION = 'agenda_jobs';
/** How often a worker looks for due jobs; a job due sooner than this is timed exactly. */
export const PROCESS_EVERY_MS = 5_000;
/** How long stop() waits for running jobs; main's whole shutdown is bounded above this. */
export const DRAIN_TIMEOUT_MS = 7_000;
/** Bound on agenda's own connect (an index on agenda_jobs) at start. */
const READY_TIMEOUT_MS = 30_000;
/** Bound on releasing locks at stop, which needs the database (that may be the thing that is down). */
const RELEASE_TIMEOUT_MS = 2_000;
const LOG_WINDOW_MS = 30_000;

export interface SchedulerOptions {
  /** Overrides PROCESS_EVERY_MS (tests use a few hundred ms). */
  processEveryMs?: number;
  /** Overrides registry intervals per job (tests). */
  everyMs?: Partial<Record<JobName, number>>;
  drainTimeoutMs?: number;
  /** Identifies this worker in agenda_jobs.lastModifiedBy; default host:pid:random. */
  name?: string;
}

export interface Scheduler {
  readonly name: string;
  /** The jobs this worker runs. */
  readonly jobs: readonly JobName[];
  /** Idempotent: drains, releases this worker's locks; never closes the connection (main owns it). */
  stop(): Promise<DrainResult>;
}

export interface SchedulerArgs {
  connection: mongoose.Connection;
  logger: Logger;
  deps: JobDeps;
  options?: SchedulerOptions;
}

export async function startScheduler({ connection, logger, deps, options = {} }: SchedulerArgs): Promise<Scheduler> {
  const db = connection.db;
  if (db === undefined) throw new Error('startScheduler needs an open MongoDB connection');
  const name = options.name ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const log = logger.child({ component: 'scheduler', worker: name });
  const report = throttledLog(log, LOG_WINDOW_MS);
  const specs = JOBS.filter((spec) => spec.enabled(deps));
  const everyMs = (spec: JobSpec): number => options.everyMs?.[spec.name] ?? spec.everyMs;

  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection: AGENDA_COLLECTION }),
    name,
    processEvery: options.processEveryMs ?? PROCESS_EVERY_MS,
    defaultConcurrency: 1,
  });
  // 'error' is agenda failing to poll or lock (typically MongoDB unreachable); 'fail' a job that threw.
  agenda.on('error', (err: Error) => {
    report('warn', 'agenda', { err }, 'Scheduler cannot reach its jobs in MongoDB; it keeps trying');
  });
  agenda.on('fail', (err: Error | string, job: Job | { jobName: string }) => {
    const jobName = 'attrs' in job ? job.attrs.name : job.jobName;
    report('error', `fail:${jobName}`, { err, job: jobName }, 'Job failed; it runs again at its next time');
  });

  for (const spec of specs) {
    agenda.define<undefined>(
      spec.name,
      async (job) => {
        const jobLog = log.child({ job: spec.name });
        const started = Date.now();
        jobLog.debug('Job started');
        const result = await spec.run(deps, { logger: jobLog, heartbeat: heartbeat(job, spec.lockLifetimeMs) });
        jobLog.debug({ ms: Date.now() - started, result }, 'Job finished');
      },
      { concurrency: spec.concurrency, lockLifetime: spec.lockLifetimeMs, lockLimit: 1 },
    );
  }

  // At most one document per recurring job, even when several workers start at once on an empty
  // database: agenda's every() is an upsert by name, which alone may insert twice under a race.
  const ensureSingleJobIndex = () =>
    db.collection(AGENDA_COLLECTION).createIndex({ name: 1 }, { unique: true, partialFilterExpression: { type: 'single' }, name: 'one_recurring_job_per_name' });

  const schedule = async (spec: JobSpec): Promise<void> => {
    try {
      await agenda.every(everyMs(spec), spec.name);
    } catch (err) {
      // Another worker created it at the same moment; now it exists, so this becomes an update.
      if (!isDuplicateKeyError(err)) throw err;
      await agenda.every(everyMs(spec), spec.name);
    }
  };

  // After a reconnect, put back any schedule that is gone (an in-memory engine restarted empty).
  // Schedules that exist are left alone: every() on them would also clear a lock held elsewhere.
  const restoreSchedules = async (): Promise<void> => {
    await ensureSingleJobIndex();
    const { jobs } = await agenda.queryJobs({ names: specs.map((s) => s.name) });
    const present = new Set(jobs.map((j) => j.name));
    const missing = specs.filter((s) => !present.has(s.name));
    for (const spec of missing) await schedule(spec);
    if (missing.length > 0) log.warn({ jobs: missing.map((s) => s.name) }, 'Job schedules were missing after MongoDB came back; restored them');
  };
  const onReconnected = () => {
    restoreSchedules().catch((err: unknown) => {
      log.warn({ err }, 'Could not check the job schedules after reconnecting; the next reconnect or restart will');
    });
  };

  await ensureSingleJobIndex();
  // Schedules first, then start: start() looks for due jobs at once, so a worker begins promptly.
  // Agenda never settles `ready` if its backend fails to connect: bound the wait, fail the start.
  await withTimeout(agenda.ready, READY_TIMEOUT_MS).catch((err: unknown) => {
    throw new Error('The scheduler could not set up its collection in MongoDB', { cause: err });
  });
  for (const spec of specs) await schedule(spec);
  await agenda.start();
  connection.on('reconnected', onReconnected);
  log.info({ jobs: specs.map((s) => ({ name: s.name, everyMs: everyMs(s), concurrency: s.concurrency })) }, 'Scheduler started');
  if (!specs.some((s) => s.name === 'notification-delivery')) {
    log.info('Notification delivery is not scheduled: Slack is not configured, so alerts wait in the outbox');
  }

  let stopping: Promise<DrainResult> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      connection.off('reconnected', onReconnected);
      const timeout = options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS;
      log.info({ timeoutMs: timeout }, 'Scheduler stopping: no new jobs; waiting for running ones');
      const result = await agenda.drain({ timeout, closeConnection: false });
      if (result.timedOut) log.warn({ ...result }, 'Jobs still running after the drain timeout; releasing their locks');
      const released = await withTimeout(releaseOwnLocks(agenda, name, specs), RELEASE_TIMEOUT_MS).catch((err: unknown) => {
        log.warn({ err }, 'Could not release job locks at stop; they expire on their own (lockLifetime)');
        return 0;
      });
      log.info({ ...result, released }, 'Scheduler stopped');
      return result;
    })());

  return { name, jobs: specs.map((s) => s.name), stop };
}

/** job.touch() renews the lock; at most every quarter of the lock's lifetime, to spare round trips. */
function heartbeat(job: Job<undefined>, lockLifetimeMs: number): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < lockLifetimeMs / 4) return;
    last = Date.now();
    await job.touch();
  };
}

/** Locks this worker still holds after draining; released so others run these jobs on time. */
async function releaseOwnLocks(agenda: Agenda, name: string, specs: readonly JobSpec[]): Promise<number> {
  const { jobs } = await agenda.queryJobs({ names: specs.map((s) => s.name) });
  const mine = jobs.filter((j) => j.lockedAt && j.lastModifiedBy === name).map((j) => String(j._id));
  if (mine.length > 0) await agenda.db.unlockJobs(mine);
  return mine.length;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
