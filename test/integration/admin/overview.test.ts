// The overview service: totals of everyone's current period, by provider, users per level, and a
// daily series, read from budgets and the daily rollups (never the raw events).
import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../src/domain/errors.js';
import { OVERVIEW_DAYS } from '../../../src/services/overview.js';
import { USD, useServices, type ServiceFixture } from '../../helpers/services.js';

const admin = { kind: 'admin', id: 'root' } as const;
let f: ServiceFixture;

beforeAll(async () => {
  f = await useServices('2025-06-20T12:00:00Z');
  const record = (userId: string, key: string, model: string, usd: number, at: string) =>
    f.services.usage.record({ userId, idempotencyKey: key, model, costMicros: Math.round(usd * USD), occurredAt: new Date(at) });
  // Monthly periods (from June 1st): all of this is in the current period.
  await f.services.settings.update(admin, 'UOV00001', { limitMicros: 100 * USD });
  await record('UOV00001', 'a1', 'openai/gpt-4o', 10, '2025-06-18T09:00:00Z');
  await record('UOV00001', 'a2', 'anthropic/claude-sonnet-4-5', 5.5, '2025-06-19T09:00:00Z');
  await f.services.settings.update(admin, 'UOV00002', { limitMicros: 20 * USD });
  await record('UOV00002', 'b1', 'openai/gpt-5', 19, '2025-06-20T09:00:00Z');
  await f.services.settings.update(admin, 'UOV00003', { limitMicros: 10 * USD });
  await record('UOV00003', 'c1', 'google/gemini-2.5-pro', 12.25, '2025-06-20T10:00:00Z');
  // A daily budget whose period ended yesterday and nobody has asked since: it counts as a fresh
  // period (nothing spent yet today), though its rollup stays in the daily series.
  await f.services.settings.update(admin, 'UOV00004', { limitMicros: 5 * USD, periodType: 'daily' });
  f.clock.set('2025-06-19T08:00:00Z');
  await record('UOV00004', 'd1', 'openai/gpt-4o', 4, '2025-06-19T07:00:00Z');
  f.clock.set('2025-06-20T12:00:00Z');
});

describe('overview', () => {
  it('sums everyone’s current period, by provider, highest first', async () => {
    const overview = await f.services.overview.overview(admin);
    expect(overview.userCount).toBe(4);
    expect(overview.totalSpentMicros).toBe(46_750_000);
    expect(overview.totalLimitMicros).toBe(135 * USD);
    expect(overview.byProvider.map((g) => [g.key, g.costMicros, g.count])).toEqual([
      ['openai', 29 * USD, 2],
      ['google', 12_250_000, 1],
      ['anthropic', 5_500_000, 1],
    ]);
  });

  it('counts users per level, every level listed', async () => {
    const overview = await f.services.overview.overview(admin);
    expect(overview.byLevel).toEqual([
      { level: 'green', users: 2 },
      { level: 'yellow', users: 0 },
      { level: 'orange', users: 0 },
      { level: 'red', users: 1 },
      { level: 'over', users: 1 },
    ]);
  });

  it('gives a daily series of the last 30 days, zeros included', async () => {
    const { daily } = await f.services.overview.overview(admin);
    expect(daily).toHaveLength(OVERVIEW_DAYS);
    expect(daily[0]?.day).toBe('2025-05-22');
    expect(daily.at(-1)?.day).toBe('2025-06-20');
    const spent = daily.filter((d) => d.costMicros > 0).map((d) => [d.day, d.costMicros]);
    expect(spent).toEqual([
      ['2025-06-18', 10 * USD],
      ['2025-06-19', 9_500_000],
      ['2025-06-20', 31_250_000],
    ]);
  });

  it('costs three reads (budgets, then rollups by provider and by day) and writes nothing', async () => {
    f.db.commands.reset();
    await f.services.overview.overview(admin);
    expect([...f.db.commands.names].sort()).toEqual(['aggregate', 'aggregate', 'find']);
    // The ended period was not rolled over by looking at it.
    expect((await f.store.budgets.find('UOV00004'))?.periodSeq).toBe(0);
  });

  it('is for admins only', async () => {
    await expect(f.services.overview.overview({ kind: 'user', userId: 'UOV00001' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.overview.overview({ kind: 'service', id: 'gw' })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
