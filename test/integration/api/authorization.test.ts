// Every route × every kind of caller → the expected status, over real HTTP. Every request is about
// user A; no answer to anyone but A, a service or an admin may carry A's data (and A never sees B's).
// Successful answers must also match the route's documented response schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../src/http/api/routes/index.js';
import { ADMIN_TOKEN, CONFIGURED_ADMIN, errorCode, errorShape, startApi, type ApiHarness, type Reply } from './harness.js';

const A = 'UALICE01';
const B = 'UBOBBY01';
const A_SECRET_NOTE = 'note-only-for-alice';

type Caller = 'none' | 'bad' | 'revoked' | 'userA' | 'userB' | 'adminPerson' | 'service' | 'admin';
const CALLERS: readonly Caller[] = ['none', 'bad', 'revoked', 'userA', 'userB', 'adminPerson', 'service', 'admin'];

interface Request {
  method: string;
  path: string;
  body?: unknown;
}

interface RouteCase {
  operationId: string;
  request: (caller: Caller) => Promise<Request> | Request;
  /** Statuses of authenticated callers; unauthenticated ones get 401 unless the route is public. */
  expected: Record<'userA' | 'userB' | 'adminPerson' | 'service' | 'admin', number>;
}

let api: ApiHarness;
const tokens = new Map<Caller, string | undefined>();
let sequence = 0;
const unique = (label: string) => `${label}-${++sequence}`;

/** A user token may name only its own user; everyone else is refused. */
const ownOnly = { userA: 200, userB: 403, adminPerson: 403, service: 200, admin: 200 } as const;
const adminOnly = { userA: 403, userB: 403, adminPerson: 403, service: 403, admin: 200 } as const;

const CASES: RouteCase[] = [
  { operationId: 'getBudgetStatus', request: () => ({ method: 'GET', path: `/budget/status?user_id=${A}` }), expected: ownOnly },
  { operationId: 'getBudgetSettings', request: () => ({ method: 'GET', path: `/budget/settings?user_id=${A}` }), expected: ownOnly },
  {
    operationId: 'updateBudgetSettings',
    request: () => ({ method: 'PUT', path: '/budget/settings', body: { user_id: A, monthly_limit_usd: 40 + (sequence++ % 5) } }),
    // Services may read any budget but change none.
    expected: { ...ownOnly, service: 403 },
  },
  {
    operationId: 'resetBudget',
    request: () => ({ method: 'POST', path: '/budget/reset', body: { user_id: A, reason: 'matrix reset' } }),
    expected: { ...ownOnly, service: 403 },
  },
  { operationId: 'getUsageBreakdown', request: () => ({ method: 'GET', path: `/budget/usage/breakdown?user_id=${A}&range=30d` }), expected: ownOnly },
  { operationId: 'getResetHistory', request: () => ({ method: 'GET', path: `/budget/history?user_id=${A}` }), expected: ownOnly },
  {
    operationId: 'configureBudget',
    request: () => ({ method: 'PUT', path: '/budget/admin/configure', body: { target_user_id: A, admin_notes: A_SECRET_NOTE } }),
    expected: adminOnly,
  },
  { operationId: 'listUsers', request: () => ({ method: 'GET', path: '/budget/admin/users' }), expected: adminOnly },
  { operationId: 'adminResetBudget', request: () => ({ method: 'POST', path: `/budget/admin/reset/${A}`, body: { reason: 'matrix admin reset' } }), expected: adminOnly },
  {
    operationId: 'recordUsage',
    request: () => ({ method: 'POST', path: '/usage', body: { user_id: A, idempotency_key: unique('matrix'), model: 'gpt-4o', cost_usd: 0.01 } }),
    expected: { userA: 201, userB: 403, adminPerson: 403, service: 201, admin: 201 },
  },
  { operationId: 'checkBudget', request: () => ({ method: 'POST', path: '/budget/check', body: { user_id: A, model: 'gpt-4o', estimated_cost_usd: 0.5 } }), expected: ownOnly },
  { operationId: 'createToken', request: () => ({ method: 'POST', path: '/admin/tokens', body: { kind: 'service', name: 'matrix' } }), expected: { ...adminOnly, admin: 201 } },
  { operationId: 'listTokens', request: () => ({ method: 'GET', path: '/admin/tokens' }), expected: adminOnly },
  {
    operationId: 'revokeToken',
    request: async () => ({ method: 'DELETE', path: `/admin/tokens/${(await api.token('user', A)).id}` }),
    expected: adminOnly,
  },
  {
    operationId: 'getOpenApiDocument',
    request: () => ({ method: 'GET', path: '/openapi.json' }),
    expected: { userA: 200, userB: 200, adminPerson: 200, service: 200, admin: 200 },
  },
];

