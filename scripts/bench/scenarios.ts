// What the bench loads: each route, the request autocannon sends for it, and the raw-driver
// operation that sends the same database commands (the baseline).
import { slackSignature, slashCommandBody } from '../../test/helpers/slackRequests.js';
import { readBudget, recordBatch, recordEvent, type BaselineOperation } from './baseline.js';
import type { Extent, LoadRequest } from './load.js';
import { benchUser, type Headers } from './setup.js';

/** Which run a request belongs to; writes use it in their idempotency keys, so no run repeats another's. */
export type Phase = 'warm' | 'measured' | 'counting-warm' | 'counted';

/** Who serves the route: Budget Bot as the Procfile starts it, or a bare ceiling (ceilingServer.ts). */
export type Server = 'app' | 'express-ceiling' | 'node-ceiling';

export interface Scenario {
  /** The --only keyword that selects it (`ceiling` selects both ceilings). */
  key: string;
  name: string;
  server: Server;
  request: (h: Headers, phase: Phase) => LoadRequest;
  baseline: ((phase: Phase) => BaselineOperation) | null;
  /**
   * Reads run for a time, in rounds that alternate app and baseline, so both see the same machine.
   * Writes run once for a number of requests, the same for app and baseline, because the test
   * engine slows down as a collection grows (MONGODB.md).
   */
  extent: 'timed' | { requests: number };
  warmUp: Extent;
  /** In flight at once; default: --connections. */
  connections?: number;
  /** Requests sent to the counting app; default COUNTED_REQUESTS; 0 = not counted. */
  counted?: number;
}

export interface ScenarioOptions {
  users: number;
  writes: number;
  batchSize: number;
  warmUpSeconds: number;
  slackConnections: number;
  signingSecret: string;
  /** Where Bolt's respond() goes: the fake Slack's response_url. */
  responseUrl: string;
}

export function scenarios(o: ScenarioOptions): Scenario[] {
  const { users } = o;
  const event = (prefix: string) => (seq: number) => ({ user_id: benchUser(seq % users), idempotency_key: `${prefix}-${seq}`, model: 'gpt-4o', input_tokens: 1000, output_tokens: 200 });
  const slackBody = slashCommandBody({ userId: benchUser(0), text: 'status', responseUrl: o.responseUrl });
  const warmReads: Extent = { seconds: o.warmUpSeconds };
  // A batch is 100 writes: fewer in flight, so the engine holds about as many as for single events.
  const batchConnections = 5;
  const batchRequests = Math.max(batchConnections, Math.round(o.writes / o.batchSize));
  const ceiling: LoadRequest = {
    method: 'POST',
    path: '/check',
    headers: { 'content-type': 'application/json' },
    body: (n) => JSON.stringify({ user_id: benchUser(n % users) }),
  };
  return [
    {
      key: 'check',
      name: 'POST /api/v1/budget/check',
      server: 'app',
      request: (h) => ({ method: 'POST', path: '/api/v1/budget/check', headers: h.service, body: (n) => JSON.stringify({ user_id: benchUser(n % users), model: 'gpt-4o', estimated_cost_usd: 0.01 }) }),
      baseline: () => readBudget(users),
      extent: 'timed',
      warmUp: warmReads,
    },
    {
      key: 'status',
      name: 'GET /api/v1/budget/status',
      server: 'app',
      request: (h) => ({ method: 'GET', path: (n) => `/api/v1/budget/status?user_id=${benchUser(n % users)}`, headers: h.service }),
      baseline: () => readBudget(users),
      extent: 'timed',
      warmUp: warmReads,
    },
    {
      key: 'usage',
      name: 'POST /api/v1/usage (1 event)',
      server: 'app',
      request: (h, phase) => {
        const single = event(`single-${phase}`);
        return { method: 'POST', path: '/api/v1/usage', headers: h.service, body: (n) => JSON.stringify(single(n)) };
      },
      baseline: (phase) => recordEvent(users, `base-single-${phase}`),
      extent: { requests: o.writes },
      // Enough for the JIT to compile the whole recording path before anything is measured.
      warmUp: { requests: Math.max(200, Math.round(o.writes / 10)) },
    },
    {
      key: 'batch',
      name: `POST /api/v1/usage (${o.batchSize} events, ${batchConnections} in flight)`,
      server: 'app',
      request: (h, phase) => {
        const batched = event(`batch-${phase}`);
        return {
          method: 'POST',
          path: '/api/v1/usage',
          headers: h.service,
          body: (n) => JSON.stringify({ events: Array.from({ length: o.batchSize }, (_, i) => batched(n * o.batchSize + i)) }),
        };
      },
      baseline: (phase) => recordBatch(users, `base-batch-${phase}`, o.batchSize),
      extent: { requests: batchRequests },
      warmUp: { requests: batchConnections },
      connections: batchConnections,
      counted: 2,
    },
    {
      key: 'slack',
      name: `Slack /budget status (ack, ${o.slackConnections} in flight)`,
      server: 'app',
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
            'x-slack-signature': slackSignature(o.signingSecret, timestamp, slackBody),
          },
          body: () => slackBody,
        };
      },
      baseline: null,
      extent: 'timed',
      warmUp: warmReads,
      connections: o.slackConnections,
    },
    ...(['Express', 'node:http'] as const).map(
      (framework): Scenario => ({
        key: framework === 'Express' ? 'ceiling-express' : 'ceiling-node',
        name: `bare ${framework} + 1 findOne (ceiling)`,
        server: framework === 'Express' ? 'express-ceiling' : 'node-ceiling',
        request: () => ceiling,
        baseline: () => readBudget(users),
        extent: 'timed',
        warmUp: warmReads,
        counted: 0,
      }),
    ),
  ];
}
