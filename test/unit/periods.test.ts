import { describe, expect, it } from 'vitest';
import { daysRemaining, periodAfterManualReset, periodContaining, type PeriodRule } from '../../src/domain/periods.js';

const rule = (over: Partial<PeriodRule>): PeriodRule => ({ type: 'monthly', anchor: '2024-01-01', customDays: 30, timezone: 'UTC', ...over });
const iso = (p: { start: Date; end: Date }) => [p.start.toISOString(), p.end.toISOString()];
const at = (s: string) => new Date(s);

describe('monthly periods', () => {
  it.each([
    ['the 1st, mid-month', '2025-03-15T12:00:00Z', '2024-01-01', ['2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z']],
    ['the 1st, at the first instant', '2025-03-01T00:00:00Z', '2024-01-01', ['2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z']],
    ['the 1st, at the last instant', '2025-03-31T23:59:59.999Z', '2024-01-01', ['2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z']],
    ['the 15th, before the anchor day', '2025-03-10T00:00:00Z', '2024-05-15', ['2025-02-15T00:00:00.000Z', '2025-03-15T00:00:00.000Z']],
    ['the 31st clamps to February 28', '2025-02-20T00:00:00Z', '2024-01-31', ['2025-01-31T00:00:00.000Z', '2025-02-28T00:00:00.000Z']],
    ['the 31st after February 28', '2025-03-05T00:00:00Z', '2024-01-31', ['2025-02-28T00:00:00.000Z', '2025-03-31T00:00:00.000Z']],
    ['the 31st in a leap year', '2024-02-10T00:00:00Z', '2024-01-31', ['2024-01-31T00:00:00.000Z', '2024-02-29T00:00:00.000Z']],
    ['the 30th in a leap February', '2024-03-01T00:00:00Z', '2024-01-30', ['2024-02-29T00:00:00.000Z', '2024-03-30T00:00:00.000Z']],
    ['the 31st, late April (30 days)', '2025-04-29T12:00:00Z', '2024-01-31', ['2025-03-31T00:00:00.000Z', '2025-04-30T00:00:00.000Z']],
    ['the 31st, on April 30 (clamped)', '2025-04-30T12:00:00Z', '2024-01-31', ['2025-04-30T00:00:00.000Z', '2025-05-31T00:00:00.000Z']],
    ['across the new year', '2025-12-31T23:00:00Z', '2024-01-01', ['2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']],
  ])('anchored on %s', (_name, now, anchor, expected) => {
    expect(iso(periodContaining(at(now), rule({ anchor })))).toEqual(expected);
  });

  it('starts at local midnight in New York across the DST change in March', () => {
    // March 2025: EST (-05:00) until March 9, EDT (-04:00) after.
    const p = periodContaining(at('2025-03-20T12:00:00Z'), rule({ timezone: 'America/New_York' }));
    expect(iso(p)).toEqual(['2025-03-01T05:00:00.000Z', '2025-04-01T04:00:00.000Z']);
  });

  it('starts at local midnight in Berlin across the DST change in October', () => {
    // October 2025: CEST (+02:00) until October 26, CET (+01:00) after.
    const p = periodContaining(at('2025-10-28T12:00:00Z'), rule({ timezone: 'Europe/Berlin' }));
    expect(iso(p)).toEqual(['2025-09-30T22:00:00.000Z', '2025-10-31T23:00:00.000Z']);
  });

  it('places an instant just after UTC midnight in the local month it belongs to', () => {
    // 2025-04-01T02:00Z is still March 31 in New York.
    const p = periodContaining(at('2025-04-01T02:00:00Z'), rule({ timezone: 'America/New_York' }));
    expect(iso(p)).toEqual(['2025-03-01T05:00:00.000Z', '2025-04-01T04:00:00.000Z']);
  });
});

describe('weekly periods', () => {
  it.each([
    ['Monday (default), on a Wednesday', '2025-06-11T10:00:00Z', '2024-01-01', ['2025-06-09T00:00:00.000Z', '2025-06-16T00:00:00.000Z']],
    ['Monday, on the Monday itself', '2025-06-09T00:00:00Z', '2024-01-01', ['2025-06-09T00:00:00.000Z', '2025-06-16T00:00:00.000Z']],
    ['Monday, on a Sunday night', '2025-06-15T23:59:00Z', '2024-01-01', ['2025-06-09T00:00:00.000Z', '2025-06-16T00:00:00.000Z']],
    ['Friday (2024-01-05)', '2025-06-11T10:00:00Z', '2024-01-05', ['2025-06-06T00:00:00.000Z', '2025-06-13T00:00:00.000Z']],
    ['Sunday (2024-01-07)', '2025-06-11T10:00:00Z', '2024-01-07', ['2025-06-08T00:00:00.000Z', '2025-06-15T00:00:00.000Z']],
  ])('anchored on %s', (_name, now, anchor, expected) => {
    expect(iso(periodContaining(at(now), rule({ type: 'weekly', anchor })))).toEqual(expected);
  });

  it('lasts 7 local days across the New York DST change (167 hours)', () => {
    const p = periodContaining(at('2025-03-05T12:00:00Z'), rule({ type: 'weekly', timezone: 'America/New_York' }));
    expect(iso(p)).toEqual(['2025-03-03T05:00:00.000Z', '2025-03-10T04:00:00.000Z']);
  });
});

