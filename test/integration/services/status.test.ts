import { beforeAll, describe, expect, it } from 'vitest';
import { budgetStatus } from '../../../src/domain/status.js';
import { ADMIN_ID, USD, useServices, type ServiceFixture } from '../../helpers/services.js';

let f: ServiceFixture;
beforeAll(async () => {
  f = await useServices('2025-06-01T00:00:00Z');
});

describe('status', () => {
  it("reproduces the user's example through the services: configure, record 23.45, half way", async () => {
    const admin = { kind: 'admin', id: 'test' } as const;
    await f.services.settings.update(admin, 'user123', {
      limitMicros: 50 * USD,
      periodType: 'custom',
      periodAnchor: '2025-06-01',
      customPeriodDays: 30,
    });
    await f.services.usage.record({ userId: 'user123', idempotencyKey: 'k1', model: 'openai/gpt-4o', costMicros: 23_450_000 });
    f.clock.set('2025-06-16T00:00:00Z');

    const status = await f.services.status.status({ kind: 'user', userId: 'user123' }, 'user123');
    expect(status).toMatchObject({
      userId: 'user123',
      limitMicros: 50_000_000,
      spentMicros: 23_450_000,
      remainingMicros: 26_550_000,
      percentUsed: 46.9,
      alertLevel: 'yellow',
      daysRemaining: 15,
      projectedMicros: 46_900_000,
      isOverBudget: false,
      canView: true,
      canModifyLimit: false,
      canReset: false,
    });
    expect(status.periodStart.toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect(status.periodEnd.toISOString()).toBe('2025-07-01T00:00:00.000Z');
  });

  it('creates a new user once with defaults, however many requests race', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () => f.services.status.status({ kind: 'service', id: 'gw' }, 'UNEW0001')),
    );
    expect(new Set(results.map((r) => r.limitMicros))).toEqual(new Set([50 * USD]));
    expect(await f.db.connection.collection('budgets').countDocuments({ _id: 'UNEW0001' } as never)).toBe(1);
  });

  it('gives configured admins every permission from the start', async () => {
    const status = await f.services.status.status({ kind: 'user', userId: ADMIN_ID }, ADMIN_ID);
    expect([status.canView, status.canModifyLimit, status.canReset]).toEqual([true, true, true]);
  });

  it('refuses a hidden budget to its owner, and another user, but not to a service', async () => {
    await f.services.settings.update({ kind: 'admin', id: 'test' }, 'UHIDDEN1', { budgetVisibleToUser: false });
    await expect(f.services.status.status({ kind: 'user', userId: 'UHIDDEN1' }, 'UHIDDEN1')).rejects.toMatchObject({ code: 'budget_hidden' });
    await expect(f.services.status.status({ kind: 'user', userId: 'UOTHER01' }, 'UHIDDEN1')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(f.services.status.status({ kind: 'service', id: 'gw' }, 'UHIDDEN1')).resolves.toMatchObject({ canView: false });
  });

  it('agrees with the pure status function', async () => {
    const budget = await f.services.loader.load('user123');
    const status = await f.services.status.status({ kind: 'admin', id: 'x' }, 'user123');
    expect(status).toEqual(budgetStatus(budget, false, f.clock.now()));
  });
});
