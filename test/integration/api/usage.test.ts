// POST /usage and POST /budget/check over real HTTP: batches counted exactly once, per-event results,
// ledgers for late events, and the three answers of the check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ADMIN_TOKEN, errorCode, startApi, type ApiHarness } from './harness.js';

const NOW = '2025-06-20T12:00:00Z';
const USERS = ['UBATCH01', 'UBATCH02', 'UBATCH03'];

const usageReply = z.strictObject({
  recorded: z.number(),
  duplicates: z.number(),
  results: z.array(
    z.strictObject({
      idempotency_key: z.string(),
      user_id: z.string(),
      event_id: z.string(),
      duplicate: z.boolean(),
      cost_usd: z.number(),
      counted_in: z.enum(['current', 'closed', 'none']),
    }),
  ),
});

let api: ApiHarness;
let service: string;

beforeAll(async () => {
  api = await startApi({ now: NOW });
  service = (await api.token('service')).token;
});
afterAll(async () => {
  await api.stop();
});

/** Everything a user can see of their totals: status, breakdown (this period and 30 days), history. */
async function totals(userId: string): Promise<unknown[]> {
  const paths = [
    `/budget/status?user_id=${userId}`,
    `/budget/usage/breakdown?user_id=${userId}`,
    `/budget/usage/breakdown?user_id=${userId}&range=30d`,
    `/budget/history?user_id=${userId}`,
  ];
  return Promise.all(paths.map(async (path) => (await api.call('GET', path, { token: ADMIN_TOKEN })).json));
}

describe('POST /usage', () => {
  it('the same batch posted twice gives the same totals, and the second answer is all duplicates', async () => {
    const models = ['gpt-4o', 'anthropic/claude-sonnet-4-5', 'ollama/llama3.1', 'gemini-2.5-flash'];
    const events = Array.from({ length: 40 }, (_, i) => ({
      user_id: USERS[i % USERS.length],
      idempotency_key: `batch-twice-${i}`,
      model: models[i % models.length],
      operation: i % 5 === 0 ? 'embedding' : 'chat',
      input_tokens: 1000 + i * 37,
      output_tokens: 200 + i,
      // Half report their cost, half are priced from the table.
      ...(i % 2 === 0 ? { cost_usd: Number((0.01 * (i + 1)).toFixed(2)) } : {}),
      timestamp: new Date(Date.parse(NOW) - (40 - i) * 3_600_000).toISOString(),
    }));

    const first = await api.call('POST', '/usage', { token: service, body: { events } });
    expect(first.status, first.text).toBe(201);
    const firstReply = usageReply.parse(first.json);
    expect(firstReply.recorded).toBe(40);
    expect(firstReply.results.map((r) => r.idempotency_key)).toEqual(events.map((e) => e.idempotency_key));
    const afterFirst = await Promise.all(USERS.map(totals));
    const snapshot = await api.snapshot();

    const second = await api.call('POST', '/usage', { token: service, body: { events } });
    expect(second.status).toBe(200);
    const secondReply = usageReply.parse(second.json);
    expect(secondReply).toMatchObject({ recorded: 0, duplicates: 40 });
    expect(secondReply.results.every((r) => r.duplicate)).toBe(true);
    // The first recording is what a duplicate answers with.
    expect(secondReply.results.map(({ duplicate: _d, ...rest }) => rest)).toEqual(firstReply.results.map(({ duplicate: _d, ...rest }) => rest));
    expect(await Promise.all(USERS.map(totals))).toEqual(afterFirst);
    expect(await api.snapshot()).toEqual(snapshot);

    // The totals are the sum of the events.
    const spent = USERS.map((u) => firstReply.results.filter((r) => r.user_id === u).reduce((sum, r) => sum + r.cost_usd, 0));
    for (const [i, user] of USERS.entries()) {
      const status = afterFirst[i]?.[0];
      expect(status).toMatchObject({ user_id: user, used_budget: Math.round((spent[i] ?? 0) * 100) / 100 });
    }
  });

  it('a batch with some new events answers 201 and counts only the new ones', async () => {
    const events = [
      { user_id: 'UMIXED01', idempotency_key: 'mixed-1', model: 'gpt-4o', cost_usd: 1 },
      { user_id: 'UMIXED01', idempotency_key: 'mixed-2', model: 'gpt-4o', cost_usd: 2 },
    ];
    expect((await api.call('POST', '/usage', { token: service, body: { events: [events[0]] } })).status).toBe(201);
    const both = await api.call('POST', '/usage', { token: service, body: { events } });
    expect(both.status).toBe(201);
    expect(usageReply.parse(both.json)).toMatchObject({ recorded: 1, duplicates: 1, results: [{ duplicate: true }, { duplicate: false }] });
    expect((await api.call('GET', '/budget/status?user_id=UMIXED01', { token: service })).json).toMatchObject({ used_budget: 3 });
  });

  it('a key repeated inside one batch is counted once', async () => {
    const event = { user_id: 'UREPEAT1', idempotency_key: 'twice-in-one', model: 'gpt-4o', cost_usd: 4.5 };
    const res = await api.call('POST', '/usage', { token: service, body: { events: [event, event] } });
    expect(usageReply.parse(res.json)).toMatchObject({ recorded: 1, duplicates: 1 });
    expect((await api.call('GET', '/budget/status?user_id=UREPEAT1', { token: service })).json).toMatchObject({ used_budget: 4.5 });
  });

  it('one event answers with its cost to 6 decimals, priced from the table when no cost is given', async () => {
    const reported = await api.call('POST', '/usage', {
      token: service,
      body: { user_id: 'USINGLE1', idempotency_key: 'tiny', model: 'gpt-4o', cost_usd: 0.000123 },
    });
    expect(usageReply.parse(reported.json).results[0]).toMatchObject({ cost_usd: 0.000123, counted_in: 'current', duplicate: false });
    // gpt-4o: $2.50 per million input tokens, $10 per million output tokens.
    const priced = await api.call('POST', '/usage', {
      token: service,
      body: { user_id: 'USINGLE1', idempotency_key: 'priced', model: 'openai/gpt-4o', input_tokens: 1234, output_tokens: 567 },
    });
    expect(usageReply.parse(priced.json).results[0]?.cost_usd).toBe(0.008755);
    const local = await api.call('POST', '/usage', {
      token: service,
      body: { user_id: 'USINGLE1', idempotency_key: 'local', model: 'ollama/some-new-local-model', input_tokens: 10_000 },
    });
    expect(usageReply.parse(local.json).results[0]?.cost_usd).toBe(0);
  });

  it('a late event goes to the closed period that contained its time, and a very old one to none', async () => {
    await api.configure('ULATE001', { timezone: 'UTC' });
    const reset = await api.call('POST', '/budget/admin/reset/ULATE001', { token: ADMIN_TOKEN, body: { reason: 'start over' } });
    expect(reset.status).toBe(200);
    const res = await api.call('POST', '/usage', {
      token: service,
      body: {
        events: [
          { user_id: 'ULATE001', idempotency_key: 'late', model: 'gpt-4o', cost_usd: 2, timestamp: '2025-06-20T11:00:00Z' },
          { user_id: 'ULATE001', idempotency_key: 'ancient', model: 'gpt-4o', cost_usd: 3, timestamp: '2020-01-01T00:00:00Z' },
          { user_id: 'ULATE001', idempotency_key: 'now', model: 'gpt-4o', cost_usd: 5 },
        ],
      },
    });
    expect(usageReply.parse(res.json).results.map((r) => r.counted_in)).toEqual(['closed', 'none', 'current']);
    expect((await api.call('GET', '/budget/status?user_id=ULATE001', { token: service })).json).toMatchObject({ used_budget: 5 });
    const history = await api.call('GET', '/budget/history?user_id=ULATE001', { token: service });
    expect(history.json).toMatchObject({ items: [{ kind: 'manual', late_spent: 2 }] });
  });

  it('a user token records its own usage, without naming itself', async () => {
    const own = await api.token('user', 'USELF001');
    const res = await api.call('POST', '/usage', { token: own.token, body: { idempotency_key: 'mine', model: 'gpt-4o', cost_usd: 1.25 } });
    expect(res.status).toBe(201);
    expect(usageReply.parse(res.json).results[0]).toMatchObject({ user_id: 'USELF001', cost_usd: 1.25 });
  });

  it('an unknown model in a batch refuses the batch with 422 and names the model', async () => {
    const res = await api.call('POST', '/usage', {
      token: service,
      body: { events: [{ user_id: 'UUNKNOWN', idempotency_key: 'u1', model: 'gpt-4o', cost_usd: 1 }, { user_id: 'UUNKNOWN', idempotency_key: 'u2', model: 'secret-model' }] },
    });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: { code: 'unknown_model', details: { model: 'secret-model' } } });
    const status = await api.call('GET', '/budget/status?user_id=UUNKNOWN', { token: service });
    expect(status.json).toMatchObject({ used_budget: 0 });
  });
});

