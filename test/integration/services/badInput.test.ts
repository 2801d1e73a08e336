import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors.js';
import { collectionCounts, USD, useServices, type ServiceFixture } from '../../helpers/services.js';

let f: ServiceFixture;
const admin = { kind: 'admin', id: 'test' } as const;
beforeAll(async () => {
  f = await useServices();
  // One user with some history, so "nothing written" is measured against a non-empty database.
  await f.services.usage.record({ userId: 'UEXIST01', idempotencyKey: 'k', model: 'gpt-4o', costMicros: USD });
});

const event = { userId: 'UEXIST01', idempotencyKey: 'bad', model: 'gpt-4o', costMicros: 1000 };

const cases: [string, () => Promise<unknown>][] = [
  ['a negative cost', () => f.services.usage.record({ ...event, costMicros: -1 })],
  ['a NaN cost', () => f.services.usage.record({ ...event, costMicros: Number.NaN })],
  ['an infinite cost', () => f.services.usage.record({ ...event, costMicros: Infinity })],
  ['a fractional micro-dollar cost', () => f.services.usage.record({ ...event, costMicros: 0.5 })],
  ['negative tokens', () => f.services.usage.record({ ...event, inputTokens: -5 })],
  ['a malformed user id (event)', () => f.services.usage.record({ ...event, userId: '{"$gt":""}' })],
  ['an empty user id', () => f.services.usage.record({ ...event, userId: '' })],
  ['an empty idempotency key', () => f.services.usage.record({ ...event, idempotencyKey: '' })],
  ['a Mongo operator as model', () => f.services.usage.record({ ...event, model: '$where' })],
  ['an unknown field', () => f.services.usage.record({ ...event, extra: 1 } as typeof event)],
  ['a malformed user id (status)', () => f.services.status.status(admin, 'U 1')],
  ['a malformed user id (settings)', () => f.services.settings.update(admin, '../etc', { limitMicros: USD })],
  ['limit 10,000.01', () => f.services.settings.update(admin, 'UEXIST01', { limitMicros: 10_000_010_000 })],
  ['a negative limit', () => f.services.settings.update(admin, 'UEXIST01', { limitMicros: -1 })],
  ['thresholds out of order', () => f.services.settings.update(admin, 'UEXIST01', { thresholds: { yellow: 70, orange: 40, red: 90 } })],
  ['a threshold over 100', () => f.services.settings.update(admin, 'UEXIST01', { thresholds: { yellow: 40, orange: 70, red: 101 } })],
  ['an unknown time zone', () => f.services.settings.update(admin, 'UEXIST01', { timezone: 'Mars/Olympus' })],
  ['custom days 0', () => f.services.settings.update(admin, 'UEXIST01', { customPeriodDays: 0 })],
  ['an unknown setting', () => f.services.settings.update(admin, 'UEXIST01', { spentMicros: 0 })],
  ['a bad anchor', () => f.services.settings.update(admin, 'UEXIST01', { periodAnchor: '2025-02-30' })],
  ['a bad check estimate', () => f.services.checker.check(admin, { userId: 'UEXIST01', model: 'gpt-4o', estimatedCostMicros: -3 })],
  ['a reset without reason', () => f.services.resets.reset(admin, 'UEXIST01', '')],
  ['an unknown breakdown range', () => f.services.breakdown.breakdown(admin, 'UEXIST01', '90d')],
];

describe('bad input to each service', () => {
  it.each(cases)('%s → a validation error, and nothing written', async (_name, call) => {
    const before = await collectionCounts(f.db);
    const budget = await f.store.budgets.find('UEXIST01');
    await expect(call()).rejects.toBeInstanceOf(ValidationError);
    expect(await collectionCounts(f.db)).toEqual(before);
    expect(await f.store.budgets.find('UEXIST01')).toEqual(budget);
  });

  it('names each bad field', async () => {
    const error = await f.services.settings
      .update(admin, 'UEXIST01', { limitMicros: 10_000_010_000, thresholds: { yellow: 40, orange: 70, red: 0 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields).sort()).toEqual(['limitMicros', 'thresholds.red']);
    expect((error as ValidationError).fields.limitMicros).toEqual(['must be at most $10,000']);
    const order = await f.services.settings.update(admin, 'UEXIST01', { thresholds: { yellow: 70, orange: 40, red: 90 } }).catch((e: unknown) => e);
    expect((order as ValidationError).fields).toEqual({ 'thresholds.orange': ['must be greater than yellow'] });
  });
});
