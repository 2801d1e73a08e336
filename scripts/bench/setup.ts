// Setting up an app under test through its own API: a service token and configured users.
export interface Headers {
  admin: Record<string, string>;
  service: Record<string, string>;
}

export const benchUser = (i: number): string => `UBENCH${String(i).padStart(4, '0')}`;

/** Every bench user's limit: $10,000, so no load ever crosses a threshold or runs out. */
export const BENCH_LIMIT_USD = 10_000;
export const BENCH_LIMIT_MICROS = BENCH_LIMIT_USD * 1_000_000;

/** A service token and `users` configured users (benchUser(0..users-1)), through the API. */
export async function setUp(baseUrl: string, adminToken: string, users: number): Promise<Headers> {
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const created = await call(baseUrl, 'POST', '/api/v1/admin/tokens', admin, { kind: 'service', name: 'bench' });
  const service = { authorization: `Bearer ${String(created.token)}`, 'content-type': 'application/json' };
  for (let i = 0; i < users; i++) {
    await call(baseUrl, 'PUT', '/api/v1/budget/admin/configure', admin, { target_user_id: benchUser(i), monthly_limit_usd: BENCH_LIMIT_USD });
  }
  return { admin, service };
}

/** Records `events` through POST /usage, 500 at a time. */
export async function postInBatches(baseUrl: string, headers: Headers, events: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    await call(baseUrl, 'POST', '/api/v1/usage', headers.service, { events: events.slice(i, i + 500) });
  }
}

export async function call(base: string, method: string, path: string, headers: Record<string, string>, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, { method, headers, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}
