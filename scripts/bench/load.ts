// HTTP load with autocannon: a fixed number of connections for a fixed time, each request built by
// a function (so every usage event gets its own idempotency key).
import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** The path of request number `seq`. */
  path: string | ((seq: number) => string);
  headers: Record<string, string>;
  /** The body of request number `seq`, or none. */
  body?: (seq: number) => string;
}

export interface LoadResult {
  requests: number;
  /** How long the run took. */
  seconds: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts and non-2xx answers. */
  errors: number;
}

/** How long a load runs: a time, or a number of requests (for writes, so app and baseline write the same amount). */
export type Extent = { seconds: number } | { requests: number };

export async function runLoad(baseUrl: string, request: LoadRequest, connections: number, extent: Extent): Promise<LoadResult> {
  let seq = 0;
  const pathOf = typeof request.path === 'string' ? () => request.path as string : request.path;
  const result = await autocannon({
    url: baseUrl,
    // autocannon refuses more connections than requests (a short run asked for with --writes).
    connections: 'requests' in extent ? Math.min(connections, extent.requests) : connections,
    // autocannon ends a run at its next sample tick: at 100 ms rather than the default whole
    // second, a run of a fixed number of requests is not charged for up to a second of waiting.
    sampleInt: 100,
    // A batch of 100 events can take longer than autocannon's default 10 s on the test engine; a
    // timed-out request would go on in the app after the run, unseen.
    timeout: 120,
    ...('seconds' in extent ? { duration: extent.seconds } : { amount: extent.requests }),
    requests: [
      {
        method: request.method,
        path: pathOf(0),
        headers: request.headers,
        setupRequest: (req) => {
          const n = seq++;
          return { ...req, path: pathOf(n), ...(request.body ? { body: request.body(n) } : {}) };
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSec: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}