function expectedStatus(c: RouteCase, caller: Caller): number {
  if (caller === 'none' || caller === 'bad' || caller === 'revoked') {
    return API_ROUTES.find((r) => r.operationId === c.operationId)?.auth === 'public' ? 200 : 401;
  }
  return c.expected[caller];
}

/** The documented schema of a route's success answer. */
function expectDocumentedShape(operationId: string, reply: Reply): void {
  const route = API_ROUTES.find((r) => r.operationId === operationId);
  if (reply.status < 300) {
    expect(Object.keys(route?.response.statuses ?? {})).toContain(String(reply.status));
    const parsed = route?.response.schema.safeParse(reply.json);
    expect(parsed?.success, `${operationId}: ${parsed?.error?.message ?? ''}`).toBe(true);
  } else {
    expect(errorShape.safeParse(reply.json).success, reply.text).toBe(true);
  }
}

beforeAll(async () => {
  api = await startApi();
  await api.configure(A, { user_can_modify_limit: true, user_can_reset_budget: true, admin_notes: A_SECRET_NOTE, display_name: 'Alice' });
  await api.configure(B, { display_name: 'Bob' });
  const revoked = await api.token('user', A);
  const revoke = await api.call('DELETE', `/admin/tokens/${revoked.id}`, { token: ADMIN_TOKEN });
  expect(revoke.status).toBe(200);
  tokens.set('none', undefined);
  tokens.set('bad', 'bb_svc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  tokens.set('revoked', revoked.token);
  tokens.set('userA', (await api.token('user', A)).token);
  tokens.set('userB', (await api.token('user', B)).token);
  tokens.set('adminPerson', (await api.token('user', CONFIGURED_ADMIN)).token);
  tokens.set('service', (await api.token('service')).token);
  tokens.set('admin', (await api.token('admin')).token);
});
afterAll(async () => {
  await api.stop();
});

describe('authorization matrix', () => {
  it('covers every route the API defines', () => {
    expect(CASES.map((c) => c.operationId).sort()).toEqual(API_ROUTES.map((r) => r.operationId).sort());
  });

  const grid = CASES.flatMap((c) => CALLERS.map((caller) => [c.operationId, caller, c] as const));
  it.each(grid)('%s as %s', async (_operationId, caller, c) => {
    const request = await c.request(caller);
    const reply = await api.call(request.method, request.path, { token: tokens.get(caller), body: request.body });
    expect(reply.status, reply.text).toBe(expectedStatus(c, caller));
    expectDocumentedShape(c.operationId, reply);
    if (reply.status === 401) {
      expect(errorCode(reply)).toBe('unauthorized');
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    if (caller === 'userB' || caller === 'adminPerson' || caller === 'none' || caller === 'bad' || caller === 'revoked') {
      // Nothing of A's: not the id, not the name, not the notes (the public OpenAPI document has none of them either).
      expect(reply.text).not.toContain(A);
      expect(reply.text).not.toContain('Alice');
      expect(reply.text).not.toContain(A_SECRET_NOTE);
    }
    if (caller === 'userA') {
      expect(reply.text).not.toContain(B);
      expect(reply.text).not.toContain('Bob');
    }
  });
});

describe('permission rules through the API', () => {
  it('a hidden budget is 403 budget_hidden for its owner, with a clear message, and visible to admins', async () => {
    await api.configure('UHIDDEN1', { budget_visible_to_user: false });
    const own = await api.token('user', 'UHIDDEN1');
    for (const path of ['/budget/status', '/budget/usage/breakdown', '/budget/settings', '/budget/history']) {
      const reply = await api.call('GET', path, { token: own.token });
      expect(reply.status, path).toBe(403);
      expect(reply.json).toEqual({
        error: { code: 'budget_hidden', message: 'Your budget is managed by an admin, who has not made it visible to you', details: null },
      });
    }
    const check = await api.call('POST', '/budget/check', { token: own.token, body: { model: 'gpt-4o' } });
    expect(errorCode(check)).toBe('budget_hidden');
    const asAdmin = await api.call('GET', '/budget/status?user_id=UHIDDEN1', { token: ADMIN_TOKEN });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.json).toMatchObject({ can_view_budget: false, can_modify_limit: false, can_reset_budget: false });
  });

  it('changing the limit or resetting without permission is 403', async () => {
    const own = await api.token('user', B);
    const limit = await api.call('PUT', '/budget/settings', { token: own.token, body: { monthly_limit_usd: 999 } });
    expect(limit.status).toBe(403);
    expect(errorCode(limit)).toBe('forbidden');
    const reset = await api.call('POST', '/budget/reset', { token: own.token, body: { reason: 'I would like more' } });
    expect(reset.status).toBe(403);
    const status = await api.call('GET', '/budget/status', { token: own.token });
    expect(status.json).toMatchObject({ total_budget: 50, can_modify_limit: false, can_reset_budget: false });
  });

  it('a permitted user changes their own limit, never above the ceiling an admin set', async () => {
    await api.configure('UCEIL001', { user_can_modify_limit: true, limit_ceiling_usd: 80 });
    const own = await api.token('user', 'UCEIL001');
    const ok = await api.call('PUT', '/budget/settings', { token: own.token, body: { monthly_limit_usd: 75.5 } });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ user_id: 'UCEIL001', monthly_limit_usd: 75.5 });
    const over = await api.call('PUT', '/budget/settings', { token: own.token, body: { monthly_limit_usd: 80.01 } });
    expect(over.status).toBe(400);
    expect(over.json).toMatchObject({ error: { code: 'validation_failed', details: { monthly_limit_usd: ['must be at most $80.00 (the ceiling an admin set)'] } } });
  });

  it('a user token without user_id acts on its own user; admin and service tokens must name one', async () => {
    const own = await api.token('user', A);
    expect((await api.call('GET', '/budget/status', { token: own.token })).json).toMatchObject({ user_id: A });
    const service = await api.call('GET', '/budget/status', { token: tokens.get('service') });
    expect(service.status).toBe(400);
    expect(service.json).toMatchObject({ error: { code: 'validation_failed', details: { user_id: ['is required with an admin or service token'] } } });
  });

  it('a token revoked through the API stops working at once', async () => {
    const created = await api.token('service');
    expect((await api.call('GET', `/budget/status?user_id=${B}`, { token: created.token })).status).toBe(200);
    expect((await api.call('DELETE', `/admin/tokens/${created.id}`, { token: ADMIN_TOKEN })).status).toBe(200);
    const after = await api.call('GET', `/budget/status?user_id=${B}`, { token: created.token });
    expect(after.status).toBe(401);
    expect(after.json).toEqual({ error: { code: 'unauthorized', message: 'The API token is not valid or has been revoked', details: null } });
    const again = await api.call('DELETE', `/admin/tokens/${created.id}`, { token: ADMIN_TOKEN });
    expect(again.status).toBe(404);
  });

  it('token lists show prefixes, never tokens or hashes, and page with a cursor', async () => {
    const made = [await api.token('service'), await api.token('service'), await api.token('service')];
    const first = await api.call('GET', '/admin/tokens?kind=service&limit=2', { token: ADMIN_TOKEN });
    expect(first.status).toBe(200);
    for (const { token } of made) expect(first.text).not.toContain(token);
    expect(first.text).not.toMatch(/"hash"/);
    const page = first.json as { items: { id: string; prefix: string }[]; next_cursor: string | null };
    expect(page.items).toHaveLength(2);
    expect(page.items[0]?.id).toBe(made[2]?.id);
    expect(page.items[0]?.prefix).toBe(made[2]?.token.slice(0, 12));
    expect(page.next_cursor).toBe(page.items[1]?.id);
    const second = await api.call('GET', `/admin/tokens?kind=service&limit=2&cursor=${page.next_cursor ?? ''}`, { token: ADMIN_TOKEN });
    const rest = second.json as { items: { id: string }[] };
    expect(rest.items[0]?.id).toBe(made[0]?.id);
  });
});
