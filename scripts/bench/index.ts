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
import { render, save, type Row, type ScalingRow, type Target } from './report.js';

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
/** Scaling rows compare latencies, not throughput: a light load. */
const SCALING_CONNECTIONS = 10;
const SCALING_RECORDS = 500;
const ADMIN_TOKEN = `bench-admin-${randomBytes(16).toString('hex')}`;
const SIGNING_SECRET = 'bench-signing-secret';
const user = (i: number) => `UBENCH${String(i).padStart(4, '0')}`;
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

interface Headers {
  admin: Record<string, string>;
  service: Record<string, string>;
}

/** A service token and USERS configured users, through the API. */
async function setUp(baseUrl: string): Promise<Headers> {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const created = await call(baseUrl, 'POST', '/api/v1/admin/tokens', admin, { kind: 'service', name: 'bench' });
  const service = { authorization: `Bearer ${String(created.token)}`, 'content-type': 'application/json' };
  for (let i = 0; i < USERS; i++) {
    await call(baseUrl, 'PUT', '/api/v1/budget/admin/configure', admin, { target_user_id: user(i), monthly_limit_usd: 10_000 });
  }
  return { admin, service };
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
  const event = (prefix: string) => (seq: number) => ({ user_id: user(seq % USERS), idempotency_key: `${prefix}-${seq}`, model: 'gpt-4o', input_tokens: 1000, output_tokens: 200 });
  const slackBody = slashCommandBody({ userId: user(0), text: 'status', responseUrl: slack.responseUrl('bench') });
  const reads: Extent = { seconds: SECONDS };
  const warmReads: Extent = { seconds: WARM_UP_SECONDS };
  // A batch is 100 writes: fewer in flight, so the engine holds about as many as for single events.
  const batchConnections = 5;
  const batchRequests = Math.max(batchConnections, Math.round(WRITES / BATCH));
  return [
    {
      key: 'check',
      name: 'POST /api/v1/budget/check',
      request: (h) => ({ method: 'POST', path: '/api/v1/budget/check', headers: h.service, body: (n) => JSON.stringify({ user_id: user(n % USERS), model: 'gpt-4o', estimated_cost_usd: 0.01 }) }),
      baseline: () => readBudget(USERS),
      extent: reads,
      warmUp: warmReads,
    },
    {
      key: 'status',
      name: 'GET /api/v1/budget/status',
      request: (h) => ({ method: 'GET', path: (n) => `/api/v1/budget/status?user_id=${user(n % USERS)}`, headers: h.service }),
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
    const countingHeaders = counting ? await setUp(counting.baseUrl) : undefined;
    for (const s of chosen) rows.push(await measure(s, counting, countingHeaders));
  } finally {
    await counting?.stop();
  }
  if (ONLY.has('ceiling')) rows.push(await ceilingRow());
  progress('scaling rows');
  const scaling = ONLY.has('scaling') ? await scalingRows() : [];
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
    const headers = await setUp(app.baseUrl);
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

/** Latency against history size and user count: a hot path of constant cost stays flat. */
async function scalingRows(): Promise<ScalingRow[]> {
  const reads: Extent = { seconds: Math.max(2, SECONDS / 2) };
  const rows = await readScaling(reads);
  // Each record run gets a fresh app and database, whose users already exist: only their number
  // differs, not what earlier runs left in the engine.
  const tenUsers = await recordLatency(10);
  const thousandUsers = await recordLatency(1000);
  // The same writes by the raw driver: how much of the difference is the engine's.
  const baselineP50Ms = { small: (await baselineRecordLatency(10)).p50Ms, large: (await baselineRecordLatency(1000)).p50Ms };
  rows.push({ name: 'record vs users', small: { label: '10 users', ...tenUsers }, large: { label: '1,000 users', ...thousandUsers }, baselineP50Ms });
  return rows;
}

/** The raw driver recording events for `users` users who each have one already, like recordLatency. */
async function baselineRecordLatency(users: number): Promise<BaselineResult> {
  const db = `bench_base_${randomBytes(3).toString('hex')}`;
  await seedBaseline(mongo.uri, db, users);
  await runBaseline(mongo.uri, db, recordEvent(users, 'first'), SCALING_CONNECTIONS, { requests: users });
  return runBaseline(mongo.uri, db, recordEvent(users, 'scale'), SCALING_CONNECTIONS, { requests: SCALING_RECORDS });
}

async function readScaling(reads: Extent): Promise<ScalingRow[]> {
  const app = await startApp(appEnv('scaling'));
  try {
    const headers = await setUp(app.baseUrl);
    for (const [who, count] of [
      ['UFEW0001', 10],
      ['UMANY001', 2000],
    ] as const) {
      const events = Array.from({ length: count }, (_, i) => ({ user_id: who, idempotency_key: `hist-${i}`, model: 'gpt-4o', cost_usd: 0.001, operation: `op-${i % 9}` }));
      await postInBatches(app.baseUrl, headers, events);
    }
    const status = (who: string): LoadRequest => ({ method: 'GET', path: `/api/v1/budget/status?user_id=${who}`, headers: headers.service });
    const check = (who: string): LoadRequest => ({ method: 'POST', path: '/api/v1/budget/check', headers: headers.service, body: () => JSON.stringify({ user_id: who, model: 'gpt-4o', estimated_cost_usd: 0.01 }) });
    const row = async (name: string, small: [string, LoadRequest], large: [string, LoadRequest]): Promise<ScalingRow> => {
      const s = await runLoad(app.baseUrl, small[1], SCALING_CONNECTIONS, reads);
      const l = await runLoad(app.baseUrl, large[1], SCALING_CONNECTIONS, reads);
      return { name, small: { label: small[0], p50Ms: s.p50Ms, p99Ms: s.p99Ms }, large: { label: large[0], p50Ms: l.p50Ms, p99Ms: l.p99Ms } };
    };
    return [
      await row('status vs events recorded', ['10 events', status('UFEW0001')], ['2,000 events', status('UMANY001')]),
      await row('check vs events recorded', ['10 events', check('UFEW0001')], ['2,000 events', check('UMANY001')]),
    ];
  } finally {
    await app.stop();
  }
}

/** p50 and p99 of recording one event, spread over `users` users who already exist. */
async function recordLatency(users: number): Promise<{ p50Ms: number; p99Ms: number }> {
  const app = await startApp(appEnv(`scaling${users}`));
  try {
    const headers = await setUp(app.baseUrl);
    const who = (i: number) => `USCALE${String(i % users).padStart(4, '0')}`;
    await postInBatches(app.baseUrl, headers, Array.from({ length: users }, (_, i) => ({ user_id: who(i), idempotency_key: `first-${i}`, model: 'gpt-4o', cost_usd: 0.001 })));
    const record: LoadRequest = {
      method: 'POST',
      path: '/api/v1/usage',
      headers: headers.service,
      body: (n) => JSON.stringify({ user_id: who(n), idempotency_key: `scale-${n}`, model: 'gpt-4o', cost_usd: 0.001 }),
    };
    const load = await runLoad(app.baseUrl, record, SCALING_CONNECTIONS, { requests: SCALING_RECORDS });
    return { p50Ms: load.p50Ms, p99Ms: load.p99Ms };
  } finally {
    await app.stop();
  }
}

async function postInBatches(baseUrl: string, headers: Headers, events: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    await call(baseUrl, 'POST', '/api/v1/usage', headers.service, { events: events.slice(i, i + 500) });
  }
}

function targetsFor(rows: Row[]): Target[] {
  const find = (key: string) => rows.find((r) => r.key === key);
  const [check, status, record, slackRow] = [find('check'), find('status'), find('usage'), find('slack')];
  const ratio = (r: Row | undefined) => (r?.baselineRequestsPerSec ? r.requestsPerSec / r.baselineRequestsPerSec : 0);
  const peak = Math.max(...rows.map((r) => r.peakRssMb ?? 0));
  const cmds = (r: Row | undefined) => r?.dbCommands?.perRequest ?? Infinity;
  const t = (what: string, wanted: string, seen: string, met: boolean): Target => ({ what, wanted, seen, met });
  return [
    t('check throughput', '≥ 0.6 × baseline', ratio(check).toFixed(2), ratio(check) >= 0.6),
    t('check p99', '≤ 20 ms', `${check?.p99Ms ?? '-'} ms`, (check?.p99Ms ?? Infinity) <= 20),
    t('status throughput', '≥ 0.6 × baseline', ratio(status).toFixed(2), ratio(status) >= 0.6),
    t('status p99', '≤ 20 ms', `${status?.p99Ms ?? '-'} ms`, (status?.p99Ms ?? Infinity) <= 20),
    t('usage (1 event) throughput', '≥ 0.5 × baseline', ratio(record).toFixed(2), ratio(record) >= 0.5),
    t('db commands: check', '1', cmds(check).toFixed(2), cmds(check) <= 1.01),
    t('db commands: status', '1', cmds(status).toFixed(2), cmds(status) <= 1.01),
    t('db commands: usage (1 event)', '≤ 4', cmds(record).toFixed(2), cmds(record) <= 4.01),
    t('Slack ack p99', '≤ 100 ms', `${slackRow?.p99Ms ?? '-'} ms`, (slackRow?.p99Ms ?? Infinity) <= 100),
    t('peak RSS', '≤ 200 MB', `${peak.toFixed(0)} MB`, peak <= 200),
  ];
}

/** CPU µs per request between two readings, or null where they are missing. */
function perRequest(before: number | null, after: number | null, requests: number): number | null {
  return before === null || after === null || requests === 0 ? null : (after - before) / requests;
}

async function call(base: string, method: string, path: string, headers: Record<string, string>, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, { method, headers, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}
