// `npm run bench`: loads the hot path of a running Budget Bot and prints one table (also saved as
// JSON under artifacts/bench/). Each route gets a fresh app process, started as the Procfile starts
// it (appProcess.ts), on a fresh database of the embedded engine, or of MONGODB_URI when set;
// autocannon and the raw-driver baseline run here. App and baseline each get a warm-up load first
// (JIT, connection pools, the engine's caches), then the measured one. Reads run for a time;
// writes for a number of requests, the same for app and baseline, because the test engine slows
// down as a collection grows (MONGODB.md). Database commands per request are counted in a
// separate app with command monitoring on (countingApp.ts).
//
//   npm run bench [-- --seconds 8 --connections 50 --writes 2000 --only check,ceiling]
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveMongo } from '../../src/db/launcher.js';
import { createLogger } from '../../src/logger.js';
import { FakeSlack } from '../../test/helpers/fakeSlack.js';
import { slackSignature, slashCommandBody } from '../../test/helpers/slackRequests.js';
import { startApp, startFixture } from './appProcess.js';
import { baselineUser, readBudget, recordBatch, recordEvent, runBaseline, seedBaseline, type BaselineOperation, type BaselineResult } from './baseline.js';
import { startCountingApp, type CountingApp } from './countingApp.js';
import { runLoad, type Extent, type LoadRequest } from './load.js';
import { render, save, type Row } from './report.js';
import { scalingRows } from './scaling.js';
import { benchUser, setUp, type Headers } from './setup.js';
import { targetsFor } from './targets.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '50' },
    writes: { type: 'string', default: '2000' },
    only: { type: 'string', default: 'check,status,usage,batch,slack,ceiling,scaling' },
  },
});
const SECONDS = Number(args.seconds);
const CONNECTIONS = Number(args.connections);
const WRITES = Number(args.writes);
/** Which parts to run (all by default): check, status, usage, batch, slack, ceiling, scaling. */
const ONLY = new Set(args.only.split(','));
const USERS = 50;
const BATCH = 100;
/** Requests of each kind sent to the counting app. */
const COUNTED_REQUESTS = 200;
const WARM_UP_SECONDS = 2;
const SLACK_CONNECTIONS = 10;
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

/** Which run a request belongs to; writes use it in their idempotency keys, so no run repeats another's. */
type Phase = 'warm' | 'measured' | 'counting-warm' | 'counted';

interface Scenario {
  /** The --only keyword that selects it. */
  key: string;
  name: string;
  request: (h: Headers, phase: Phase) => LoadRequest;
  baseline: ((phase: Phase) => BaselineOperation) | null;
  extent: Extent;
  warmUp: Extent;
  /** In flight at once; default CONNECTIONS. */
  connections?: number;
  /** Requests sent to the counting app; default COUNTED_REQUESTS. */
  counted?: number;
}

