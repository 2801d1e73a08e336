// A corpus of bad requests across the routes. Each must be answered with its 4xx status in the
// documented error shape, and must leave the database exactly as it was (document counts of every
// collection, and every budget document field by field).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, errorShape, startApi, type ApiHarness } from './harness.js';

const USER = 'UEXIST01';
const NO_RIGHTS = 'UNORIGHT';
const HIDDEN = 'UHIDDEN2';
const NOW = '2025-06-10T12:00:00Z';

let api: ApiHarness;
const token = { admin: ADMIN_TOKEN, service: '', user: '', noRights: '', hidden: '' };

interface BadRequest {
  method: string;
  path: string;
  /** Which token to send; none when left out. */
  as?: keyof typeof token;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** Field names the details must include (400s). */
  fields?: string[];
}

const event = { user_id: USER, idempotency_key: 'bad-1', model: 'gpt-4o', cost_usd: 0.25 };
type Target = Pick<BadRequest, 'method' | 'path' | 'as' | 'body'>;

const configure = (extra: Record<string, unknown>): Target => ({
  method: 'PUT',
  path: '/budget/admin/configure',
  as: 'admin',
  body: { target_user_id: USER, ...extra },
});
const usage = (body: unknown): Target => ({ method: 'POST', path: '/usage', as: 'service', body });
const check = (body: unknown): Target => ({ method: 'POST', path: '/budget/check', as: 'service', body });
const bad400 = (fields: string[]) => ({ status: 400, code: 'validation_failed', fields });