describe('daily periods', () => {
  it('runs midnight to midnight', () => {
    expect(iso(periodContaining(at('2025-06-11T10:00:00Z'), rule({ type: 'daily' })))).toEqual(['2025-06-11T00:00:00.000Z', '2025-06-12T00:00:00.000Z']);
  });
  it('is 23 hours on the Berlin spring-forward day', () => {
    const p = periodContaining(at('2025-03-30T12:00:00Z'), rule({ type: 'daily', timezone: 'Europe/Berlin' }));
    expect(iso(p)).toEqual(['2025-03-29T23:00:00.000Z', '2025-03-30T22:00:00.000Z']);
  });
  it('is 25 hours on the New York fall-back day', () => {
    const p = periodContaining(at('2025-11-02T12:00:00Z'), rule({ type: 'daily', timezone: 'America/New_York' }));
    expect(iso(p)).toEqual(['2025-11-02T04:00:00.000Z', '2025-11-03T05:00:00.000Z']);
  });
});

describe('custom periods', () => {
  it.each([
    ['10 days, in the first', '2025-01-05T00:00:00Z', '2025-01-01', 10, ['2025-01-01T00:00:00.000Z', '2025-01-11T00:00:00.000Z']],
    ['10 days, on a boundary', '2025-01-11T00:00:00Z', '2025-01-01', 10, ['2025-01-11T00:00:00.000Z', '2025-01-21T00:00:00.000Z']],
    ['14 days, months later', '2025-06-11T10:00:00Z', '2025-01-01', 14, ['2025-06-04T00:00:00.000Z', '2025-06-18T00:00:00.000Z']],
    ['1 day', '2025-06-11T10:00:00Z', '2025-01-01', 1, ['2025-06-11T00:00:00.000Z', '2025-06-12T00:00:00.000Z']],
    ['366 days over a leap year', '2024-12-31T00:00:00Z', '2024-01-01', 366, ['2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z']],
    ['30 days, before the anchor', '2024-12-20T00:00:00Z', '2025-01-01', 30, ['2024-12-02T00:00:00.000Z', '2025-01-01T00:00:00.000Z']],
  ])('%s', (_name, now, anchor, customDays, expected) => {
    expect(iso(periodContaining(at(now), rule({ type: 'custom', anchor, customDays })))).toEqual(expected);
  });

  it('counts calendar days, not 24-hour blocks, across the Berlin DST change', () => {
    const p = periodContaining(at('2025-03-31T10:00:00Z'), rule({ type: 'custom', anchor: '2025-03-28', customDays: 7, timezone: 'Europe/Berlin' }));
    expect(iso(p)).toEqual(['2025-03-27T23:00:00.000Z', '2025-04-03T22:00:00.000Z']);
  });
});

describe('manual reset', () => {
  it("follows the user's example: 2025-12-14T10:30 → 2026-01-14T00:00", () => {
    const { period, anchor } = periodAfterManualReset(at('2025-12-14T10:30:00Z'), rule({}));
    expect(iso(period)).toEqual(['2025-12-14T10:30:00.000Z', '2026-01-14T00:00:00.000Z']);
    expect(anchor).toBe('2025-12-14');
  });

  it('continues from the reset day afterwards', () => {
    const { anchor } = periodAfterManualReset(at('2025-12-14T10:30:00Z'), rule({}));
    expect(iso(periodContaining(at('2026-01-20T00:00:00Z'), rule({ anchor })))).toEqual(['2026-01-14T00:00:00.000Z', '2026-02-14T00:00:00.000Z']);
  });

  it.each([
    ['weekly', 'weekly', 30, '2025-12-21T00:00:00.000Z'],
    ['daily', 'daily', 30, '2025-12-15T00:00:00.000Z'],
    ['custom 10 days', 'custom', 10, '2025-12-24T00:00:00.000Z'],
  ] as const)('ends one %s length later at local midnight', (_name, type, customDays, end) => {
    const { period } = periodAfterManualReset(at('2025-12-14T10:30:00Z'), rule({ type, customDays }));
    expect(period.end.toISOString()).toBe(end);
  });

  it('uses the local date in the user time zone', () => {
    // 2025-12-14T02:00Z is still December 13 in New York.
    const { period, anchor } = periodAfterManualReset(at('2025-12-14T02:00:00Z'), rule({ timezone: 'America/New_York' }));
    expect(anchor).toBe('2025-12-13');
    expect(period.end.toISOString()).toBe('2026-01-13T05:00:00.000Z');
  });
});

describe('days remaining', () => {
  const period = { start: at('2025-06-01T00:00:00Z'), end: at('2025-07-01T00:00:00Z') };
  it.each([
    ['2025-06-16T00:00:00Z', 15],
    ['2025-06-16T00:00:01Z', 15],
    ['2025-06-15T23:59:59Z', 16],
    ['2025-06-30T23:00:00Z', 1],
    ['2025-07-01T00:00:00Z', 0],
  ])('at %s is %i', (now, days) => {
    expect(daysRemaining(period, at(now))).toBe(days);
  });
});
