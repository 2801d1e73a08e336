// The user's own examples from SPEC section 3, over real HTTP: the configure request, the status
// response (exact fields and values) and the reset response.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startApi, type ApiHarness } from './harness.js';

let api: ApiHarness;
beforeAll(async () => {
  // Half way through a 30-day custom period that starts on 2025-06-01 (UTC): 2025-06-16T00:00Z.
  api = await startApi({ now: '2025-06-16T00:00:00Z' });
});
afterAll(async () => {
  await api.stop();
});

describe("the user's examples", () => {
  it('PUT /budget/admin/configure with the example body creates the user and sets exactly that', async () => {
    const res = await api.call('PUT', '/budget/admin/configure', {
      token: ADMIN_TOKEN,
      body: {
        target_user_id: 'user123',
        budget_visible_to_user: true,
        user_can_modify_limit: true,
        user_can_reset_budget: false,
        monthly_limit_usd: 100.0,
        admin_notes: 'Power user - increased limit',
      },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      user_id: 'user123',
      monthly_limit_usd: 100,
      budget_visible_to_user: true,
      user_can_modify_limit: true,
      user_can_reset_budget: false,
      admin_notes: 'Power user - increased limit',
      // Untouched settings keep their defaults.
      period_type: 'monthly',
      thresholds: { yellow: 40, orange: 70, red: 90 },
      enforce_budget: true,
    });
    const again = await api.call('GET', '/budget/settings?user_id=user123', { token: ADMIN_TOKEN });
    expect(again.json).toEqual(res.json);
  });

  it('GET /budget/status answers exactly the example: limit 50, spent 23.45, half way through 30 days', async () => {
    await api.configure('user123', {
      monthly_limit_usd: 50,
      period_type: 'custom',
      custom_period_days: 30,
      period_anchor: '2025-06-01',
      timezone: 'UTC',
      user_can_modify_limit: false,
      user_can_reset_budget: false,
    });
    const service = await api.token('service');
    const recorded = await api.call('POST', '/usage', {
      token: service.token,
      body: { user_id: 'user123', idempotency_key: 'example-1', provider: 'openai', model: 'gpt-4o', cost_usd: 23.45 },
    });
    expect(recorded.status).toBe(201);

    const expected = {
      user_id: 'user123',
      total_budget: 50.0,
      used_budget: 23.45,
      remaining_budget: 26.55,
      percentage_used: 46.9,
      alert_level: 'yellow',
      days_remaining_in_period: 15,
      projected_period_cost: 46.9,
      is_over_budget: false,
      can_view_budget: true,
      can_modify_limit: false,
      can_reset_budget: false,
    };
    const own = await api.token('user', 'user123');
    const asUser = await api.call('GET', '/budget/status', { token: own.token });
    expect(asUser.status).toBe(200);
    expect(asUser.json).toEqual(expected);
    // Key order as in the example, too.
    expect(Object.keys(asUser.json as object)).toEqual(Object.keys(expected));

    const asAdmin = await api.call('GET', '/budget/status?user_id=user123', { token: ADMIN_TOKEN });
    expect(asAdmin.json).toEqual(expected);
  });

  it('POST /budget/reset answers the example: new period from the reset to 00:00 a month later, previous spend', async () => {
    api.clock.set('2025-12-14T10:30:00Z');
    await api.configure('UREMY001', { monthly_limit_usd: 100, timezone: 'UTC', user_can_reset_budget: true });
    const service = await api.token('service');
    await api.call('POST', '/usage', {
      token: service.token,
      body: { user_id: 'UREMY001', idempotency_key: 'before-reset', model: 'gpt-4o', cost_usd: 45.67 },
    });
    const own = await api.token('user', 'UREMY001');

    const res = await api.call('POST', '/budget/reset', { token: own.token, body: { reason: 'Starting new project, need fresh budget' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      success: true,
      message: 'Budget reset successfully',
      new_period_start: '2025-12-14T10:30:00Z',
      new_period_end: '2026-01-14T00:00:00Z',
      previous_spent: 45.67,
    });

    const status = await api.call('GET', '/budget/status', { token: own.token });
    expect(status.json).toMatchObject({ used_budget: 0, total_budget: 100, alert_level: 'green' });
    const history = await api.call('GET', '/budget/history', { token: own.token });
    expect(history.json).toMatchObject({
      items: [
        {
          kind: 'manual',
          actor_kind: 'user',
          actor_id: 'UREMY001',
          reason: 'Starting new project, need fresh budget',
          reset_at: '2025-12-14T10:30:00Z',
          previous_spent: 45.67,
          new_period_start: '2025-12-14T10:30:00Z',
          new_period_end: '2026-01-14T00:00:00Z',
        },
      ],
      next_cursor: null,
    });
  });

  it('a period_anchor given as a date-time takes its date in the user\'s time zone', async () => {
    const res = await api.call('PUT', '/budget/admin/configure', {
      token: ADMIN_TOKEN,
      body: { target_user_id: 'UTOKYO01', timezone: 'Asia/Tokyo', period_type: 'monthly', period_anchor: '2025-05-31T20:00:00Z' },
    });
    expect(res.status).toBe(200);
    // 20:00 UTC on May 31 is 05:00 on June 1 in Tokyo.
    expect(res.json).toMatchObject({ period_anchor: '2025-06-01', timezone: 'Asia/Tokyo', period_type: 'monthly' });

    // Without a time zone in the request, the user's current one is used.
    const later = await api.call('PUT', '/budget/admin/configure', {
      token: ADMIN_TOKEN,
      body: { target_user_id: 'UTOKYO01', period_anchor: '2025-07-09T16:30:00-02:00' },
    });
    expect(later.json).toMatchObject({ period_anchor: '2025-07-10' });
  });

  it('configure accepts every setting at once', async () => {
    const res = await api.call('PUT', '/budget/admin/configure', {
      token: ADMIN_TOKEN,
      body: {
        target_user_id: 'UFULL001',
        monthly_limit_usd: 250.5,
        limit_ceiling_usd: 500,
        period_type: 'weekly',
        period_anchor: '2025-12-17',
        custom_period_days: 14,
        timezone: 'Europe/Berlin',
        thresholds: { yellow: 50, orange: 75, red: 95 },
        enforce_budget: false,
        auto_fallback: false,
        fallback_model: 'ollama/qwen2.5',
        role: 'admin',
        budget_visible_to_user: false,
        user_can_modify_limit: true,
        user_can_reset_budget: true,
        admin_notes: 'Everything',
        display_name: 'Full Settings',
        email: 'full@example.com',
      },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      user_id: 'UFULL001',
      monthly_limit_usd: 250.5,
      limit_ceiling_usd: 500,
      period_type: 'weekly',
      period_anchor: '2025-12-17',
      custom_period_days: 14,
      timezone: 'Europe/Berlin',
      thresholds: { yellow: 50, orange: 75, red: 95 },
      enforce_budget: false,
      auto_fallback: false,
      fallback_model: 'ollama/qwen2.5',
      role: 'admin',
      budget_visible_to_user: false,
      user_can_modify_limit: true,
      user_can_reset_budget: true,
      admin_notes: 'Everything',
      display_name: 'Full Settings',
      email: 'full@example.com',
      // A Wednesday anchor: weeks run Wednesday 00:00 to Wednesday 00:00, Berlin time (UTC+1 in December).
      period_start: '2025-12-09T23:00:00Z',
      period_end: '2025-12-16T23:00:00Z',
    });
    const cleared = await api.call('PUT', '/budget/admin/configure', { token: ADMIN_TOKEN, body: { target_user_id: 'UFULL001', limit_ceiling_usd: null } });
    expect(cleared.json).toMatchObject({ limit_ceiling_usd: null });
  });
});
