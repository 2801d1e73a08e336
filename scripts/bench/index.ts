// `npm run bench`: loads the hot path of a running Budget Bot and prints one table (also saved as
// JSON under artifacts/bench/). Each route gets a fresh app process, started as the Procfile starts
// it (appProcess.ts), on a fresh database of the embedded engine, or of MONGODB_URI when set;
// autocannon and the raw-driver baseline run here. App and baseline each get a warm-up load first
// (JIT, connection pools, the engine's caches). Reads are then measured in rounds that alternate
// the app's load and the baseline's, so a machine that speeds up or slows down mid-run (these are
// shared VMs) moves both alike; writes run once, a fixed number for each (scenarios.ts). Database
// commands per request are counted in a separate app with command monitoring on (countingApp.ts).
//
//   npm run bench [-- --seconds 3 --rounds 3 --connections 50 --slack-connections 50 --writes 2000 --only check,ceiling]
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveMongo } from '../../src/db/launcher.js';
import { createLogger } from '../../src/logger.js';
import { FakeSlack } from '../../test/helpers/fakeSlack.js';
import { startApp, startFixture, type ServerProcess } from './appProcess.js';
import { openBaseline, seedBaseline, type Baseline, type BaselineOperation, type BaselineResult } from './baseline.js';
import { startCountingApp, type CountingApp } from './countingApp.js';
import { runLoad, type Extent, type LoadResult } from './load.js';
import { render, save, type Row } from './report.js';
import { scalingRows } from './scaling.js';
import { scenarios, type Phase, type Scenario } from './scenarios.js';
import { setUp, type Headers } from './setup.js';
import { targetsFor } from './targets.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'slack-connections': { type: 'string', default: '50' },
    writes: { type: 'string', default: '2000' },
    only: { type: 'string', default: 'check,status,usage,batch,slack,ceiling,scaling' },
  },
});
/** Seconds of each read round, for the app and then for the baseline. */
const SECONDS = Number(args.seconds);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = Number(args.connections);
const WRITES = Number(args.writes);
/** Which parts to run (all by default): check, status, usage, batch, slack, ceiling, scaling. */
const ONLY = new Set(args.only.split(','));
const USERS = 50;
/** Requests of each kind sent to the counting app. */
const COUNTED_REQUESTS = 200;
const WARM_UP_SECONDS = 2;
const ADMIN_TOKEN = `bench-admin-${randomBytes(16).toString('hex')}`;
const SIGNING_SECRET = 'bench-signing-secret';

/** Progress goes to stderr, so stdout holds only the table. */
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

const mongo = await resolveMongo({ mongo: { uri: process.env.MONGODB_URI || undefined, dbName: 'unused', engine: 'auto' } }, createLogger('warn'));
const slack = await FakeSlack.start();
try {
  process.stdout.write(await runAll());
} finally {
  await slack.stop();
  await mongo.stop();
}

/** The app's environment, on a database of its own. */
function appEnv(label: string): Record<string, string> {
  return {
    MONGODB_URI: mongo.uri,
    MONGODB_DB_NAME: `bench_${label}_${randomBytes(3).toString('hex')}`,
    ROLE: 'web',
    LOG_LEVEL: 'error',
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
  };
}

function chosen(s: Scenario): boolean {
  return ONLY.has(s.key) || (s.server !== 'app' && ONLY.has('ceiling'));
}

async function runAll(): Promise<string> {
  const rows: Row[] = [];
  const list = scenarios({
    users: USERS,
    writes: WRITES,
    batchSize: 100,
    warmUpSeconds: WARM_UP_SECONDS,
    slackConnections: Number(args['slack-connections']),
    signingSecret: SIGNING_SECRET,
    responseUrl: slack.responseUrl('bench'),
  }).filter(chosen);
  const counting = list.some((s) => s.counted !== 0) ? await startCountingApp(appEnv('count')) : undefined;
  try {
    const countingHeaders = counting ? await setUp(counting.baseUrl, ADMIN_TOKEN, USERS) : undefined;
    for (const s of list) rows.push(await measure(s, counting && countingHeaders ? { app: counting, headers: countingHeaders } : undefined));
  } finally {
    await counting?.stop();
  }
  const scaling = ONLY.has('scaling') ? (progress('scaling rows'), await scalingRows({ mongoUri: mongo.uri, appEnv, adminToken: ADMIN_TOKEN, readSeconds: Math.max(2, SECONDS) })) : [];
  const targets = targetsFor(rows);
  const writesRan = list.some((s) => s.extent !== 'timed');
  const context = [
    `Budget Bot bench: ${CONNECTIONS} connections; reads: ${ROUNDS} rounds of ${SECONDS} s (app, then baseline) after ${WARM_UP_SECONDS} s of warm-up`,
    ...(writesRan ? [`writes: ${WRITES} events, once for app and baseline`] : []),
    `engine ${mongo.engine}; Node ${process.version}; ${new Date().toISOString()}`,
  ].join('; ');
  const file = save(fileURLToPath(new URL('../../artifacts/bench/', import.meta.url)), { context, rows, scaling, targets });
  return `${render(rows, scaling, targets, context)}\nSaved: ${file}\n`;
}

/** The server a scenario loads, ready: its process, the headers its requests carry, and a database for the baseline. */
interface Served {
  process: ServerProcess;
  headers: Headers;
  baselineDb: string;
}