const CORPUS: [string, BadRequest][] = [
    // Authentication
    ['no token', { method: 'GET', path: `/budget/status?user_id=${USER}`, status: 401, code: 'unauthorized' }],
    ['"Bearer" without a token', { method: 'GET', path: '/budget/status', headers: { authorization: 'Bearer' }, status: 401, code: 'unauthorized' }],
    ['Basic auth', { method: 'GET', path: '/budget/status', headers: { authorization: 'Basic dXNlcjpwYXNz' }, status: 401, code: 'unauthorized' }],
    ['an unknown token', { method: 'GET', path: '/budget/status', headers: { authorization: `Bearer bb_adm_${'x'.repeat(43)}` }, status: 401, code: 'unauthorized' }],
    ['a token with spaces', { method: 'GET', path: '/budget/status', headers: { authorization: 'Bearer a b c' }, status: 401, code: 'unauthorized' }],
    ['an unknown token on an admin route', { method: 'POST', path: '/admin/tokens', headers: { authorization: 'Bearer nope' }, body: { kind: 'admin' }, status: 401, code: 'unauthorized' }],

    // The body itself
    ['malformed JSON', { method: 'POST', path: '/usage', as: 'service', raw: '{"user_id": ', headers: { 'content-type': 'application/json' }, status: 400, code: 'invalid_json' }],
    ['a JSON number as body', { method: 'POST', path: '/budget/check', as: 'service', raw: '42', headers: { 'content-type': 'application/json' }, status: 400, code: 'invalid_json' }],
    ['a body over 100 KB', { ...usage({ events: [{ ...event, operation: 'x'.repeat(101 * 1024) }] }), status: 413, code: 'payload_too_large' }],
    ['a text/plain body', { method: 'POST', path: '/usage', as: 'service', raw: 'user_id=UEXIST01', headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' }],
    ['a form body', { method: 'POST', path: '/budget/reset', as: 'user', raw: 'reason=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' }],
    ['a JSON body in latin1', { method: 'POST', path: '/budget/check', as: 'service', raw: '{}', headers: { 'content-type': 'application/json; charset=latin1' }, status: 415, code: 'unsupported_media_type' }],
    // An empty JSON body reads as {} (body-parser), so the missing fields are named.
    ['no body', { method: 'POST', path: '/budget/check', as: 'service', headers: { 'content-type': 'application/json' }, ...bad400(['model']) }],
    ['a JSON array as body', { ...check([{ user_id: USER, model: 'gpt-4o' }]), ...bad400(['body']) }],
    ['__proto__ in the body', { method: 'POST', path: '/budget/check', as: 'service', raw: `{"user_id":"${USER}","model":"gpt-4o","__proto__":{"admin":true}}`, headers: { 'content-type': 'application/json' }, ...bad400(['__proto__']) }],

    // POST /usage
    ['an unknown event field', { ...usage({ ...event, spent: 1 }), ...bad400(['spent']) }],
    ['a Mongo operator as user_id', { ...usage({ ...event, user_id: { $gt: '' } }), ...bad400(['user_id']) }],
    ['a Mongo operator as idempotency_key', { ...usage({ ...event, idempotency_key: { $ne: null } }), ...bad400(['idempotency_key']) }],
    ['an operator-like model', { ...usage({ ...event, model: '$where' }), ...bad400(['model']) }],
    ['a negative cost', { ...usage({ ...event, cost_usd: -0.01 }), ...bad400(['cost_usd']) }],
    ['a cost as a string', { ...usage({ ...event, cost_usd: '1.5' }), ...bad400(['cost_usd']) }],
    ['a cost over $100,000', { ...usage({ ...event, cost_usd: 100_000.01 }), ...bad400(['cost_usd']) }],
    ['an infinite cost (1e400)', { method: 'POST', path: '/usage', as: 'service', raw: `{"user_id":"${USER}","idempotency_key":"inf","model":"gpt-4o","cost_usd":1e400}`, headers: { 'content-type': 'application/json' }, ...bad400(['cost_usd']) }],
    ['fractional tokens', { ...usage({ ...event, input_tokens: 1.5 }), ...bad400(['input_tokens']) }],
    ['negative tokens', { ...usage({ ...event, output_tokens: -1 }), ...bad400(['output_tokens']) }],
    ['a timestamp in the future', { ...usage({ ...event, timestamp: '2025-06-11T12:00:00Z' }), ...bad400(['timestamp']) }],
    ['a timestamp that is not ISO', { ...usage({ ...event, timestamp: 'yesterday' }), ...bad400(['timestamp']) }],
    ['a timestamp without a zone', { ...usage({ ...event, timestamp: '2025-06-10T10:00:00' }), ...bad400(['timestamp']) }],
    ['no idempotency_key', { ...usage({ user_id: USER, model: 'gpt-4o', cost_usd: 1 }), ...bad400(['idempotency_key']) }],
    ['an idempotency_key with spaces', { ...usage({ ...event, idempotency_key: 'a b' }), ...bad400(['idempotency_key']) }],
    ['a provider with "$"', { ...usage({ ...event, provider: '$openai' }), ...bad400(['provider']) }],
    ['an empty batch', { ...usage({ events: [] }), ...bad400(['events']) }],
    ['a batch of 501', { ...usage({ events: Array.from({ length: 501 }, (_, i) => ({ ...event, idempotency_key: `b${i}` })) }), ...bad400(['events']) }],
    ['events that are not a list', { ...usage({ events: { 0: event } }), ...bad400(['events']) }],
    ['a batch whose 4th event is bad', { ...usage({ events: [0, 1, 2, 3, 4].map((i) => ({ ...event, idempotency_key: `batch-${i}`, cost_usd: i === 3 ? -5 : 1 })) }), ...bad400(['events.3.cost_usd']) }],
    ['a batch with a future event', { ...usage({ events: [{ ...event, idempotency_key: 'f1' }, { ...event, idempotency_key: 'f2', timestamp: '2026-01-01T00:00:00Z' }] }), ...bad400(['events.1.timestamp']) }],
    ['a batch with an unknown model and no cost', { ...usage({ events: [{ ...event, idempotency_key: 'm1' }, { user_id: USER, idempotency_key: 'm2', model: 'mystery-model-9' }] }), status: 422, code: 'unknown_model' }],
    ['one unknown model without cost', { ...usage({ user_id: USER, idempotency_key: 'm3', model: 'acme/mystery', input_tokens: 10 }), status: 422, code: 'unknown_model' }],
    ['a user token recording for someone else', { method: 'POST', path: '/usage', as: 'user', body: { ...event, user_id: NO_RIGHTS }, status: 403, code: 'forbidden' }],
    ['a user token batch with one event of someone else', { method: 'POST', path: '/usage', as: 'user', body: { events: [{ ...event, idempotency_key: 'own' }, { ...event, idempotency_key: 'other', user_id: NO_RIGHTS }] }, status: 403, code: 'forbidden' }],
    ['a service event without user_id', { ...usage({ idempotency_key: 'x', model: 'gpt-4o', cost_usd: 1 }), ...bad400(['user_id']) }],

    // POST /budget/check
    ['a negative estimate', { ...check({ user_id: USER, model: 'gpt-4o', estimated_cost_usd: -1 }), ...bad400(['estimated_cost_usd']) }],
    ['an estimate as text', { ...check({ user_id: USER, model: 'gpt-4o', estimated_cost_usd: 'NaN' }), ...bad400(['estimated_cost_usd']) }],
    ['an unknown check field', { ...check({ user_id: USER, model: 'gpt-4o', force: true }), ...bad400(['force']) }],
    ['a check without model', { ...check({ user_id: USER }), ...bad400(['model']) }],
    ['a user token checking someone else', { method: 'POST', path: '/budget/check', as: 'user', body: { user_id: NO_RIGHTS, model: 'gpt-4o' }, status: 403, code: 'forbidden' }],

    // Query strings
    ['an operator as ?user_id=', { method: 'GET', path: '/budget/status?user_id=$gt', as: 'admin', ...bad400(['user_id']) }],
    ['?user_id[$gt]=', { method: 'GET', path: '/budget/status?user_id[$gt]=', as: 'admin', ...bad400(['user_id[$gt]']) }],
    ['?user_id= twice', { method: 'GET', path: `/budget/status?user_id=${USER}&user_id=${NO_RIGHTS}`, as: 'admin', ...bad400(['user_id']) }],
    ['an unknown query parameter', { method: 'GET', path: `/budget/status?user_id=${USER}&verbose=1`, as: 'admin', ...bad400(['verbose']) }],
    ['a user token naming someone else', { method: 'GET', path: `/budget/settings?user_id=${NO_RIGHTS}`, as: 'user', status: 403, code: 'forbidden' }],
    ['a service token without user_id', { method: 'GET', path: '/budget/history', as: 'service', ...bad400(['user_id']) }],
    ['range=90d', { method: 'GET', path: `/budget/usage/breakdown?user_id=${USER}&range=90d`, as: 'service', ...bad400(['range']) }],
    ['limit=0', { method: 'GET', path: `/budget/history?user_id=${USER}&limit=0`, as: 'service', ...bad400(['limit']) }],
    ['limit=abc', { method: 'GET', path: `/budget/history?user_id=${USER}&limit=abc`, as: 'service', ...bad400(['limit']) }],
    ['limit=101', { method: 'GET', path: `/budget/history?user_id=${USER}&limit=101`, as: 'service', ...bad400(['limit']) }],
    ['a made-up history cursor', { method: 'GET', path: `/budget/history?user_id=${USER}&cursor=zzz`, as: 'service', ...bad400(['cursor']) }],
    ['level=purple', { method: 'GET', path: '/budget/admin/users?level=purple', as: 'admin', ...bad400(['level']) }],
    ['sort=age', { method: 'GET', path: '/budget/admin/users?sort=age', as: 'admin', ...bad400(['sort']) }],
    ['a cursor with odd characters', { method: 'GET', path: '/budget/admin/users?cursor=%21%21', as: 'admin', ...bad400(['cursor']) }],
    ['a made-up users cursor', { method: 'GET', path: '/budget/admin/users?cursor=AAAA', as: 'admin', ...bad400(['cursor']) }],
    ['a hidden budget to its owner', { method: 'GET', path: '/budget/usage/breakdown', as: 'hidden', status: 403, code: 'budget_hidden' }],

    // PUT /budget/settings
    ['a limit over $10,000', { method: 'PUT', path: '/budget/settings', as: 'user', body: { monthly_limit_usd: 10_000.01 }, ...bad400(['monthly_limit_usd']) }],
    ['a negative limit', { method: 'PUT', path: '/budget/settings', as: 'user', body: { monthly_limit_usd: -1 }, ...bad400(['monthly_limit_usd']) }],
    ['a limit as a string', { method: 'PUT', path: '/budget/settings', as: 'user', body: { monthly_limit_usd: '50' }, ...bad400(['monthly_limit_usd']) }],
    ['a user changing another setting', { method: 'PUT', path: '/budget/settings', as: 'user', body: { monthly_limit_usd: 20, period_type: 'daily' }, ...bad400(['period_type']) }],
    ['a user without permission', { method: 'PUT', path: '/budget/settings', as: 'noRights', body: { monthly_limit_usd: 20 }, status: 403, code: 'forbidden' }],
    ['a service token changing a limit', { method: 'PUT', path: '/budget/settings', as: 'service', body: { user_id: USER, monthly_limit_usd: 20 }, status: 403, code: 'forbidden' }],
    ['different user_id in query and body', { method: 'PUT', path: `/budget/settings?user_id=${USER}`, as: 'admin', body: { user_id: NO_RIGHTS, monthly_limit_usd: 20 }, ...bad400(['user_id']) }],

    // PUT /budget/admin/configure
    ['configure without target_user_id', { method: 'PUT', path: '/budget/admin/configure', as: 'admin', body: { monthly_limit_usd: 10 }, ...bad400(['target_user_id']) }],
    ['thresholds out of order', { ...configure({ thresholds: { yellow: 70, orange: 40, red: 90 } }), ...bad400(['thresholds.orange']) }],
    ['a threshold of 0', { ...configure({ thresholds: { yellow: 0, orange: 40, red: 90 } }), ...bad400(['thresholds.yellow']) }],
    ['a threshold missing', { ...configure({ thresholds: { yellow: 10, orange: 40 } }), ...bad400(['thresholds.red']) }],
    ['an extra threshold', { ...configure({ thresholds: { yellow: 10, orange: 40, red: 90, purple: 95 } }), ...bad400(['thresholds.purple']) }],
    ['an unknown time zone', { ...configure({ timezone: 'Mars/Olympus' }), ...bad400(['timezone']) }],
    ['February 30th as anchor', { ...configure({ period_anchor: '2025-02-30' }), ...bad400(['period_anchor']) }],
    ['an anchor that is no date', { ...configure({ period_anchor: 'next monday' }), ...bad400(['period_anchor']) }],
    ['period_type yearly', { ...configure({ period_type: 'yearly' }), ...bad400(['period_type']) }],
    ['custom_period_days 0', { ...configure({ custom_period_days: 0 }), ...bad400(['custom_period_days']) }],
    ['custom_period_days 367', { ...configure({ custom_period_days: 367 }), ...bad400(['custom_period_days']) }],
    ['custom_period_days 1.5', { ...configure({ custom_period_days: 1.5 }), ...bad400(['custom_period_days']) }],
    ['admin notes over 2,000 characters', { ...configure({ admin_notes: 'n'.repeat(2001) }), ...bad400(['admin_notes']) }],
    ['role root', { ...configure({ role: 'root' }), ...bad400(['role']) }],
    ['a path as target_user_id', { ...configure({ target_user_id: '../etc' }), ...bad400(['target_user_id']) }],
    ['an invalid email', { ...configure({ email: 'not-an-email' }), ...bad400(['email']) }],
    ['a null limit', { ...configure({ monthly_limit_usd: null }), ...bad400(['monthly_limit_usd']) }],
    ['"yes" as a boolean', { ...configure({ enforce_budget: 'yes' }), ...bad400(['enforce_budget']) }],
    ['spent as a setting', { ...configure({ spent_usd: 0 }), ...bad400(['spent_usd']) }],
    ['an empty fallback model', { ...configure({ fallback_model: '' }), ...bad400(['fallback_model']) }],
    ['a limit ceiling over $10,000', { ...configure({ limit_ceiling_usd: 20_000 }), ...bad400(['limit_ceiling_usd']) }],
    ['configure with a service token', { ...configure({ monthly_limit_usd: 10 }), as: 'service', status: 403, code: 'admin_token_required' }],
    ['configure with a user token, even for oneself', { ...configure({ monthly_limit_usd: 10 }), as: 'user', status: 403, code: 'admin_token_required' }],

    // Resets
    ['a reset without reason', { method: 'POST', path: '/budget/reset', as: 'admin', body: { user_id: USER }, ...bad400(['reason']) }],
    ['a two-letter reason', { method: 'POST', path: '/budget/reset', as: 'admin', body: { user_id: USER, reason: 'ab' }, ...bad400(['reason']) }],
    ['a reason that is not text', { method: 'POST', path: '/budget/reset', as: 'admin', body: { user_id: USER, reason: { $ne: '' } }, ...bad400(['reason']) }],
    ['a reset without permission', { method: 'POST', path: '/budget/reset', as: 'noRights', body: { reason: 'please reset me' }, status: 403, code: 'forbidden' }],
    ['an operator in the reset path', { method: 'POST', path: '/budget/admin/reset/%24gt', as: 'admin', body: { reason: 'valid reason' }, ...bad400(['user_id']) }],
    ['an admin reset without reason', { method: 'POST', path: `/budget/admin/reset/${USER}`, as: 'admin', body: {}, ...bad400(['reason']) }],
    ['an admin reset by a service token', { method: 'POST', path: `/budget/admin/reset/${USER}`, as: 'service', body: { reason: 'valid reason' }, status: 403, code: 'admin_token_required' }],

    // Tokens
    ['a token of kind root', { method: 'POST', path: '/admin/tokens', as: 'admin', body: { kind: 'root' }, ...bad400(['kind']) }],
    ['a user token without user_id', { method: 'POST', path: '/admin/tokens', as: 'admin', body: { kind: 'user' }, ...bad400(['user_id']) }],
    ['a service token with user_id', { method: 'POST', path: '/admin/tokens', as: 'admin', body: { kind: 'service', user_id: USER }, ...bad400(['user_id']) }],
    ['a token name over 100 characters', { method: 'POST', path: '/admin/tokens', as: 'admin', body: { kind: 'service', name: 'n'.repeat(101) }, ...bad400(['name']) }],
    ['a token id that is no id', { method: 'DELETE', path: '/admin/tokens/xyz', as: 'admin', ...bad400(['id']) }],
    ['an unknown token id', { method: 'DELETE', path: '/admin/tokens/0123456789abcdef01234567', as: 'admin', status: 404, code: 'not_found' }],
    ['include_revoked=yes', { method: 'GET', path: '/admin/tokens?include_revoked=yes', as: 'admin', ...bad400(['include_revoked']) }],
    ['a user token listing tokens', { method: 'GET', path: '/admin/tokens', as: 'user', status: 403, code: 'admin_token_required' }],

    // Routing
    ['an unknown route', { method: 'GET', path: '/budget/everything', as: 'admin', status: 404, code: 'not_found' }],
    ['DELETE on the status', { method: 'DELETE', path: '/budget/status', as: 'admin', status: 405, code: 'method_not_allowed' }],
    ['PATCH on the settings', { method: 'PATCH', path: '/budget/settings', as: 'admin', body: { monthly_limit_usd: 1 }, status: 405, code: 'method_not_allowed' }],
];

beforeAll(async () => {
  api = await startApi({ now: NOW });
  token.service = (await api.token('service')).token;
  token.user = (await api.token('user', USER)).token;
  token.noRights = (await api.token('user', NO_RIGHTS)).token;
  token.hidden = (await api.token('user', HIDDEN)).token;
  await api.configure(USER, { user_can_modify_limit: true, user_can_reset_budget: true, monthly_limit_usd: 40 });
  await api.configure(NO_RIGHTS, {});
  await api.configure(HIDDEN, { budget_visible_to_user: false });
  // Some history, so "nothing written" is measured against a database with data in every collection.
  const recorded = await api.call('POST', '/usage', {
    token: token.service,
    body: { events: [{ ...event, idempotency_key: 'seed-1' }, { ...event, idempotency_key: 'seed-2', model: 'claude-sonnet-4-5', cost_usd: undefined, input_tokens: 1000 }] },
  });
  expect(recorded.status).toBe(201);
  const reset = await api.call('POST', `/budget/admin/reset/${NO_RIGHTS}`, { token: ADMIN_TOKEN, body: { reason: 'seed a reset entry' } });
  expect(reset.status).toBe(200);
});
afterAll(async () => {
  await api.stop();
});

describe('bad requests', () => {
  it('the corpus holds at least 60 requests, each named once', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CORPUS.map(([name]) => name)).size).toBe(CORPUS.length);
  });

  it.each(CORPUS)('%s → its 4xx in the error shape, and nothing written', async (_name, request) => {
    const before = await api.snapshot();
    const reply = await api.call(request.method, request.path, {
      token: request.as === undefined ? undefined : token[request.as],
      body: request.body,
      ...(request.raw !== undefined ? { raw: request.raw } : {}),
      headers: request.headers,
    });
    expect(reply.status, reply.text).toBe(request.status);
    const body = errorShape.parse(reply.json);
    expect(body.error.code).toBe(request.code);
    expect(reply.text).not.toMatch(/\bat \/|node_modules|\.ts:\d+/);
    if (request.fields) {
      expect(body.error.details).toBeTypeOf('object');
      expect(Object.keys(body.error.details as object)).toEqual(expect.arrayContaining(request.fields));
    }
    expect(await api.snapshot()).toEqual(before);
  });
});
