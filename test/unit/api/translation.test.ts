// The API's translations, without a server: field names, zod errors, money and time formats, anchors.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { anchorDate } from '../../../src/http/api/anchor.js';
import { apiFieldErrors, apiFieldName, zodFieldErrors } from '../../../src/http/api/fields.js';
import { isoOrNull, isoSeconds, usd, usdExact } from '../../../src/http/api/format.js';

describe('field names', () => {
  it.each([
    ['limitMicros', 'monthly_limit_usd'],
    ['limitCeilingMicros', 'limit_ceiling_usd'],
    ['events.3.costMicros', 'events.3.cost_usd'],
    ['events.0.occurredAt', 'events.0.timestamp'],
    ['estimatedCostMicros', 'estimated_cost_usd'],
    ['thresholds.orange', 'thresholds.orange'],
    ['userCanResetBudget', 'user_can_reset_budget'],
    ['_', 'user_id'],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
  ])('%s → %s', (internal, api) => {
    expect(apiFieldName(internal)).toBe(api);
  });

  it('merges messages of fields that end up with the same name', () => {
    expect(apiFieldErrors({ limitMicros: ['a'], monthly_limit_usd: ['b'] })).toEqual({ monthly_limit_usd: ['a', 'b'] });
  });
});

describe('zod errors as field errors', () => {
  const schema = z.strictObject({ name: z.string(), inner: z.strictObject({ n: z.number().min(1) }).optional() });

  it('names each unknown key, including "__proto__", as an own field', () => {
    const input = JSON.parse('{"name":"x","extra":1,"__proto__":{"polluted":true},"inner":{"n":1,"deep":2}}') as unknown;
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    const errors = zodFieldErrors(result.error ?? new z.ZodError([])).toObject();
    expect(Object.keys(errors).sort()).toEqual(['__proto__', 'extra', 'inner.deep']);
    expect(Object.getPrototypeOf(errors)).toBe(Object.prototype);
    expect(errors.__proto__).toEqual(['is not a known field']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a wrong whole body is reported as "body"', () => {
    const result = schema.safeParse([]);
    expect(Object.keys(zodFieldErrors(result.error ?? new z.ZodError([])).toObject())).toEqual(['body']);
  });

  it('for "one of these shapes", explains against the closest shape', () => {
    const one = z.strictObject({ model: z.string(), cost: z.number().min(0) });
    const many = z.strictObject({ events: z.array(one).max(2) });
    const either = z.union([one, many], { error: 'one event or a batch' });
    const fields = (input: unknown) => zodFieldErrors(either.safeParse(input).error ?? new z.ZodError([])).toObject();
    // Zod itself picks the branch whose shape fits and reports only its problems...
    expect(fields({ events: [{ model: 'a', cost: 1 }, { model: 'b', cost: -1 }] })).toEqual({ 'events.1.cost': ['Too small: expected number to be >=0'] });
    // ...and when no shape fits, the union's message comes with the problems of the closest shape.
    expect(fields({ model: 'a', cost: 1, events: [] })).toEqual({ body: ['one event or a batch'], events: ['is not a known field'] });
  });
});

describe('formats', () => {
  it('USD to the cent for totals and to 6 decimals for single events', () => {
    expect(usd(23_450_000)).toBe(23.45);
    expect(usd(46_899_999)).toBe(46.9);
    expect(usd(7_500)).toBe(0.01);
    expect(usdExact(8_755)).toBe(0.008755);
    expect(usdExact(1)).toBe(0.000001);
  });

  it('instants to the second, in UTC, like the SPEC example', () => {
    expect(isoSeconds(new Date('2025-12-14T10:30:00.000Z'))).toBe('2025-12-14T10:30:00Z');
    expect(isoSeconds(new Date('2025-12-14T10:30:00.987Z'))).toBe('2025-12-14T10:30:00Z');
    expect(isoOrNull(null)).toBeNull();
  });
});

describe('period anchors', () => {
  it.each([
    ['2025-06-01', 'UTC', '2025-06-01'],
    ['2025-06-01', 'Pacific/Kiritimati', '2025-06-01'],
    ['2025-05-31T20:00:00Z', 'Asia/Tokyo', '2025-06-01'],
    ['2025-05-31T20:00:00Z', 'America/New_York', '2025-05-31'],
    ['2025-06-01T01:00:00+02:00', 'UTC', '2025-05-31'],
    // No offset: a local time in the user's zone, so its date is the date written.
    ['2025-06-01T00:30:00', 'America/Los_Angeles', '2025-06-01'],
  ])('%s in %s → %s', (value, zone, expected) => {
    expect(anchorDate(value, zone)).toBe(expected);
  });
});
