import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../../src/domain/errors.js';
import { ADMIN_ID, USD, useServices, type ServiceFixture } from '../../helpers/services.js';

let f: ServiceFixture;
const admin = { kind: 'admin', id: 'key-1' } as const;
beforeAll(async () => {
  f = await useServices('2025-06-10T12:00:00Z');
});

describe('settings', () => {
  it('lets an admin change everything and writes one audit entry with before and after', async () => {
    const after = await f.services.settings.update(admin, 'UUSER001', {
      limitMicros: 100 * USD,
      budgetVisibleToUser: true,
      userCanModifyLimit: true,
      userCanResetBudget: false,
      adminNotes: 'Power user - increased limit',
    });
    expect(after).toMatchObject({ limitMicros: 100 * USD, userCanModifyLimit: true, adminNotes: 'Power user - increased limit' });
    const { items } = await f.services.history.settingsChanges(admin, 'UUSER001');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ actorKind: 'admin', actorId: 'key-1' });
    expect(items[0]?.changes).toEqual([
      { field: 'limitMicros', before: 50 * USD, after: 100 * USD },
      { field: 'userCanModifyLimit', before: false, after: true },
      { field: 'adminNotes', before: '', after: 'Power user - increased limit' },
    ]);
  });

  it("keeps admin notes to admins: the user sees them empty, and not in the audit log", async () => {
    const me = { kind: 'user', userId: 'UUSER001' } as const;
    expect((await f.services.settings.get(me, 'UUSER001')).adminNotes).toBe('');
    expect((await f.services.settings.get(admin, 'UUSER001')).adminNotes).toBe('Power user - increased limit');
    const mine = await f.services.history.settingsChanges(me, 'UUSER001');
    expect(mine.items[0]?.changes.map((c) => c.field)).toEqual(['limitMicros', 'userCanModifyLimit']);
  });

  it('writes no audit entry when nothing changes', async () => {
    await f.services.settings.update(admin, 'UUSER001', { limitMicros: 100 * USD });
    expect((await f.services.history.settingsChanges(admin, 'UUSER001')).items).toHaveLength(1);
  });

  it('lets a permitted user change only their own limit, and not above the ceiling', async () => {
    const me = { kind: 'user', userId: 'UUSER001' } as const;
    await expect(f.services.settings.update(me, 'UUSER001', { limitMicros: 120 * USD })).resolves.toMatchObject({ limitMicros: 120 * USD });
    await expect(f.services.settings.update(me, 'UUSER001', { thresholds: { yellow: 50, orange: 70, red: 90 } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.settings.update(me, 'UUSER002', { limitMicros: USD })).rejects.toBeInstanceOf(ForbiddenError);
    await f.services.settings.update(admin, 'UUSER001', { limitCeilingMicros: 200 * USD });
    await expect(f.services.settings.update(me, 'UUSER001', { limitMicros: 250 * USD })).rejects.toBeInstanceOf(ValidationError);
    const audit = await f.services.history.settingsChanges(admin, 'UUSER001');
    expect(audit.items[audit.items.length - 2]).toMatchObject({ actorKind: 'user', actorId: 'UUSER001', changes: [{ field: 'limitMicros', before: 100 * USD, after: 120 * USD }] });
  });

  it('refuses limit changes to users without the permission, and all changes to services', async () => {
    await expect(f.services.settings.update({ kind: 'user', userId: 'UUSER003' }, 'UUSER003', { limitMicros: USD })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.settings.update({ kind: 'service', id: 'gw' }, 'UUSER003', { limitMicros: USD })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('makes a user with the admin role an admin for other users', async () => {
    await f.services.settings.update({ kind: 'user', userId: ADMIN_ID }, 'UBOSS001', { role: 'admin' });
    await expect(f.services.settings.update({ kind: 'user', userId: 'UBOSS001' }, 'UUSER003', { limitMicros: 75 * USD })).resolves.toMatchObject({ limitMicros: 75 * USD });
  });

  it('moves the current period when the period rule changes, keeping the spend', async () => {
    await f.services.usage.record({ userId: 'UUSER004', idempotencyKey: 'p', model: 'gpt-4o', costMicros: 3 * USD });
    const after = await f.services.settings.update(admin, 'UUSER004', { periodType: 'weekly', timezone: 'Europe/Berlin' });
    expect(after.periodStart.toISOString()).toBe('2025-06-08T22:00:00.000Z');
    expect(after.periodEnd.toISOString()).toBe('2025-06-15T22:00:00.000Z');
    expect(after).toMatchObject({ spentMicros: 3 * USD, timezoneSource: 'admin' });
  });

  it('alerts at once when a lower limit puts the spend past a level', async () => {
    await f.services.usage.record({ userId: 'UUSER005', idempotencyKey: 'x', model: 'gpt-4o', costMicros: 10 * USD });
    expect(await f.store.outbox.list({ userId: 'UUSER005' })).toHaveLength(0);
    await f.services.settings.update(admin, 'UUSER005', { limitMicros: 20 * USD });
    expect((await f.store.outbox.list({ userId: 'UUSER005' })).map((n) => n.level)).toEqual(['yellow']);
  });

  it('loses no change when two admins save at once', async () => {
    await Promise.all([
      f.services.settings.update(admin, 'UUSER006', { limitMicros: 11 * USD }),
      f.services.settings.update(admin, 'UUSER006', { adminNotes: 'both' }),
      f.services.settings.update(admin, 'UUSER006', { enforceBudget: false }),
    ]);
    expect(await f.store.budgets.find('UUSER006')).toMatchObject({ limitMicros: 11 * USD, adminNotes: 'both', enforceBudget: false });
    expect((await f.services.history.settingsChanges(admin, 'UUSER006')).items).toHaveLength(3);
  });
});

describe('budget check', () => {
  const gw = { kind: 'service', id: 'gw' } as const;
  it('allows, falls back or blocks as the settings say', async () => {
    await f.services.settings.update(admin, 'UCHECK01', { limitMicros: 10 * USD, autoFallback: false });
    await f.services.usage.record({ userId: 'UCHECK01', idempotencyKey: 'c1', model: 'gpt-4o', costMicros: 9 * USD });
    await expect(f.services.checker.check(gw, { userId: 'UCHECK01', model: 'gpt-4o', estimatedCostMicros: 500_000 })).resolves.toEqual({
      action: 'allow',
      fallbackModel: null,
      remainingMicros: USD,
      alertLevel: 'red',
    });
    await expect(f.services.checker.check(gw, { userId: 'UCHECK01', model: 'gpt-4o', estimatedCostMicros: 2 * USD })).resolves.toMatchObject({ action: 'block' });
    await f.services.settings.update(admin, 'UCHECK01', { autoFallback: true });
    await expect(f.services.checker.check(gw, { userId: 'UCHECK01', model: 'gpt-4o', estimatedCostMicros: 2 * USD })).resolves.toMatchObject({
      action: 'fallback',
      fallbackModel: 'ollama/llama3.1',
    });
    await expect(f.services.checker.check(gw, { userId: 'UCHECK01', model: 'ollama/llama3.1', estimatedCostMicros: 2 * USD })).resolves.toMatchObject({ action: 'allow' });
    await expect(f.services.checker.check(gw, { userId: 'UCHECK01', model: 'llama3.2', estimatedCostMicros: 2 * USD })).resolves.toMatchObject({ action: 'allow' });
    await f.services.settings.update(admin, 'UCHECK01', { enforceBudget: false });
    await expect(f.services.checker.check(gw, { userId: 'UCHECK01', model: 'gpt-4o', estimatedCostMicros: 100 * USD })).resolves.toMatchObject({ action: 'allow' });
  });
});

describe('usage breakdown', () => {
  it('sums by provider and model, fills the daily series and lists the top operations', async () => {
    const user = 'UBREAK01';
    const calls: [string, string, number, string][] = [
      ['openai/gpt-4o', 'chat', 2 * USD, '2025-06-08T10:00:00Z'],
      ['openai/gpt-4o-mini', 'chat', 100_000, '2025-06-08T11:00:00Z'],
      ['anthropic/claude-sonnet-4-5', 'code-review', 5 * USD, '2025-06-09T09:00:00Z'],
      ['anthropic/claude-sonnet-4-5', 'chat', 1 * USD, '2025-06-10T09:00:00Z'],
      ['google/gemini-2.5-pro', 'summarize', 3 * USD, '2025-06-10T10:00:00Z'],
      ['ollama/llama3.1', 'chat', 0, '2025-06-10T11:00:00Z'],
      ['openai/gpt-4o', 'chat', 4 * USD, '2025-06-10T11:30:00Z'],
    ];
    f.clock.set('2025-06-10T12:00:00Z');
    for (const [i, [model, operation, cost, at]] of calls.entries()) {
      await f.services.usage.record({ userId: user, idempotencyKey: `b${i}`, model, operation, costMicros: cost, occurredAt: new Date(at) });
    }
    const b = await f.services.breakdown.breakdown({ kind: 'user', userId: user }, user, '7d');
    expect(b.totalMicros).toBe(15_100_000);
    expect(b.byProvider.map((g) => [g.key, g.costMicros, g.count])).toEqual([
      ['openai', 6_100_000, 3],
      ['anthropic', 6 * USD, 2],
      ['google', 3 * USD, 1],
      ['ollama', 0, 1],
    ]);
    expect(b.byModel.map((g) => [g.key, g.provider, g.costMicros])).toEqual([
      ['claude-sonnet-4-5', 'anthropic', 6 * USD],
      ['gpt-4o', 'openai', 6 * USD],
      ['gemini-2.5-pro', 'google', 3 * USD],
      ['gpt-4o-mini', 'openai', 100_000],
      ['llama3.1', 'ollama', 0],
    ]);
    expect(b.daily.map((d) => [d.day, d.costMicros])).toEqual([
      ['2025-06-04', 0],
      ['2025-06-05', 0],
      ['2025-06-06', 0],
      ['2025-06-07', 0],
      ['2025-06-08', 2_100_000],
      ['2025-06-09', 5 * USD],
      ['2025-06-10', 8 * USD],
    ]);
    expect(b.topOperations.map((e) => [e.model, e.operation, e.costMicros])).toEqual([
      ['claude-sonnet-4-5', 'code-review', 5 * USD],
      ['gpt-4o', 'chat', 4 * USD],
      ['gemini-2.5-pro', 'summarize', 3 * USD],
      ['gpt-4o', 'chat', 2 * USD],
      ['claude-sonnet-4-5', 'chat', 1 * USD],
    ]);
    const current = await f.services.breakdown.breakdown({ kind: 'user', userId: user }, user, 'current');
    expect(current.totalMicros).toBe(15_100_000);
    expect(current.daily[0]?.day).toBe('2025-06-01');
    expect(current.daily).toHaveLength(10);
  });
});