function scenarios(): Scenario[] {
  const event = (prefix: string) => (seq: number) => ({ user_id: benchUser(seq % USERS), idempotency_key: `${prefix}-${seq}`, model: 'gpt-4o', input_tokens: 1000, output_tokens: 200 });
  const slackBody = slashCommandBody({ userId: benchUser(0), text: 'status', responseUrl: slack.responseUrl('bench') });
  const reads: Extent = { seconds: SECONDS };
  const warmReads: Extent = { seconds: WARM_UP_SECONDS };
  // A batch is 100 writes: fewer in flight, so the engine holds about as many as for single events.
  const batchConnections = 5;
  const batchRequests = Math.max(batchConnections, Math.round(WRITES / BATCH));
  return [
    {
      key: 'check',
      name: 'POST /api/v1/budget/check',
      request: (h) => ({ method: 'POST', path: '/api/v1/budget/check', headers: h.service, body: (n) => JSON.stringify({ user_id: benchUser(n % USERS), model: 'gpt-4o', estimated_cost_usd: 0.01 }) }),
      baseline: () => readBudget(USERS),
      extent: reads,
      warmUp: warmReads,
    },
    {
      key: 'status',
      name: 'GET /api/v1/budget/status',
      request: (h) => ({ method: 'GET', path: (n) => `/api/v1/budget/status?user_id=${benchUser(n % USERS)}`, headers: h.service }),
      baseline: () => readBudget(USERS),
      extent: reads,
      warmUp: warmReads,
    },
    {
      key: 'usage',
      name: 'POST /api/v1/usage (1 event)',
      request: (h, phase) => {
        const single = event(`single-${phase}`);
        return { method: 'POST', path: '/api/v1/usage', headers: h.service, body: (n) => JSON.stringify(single(n)) };
      },
      baseline: (phase) => recordEvent(USERS, `base-single-${phase}`),
      extent: { requests: WRITES },
      warmUp: { requests: Math.round(WRITES / 10) },
    },
    {
      key: 'batch',
      name: `POST /api/v1/usage (${BATCH} events)`,
      request: (h, phase) => {
        const batched = event(`batch-${phase}`);
        return {
          method: 'POST',
          path: '/api/v1/usage',
          headers: h.service,
          body: (n) => JSON.stringify({ events: Array.from({ length: BATCH }, (_, i) => batched(n * BATCH + i)) }),
        };
      },
      baseline: (phase) => recordBatch(USERS, `base-batch-${phase}`, BATCH),
      extent: { requests: batchRequests },
      warmUp: { requests: batchConnections },
      connections: batchConnections,
      counted: 2,
    },
    {
      key: 'slack',
      name: `Slack /budget status (ack, ${SLACK_CONNECTIONS} in flight)`,
      // Signed when the run starts: Slack's signatures are good for 5 minutes, and a whole bench
      // takes longer than that.
      request: () => {
        const timestamp = Math.floor(Date.now() / 1000);
        return {
          method: 'POST',
          path: '/slack/events',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-slack-request-timestamp': String(timestamp),
            'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, slackBody),
          },
          body: () => slackBody,
        };
      },
      baseline: null,
      extent: reads,
      warmUp: warmReads,
      // People type commands: 10 always in flight (hundreds a second) is far beyond any workspace,
      // while 50 would measure the queue in front of the app (latency = in flight ÷ throughput).
      connections: SLACK_CONNECTIONS,
    },
  ];
}

async function runAll(): Promise<string> {
  const rows: Row[] = [];
  const chosen = scenarios().filter((x) => ONLY.has(x.key));
  const counting = chosen.length > 0 ? await startCountingApp(appEnv('count')) : undefined;
  try {
    const countingHeaders = counting ? await setUp(counting.baseUrl, ADMIN_TOKEN, USERS) : undefined;
    for (const s of chosen) rows.push(await measure(s, counting, countingHeaders));
  } finally {
    await counting?.stop();
  }
  if (ONLY.has('ceiling')) rows.push(await ceilingRow());
  progress('scaling rows');
  const scaling = ONLY.has('scaling') ? await scalingRows({ mongoUri: mongo.uri, appEnv, adminToken: ADMIN_TOKEN, readSeconds: Math.max(2, SECONDS / 2) }) : [];
  const targets = targetsFor(rows);
  const context = `Budget Bot bench: ${CONNECTIONS} connections, reads ${SECONDS} s after ${WARM_UP_SECONDS} s of warm-up, writes ${WRITES} events, engine ${mongo.engine}, Node ${process.version}, ${new Date().toISOString()}`;
  const file = save(fileURLToPath(new URL('../../artifacts/bench/', import.meta.url)), { context, rows, scaling, targets });
  return `${render(rows, scaling, targets, context)}\nSaved: ${file}\n`;
}