async function serve(s: Scenario): Promise<Served> {
  const baselineDb = `bench_base_${randomBytes(3).toString('hex')}`;
  // Seeded where something reads it: the baseline, or a ceiling.
  if (s.baseline || s.server !== 'app') await seedBaseline(mongo.uri, baselineDb, USERS);
  if (s.server === 'app') {
    const app = await startApp(appEnv('route'));
    return { process: app, headers: await setUp(app.baseUrl, ADMIN_TOKEN, USERS), baselineDb };
  }
  // A ceiling reads the baseline's own documents: both do exactly the same findOne.
  const ceiling = await startFixture('./ceilingServer.ts', { MONGODB_URI: mongo.uri, MONGODB_DB_NAME: baselineDb, CEILING: s.server === 'node-ceiling' ? 'node' : 'express' });
  return { process: ceiling, headers: { admin: {}, service: {} }, baselineDb };
}

interface Round {
  load: LoadResult;
  cpuMicros: number | null;
  baseline: BaselineResult | null;
}

async function measure(s: Scenario, counting: { app: CountingApp; headers: Headers } | undefined): Promise<Row> {
  const connections = s.connections ?? CONNECTIONS;
  const served = await serve(s);
  const { baseUrl } = served.process;
  let baseline: { client: Baseline; operation: (phase: Phase) => BaselineOperation } | undefined;
  const rounds: Round[] = [];
  let peakRssMb: number | null;
  try {
    if (s.baseline) baseline = { client: await openBaseline(mongo.uri, served.baselineDb, connections), operation: s.baseline };
    progress(`${s.name}: warm-up`);
    await runLoad(baseUrl, s.request(served.headers, 'warm'), connections, s.warmUp);
    await baseline?.client.run(baseline.operation('warm'), s.warmUp);
    const extent: Extent = s.extent === 'timed' ? { seconds: SECONDS } : s.extent;
    const count = s.extent === 'timed' ? ROUNDS : 1;
    for (let i = 1; i <= count; i++) {
      progress(`${s.name}: round ${i} of ${count}`);
      const cpuBefore = served.process.cpuMicros();
      const load = await runLoad(baseUrl, s.request(served.headers, 'measured'), connections, extent);
      const cpuMicros = perRequest(cpuBefore, served.process.cpuMicros(), load.requests);
      rounds.push({ load, cpuMicros, baseline: baseline ? await baseline.client.run(baseline.operation('measured'), extent) : null });
    }
    peakRssMb = served.process.peakRssMb();
  } finally {
    await baseline?.client.close();
    await served.process.stop();
  }
  return {
    ...summarize(rounds),
    key: s.key,
    name: s.name,
    dbCommands: counting && s.counted !== 0 ? await countCommands(s, counting.app, counting.headers, connections) : null,
    peakRssMb: s.server === 'app' ? peakRssMb : null,
  };
}

/** Database commands per request, in the counting app, after a few requests that fill its caches. */
async function countCommands(s: Scenario, app: CountingApp, headers: Headers, connections: number): Promise<Row['dbCommands']> {
  progress(`${s.name}: database commands`);
  // One-time work (filling the token and price caches, a Slack user's first-sight profile) is
  // not charged to every request.
  const requests = s.counted ?? COUNTED_REQUESTS;
  await runLoad(app.baseUrl, s.request(headers, 'counting-warm'), 1, { requests: Math.min(requests, 5) });
  const request = s.request(headers, 'counted');
  const counted = await app.count(() => runLoad(app.baseUrl, request, Math.min(connections, 10), { requests }));
  return { perRequest: counted.commands / requests, byName: counted.byName };
}

/** Totals over the rounds; latencies and the ratio as the median round's, with the ratio's range. */
function summarize(rounds: Round[]): Omit<Row, 'key' | 'name' | 'dbCommands' | 'peakRssMb'> {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const requests = sum(rounds.map((r) => r.load.requests));
  const seconds = sum(rounds.map((r) => r.load.seconds));
  const cpu = rounds.map((r) => r.cpuMicros);
  const baselines = rounds.flatMap((r) => (r.baseline ? [r.baseline] : []));
  const ratios = rounds.flatMap((r) => (r.baseline ? [r.load.requestsPerSec / r.baseline.requestsPerSec] : []));
  const baselineOps = sum(baselines.map((b) => b.operations));
  return {
    requestsPerSec: requests / Math.max(seconds, 1e-9),
    p50Ms: median(rounds.map((r) => r.load.p50Ms)),
    p99Ms: median(rounds.map((r) => r.load.p99Ms)),
    errors: sum(rounds.map((r) => r.load.errors)),
    cpuMicrosPerRequest: cpu.every((c) => c !== null) ? sum(rounds.map((r) => (r.cpuMicros ?? 0) * r.load.requests)) / Math.max(requests, 1) : null,
    baselineRequestsPerSec: baselines.length > 0 ? baselineOps / Math.max(sum(baselines.map((b) => b.seconds)), 1e-9) : null,
    baselineCpuMicrosPerRequest: baselines.length > 0 ? sum(baselines.map((b) => b.cpuMicrosPerOperation * b.operations)) / Math.max(baselineOps, 1) : null,
    ratio: ratios.length > 0 ? { median: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) } : null,
    rounds: rounds.length,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** CPU µs per request between two readings, or null where they are missing. */
function perRequest(before: number | null, after: number | null, requests: number): number | null {
  return before === null || after === null || requests === 0 ? null : (after - before) / requests;
}