describe('POST /budget/check', () => {
  const checkReply = z.strictObject({
    action: z.enum(['allow', 'fallback', 'block']),
    fallback_model: z.string().nullable(),
    remaining_budget: z.number(),
    alert_level: z.string(),
  });
  const checkFor = async (userId: string, body: Record<string, unknown> = {}) => {
    const res = await api.call('POST', '/budget/check', { token: service, body: { user_id: userId, model: 'gpt-4o', ...body } });
    expect(res.status, res.text).toBe(200);
    return checkReply.parse(res.json);
  };

  it('allows within budget, falls back or blocks past it, and always allows local models and unenforced budgets', async () => {
    await api.configure('UCHECK01', { monthly_limit_usd: 10, auto_fallback: true, fallback_model: 'ollama/qwen2.5' });
    expect(await checkFor('UCHECK01', { estimated_cost_usd: 2 })).toEqual({ action: 'allow', fallback_model: null, remaining_budget: 10, alert_level: 'green' });

    await api.call('POST', '/usage', { token: service, body: { user_id: 'UCHECK01', idempotency_key: 'spend', model: 'gpt-4o', cost_usd: 9.5 } });
    expect(await checkFor('UCHECK01', { estimated_cost_usd: 1 })).toEqual({ action: 'fallback', fallback_model: 'ollama/qwen2.5', remaining_budget: 0.5, alert_level: 'red' });
    expect((await checkFor('UCHECK01', { model: 'ollama/llama3.1', estimated_cost_usd: 1 })).action).toBe('allow');

    await api.configure('UCHECK01', { auto_fallback: false });
    expect(await checkFor('UCHECK01', { estimated_cost_usd: 1 })).toMatchObject({ action: 'block', fallback_model: null });
    await api.configure('UCHECK01', { enforce_budget: false });
    expect((await checkFor('UCHECK01', { estimated_cost_usd: 100 })).action).toBe('allow');
  });

  it('a user token checks its own budget only', async () => {
    const own = await api.token('user', 'UCHECK02');
    const mine = await api.call('POST', '/budget/check', { token: own.token, body: { model: 'gpt-4o' } });
    expect(mine.status).toBe(200);
    const other = await api.call('POST', '/budget/check', { token: own.token, body: { user_id: 'UCHECK01', model: 'gpt-4o' } });
    expect(other.status).toBe(403);
    expect(errorCode(other)).toBe('forbidden');
    expect(other.text).not.toContain('UCHECK01');
  });
});