async function measure(s: Scenario, counting: CountingApp | undefined, countingHeaders: Headers | undefined): Promise<Row> {
  const connections = s.connections ?? CONNECTIONS;
  const app = await startApp(appEnv('route'));
  let load;
  let peakRssMb;
  let cpuMicrosPerRequest;
  try {
    const headers = await setUp(app.baseUrl, ADMIN_TOKEN, USERS);
    progress(`${s.name}: app, warm-up`);
    await runLoad(app.baseUrl, s.request(headers, 'warm'), connections, s.warmUp);
    progress(`${s.name}: app`);
    const cpuBefore = app.cpuMicros();
    load = await runLoad(app.baseUrl, s.request(headers, 'measured'), connections, s.extent);
    cpuMicrosPerRequest = perRequest(cpuBefore, app.cpuMicros(), load.requests);
    peakRssMb = app.peakRssMb();
  } finally {
    await app.stop();
  }
  let baseline: BaselineResult | null = null;
  if (s.baseline) {
    progress(`${s.name}: baseline`);
    const db = `bench_base_${randomBytes(3).toString('hex')}`;
    await seedBaseline(mongo.uri, db, USERS);
    await runBaseline(mongo.uri, db, s.baseline('warm'), connections, s.warmUp);
    baseline = await runBaseline(mongo.uri, db, s.baseline('measured'), connections, s.extent);
  }
  let commands: Row['dbCommands'] = null;
  if (counting && countingHeaders) {
    progress(`${s.name}: database commands`);
    // A few requests first, so one-time work (filling the token and price caches, a Slack user's
    // first-sight profile) is not charged to every request.
    const requests = s.counted ?? COUNTED_REQUESTS;
    await runLoad(counting.baseUrl, s.request(countingHeaders, 'counting-warm'), 1, { requests: Math.min(requests, 5) });
    const request = s.request(countingHeaders, 'counted');
    const counted = await counting.count(() => runLoad(counting.baseUrl, request, Math.min(connections, 10), { requests }));
    commands = { perRequest: counted.commands / requests, byName: counted.byName };
  }
  return {
    key: s.key,
    name: s.name,
    requestsPerSec: load.requestsPerSec,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    errors: load.errors,
    dbCommands: commands,
    peakRssMb,
    cpuMicrosPerRequest,
    baselineRequestsPerSec: baseline?.requestsPerSec ?? null,
    baselineCpuMicrosPerRequest: baseline?.cpuMicrosPerOperation ?? null,
  };
}

/** The same load on a bare Express route doing the check's one findOne: the HTTP ceiling here. */
async function ceilingRow(): Promise<Row> {
  progress('bare Express ceiling');
  const db = `bench_bare_${randomBytes(3).toString('hex')}`;
  await seedBaseline(mongo.uri, db, USERS);
  const bare = await startFixture('./bareServer.ts', { MONGODB_URI: mongo.uri, MONGODB_DB_NAME: db });
  let load;
  let cpuMicrosPerRequest;
  try {
    const request: LoadRequest = { method: 'POST', path: '/check', headers: { 'content-type': 'application/json' }, body: (n) => JSON.stringify({ user_id: baselineUser(n % USERS) }) };
    await runLoad(bare.baseUrl, request, CONNECTIONS, { seconds: WARM_UP_SECONDS });
    const cpuBefore = bare.cpuMicros();
    load = await runLoad(bare.baseUrl, request, CONNECTIONS, { seconds: SECONDS });
    cpuMicrosPerRequest = perRequest(cpuBefore, bare.cpuMicros(), load.requests);
  } finally {
    await bare.stop();
  }
  await runBaseline(mongo.uri, db, readBudget(USERS), CONNECTIONS, { seconds: WARM_UP_SECONDS });
  const baseline = await runBaseline(mongo.uri, db, readBudget(USERS), CONNECTIONS, { seconds: SECONDS });
  return {
    key: 'ceiling',
    name: 'bare Express + 1 findOne (ceiling)',
    requestsPerSec: load.requestsPerSec,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    errors: load.errors,
    dbCommands: null,
    peakRssMb: null,
    cpuMicrosPerRequest,
    baselineRequestsPerSec: baseline.requestsPerSec,
    baselineCpuMicrosPerRequest: baseline.cpuMicrosPerOperation,
  };
}

/** CPU µs per request between two readings, or null where they are missing. */
function perRequest(before: number | null, after: number | null, requests: number): number | null {
  return before === null || after === null || requests === 0 ? null : (after - before) / requests;
}
