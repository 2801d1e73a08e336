/**
 * Budget periods in the user's IANA time zone. All calendar arithmetic goes through luxon, so
 * "midnight" and "one month later" stay right across DST changes and month ends.
 */
import { DateTime, IANAZone } from 'luxon';

export const PERIOD_TYPES = ['monthly', 'weekly', 'daily', 'custom'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

export interface PeriodRule {
  type: PeriodType;
  /**
   * A local calendar date (YYYY-MM-DD) the periods are anchored on: monthly periods start on its day
   * of the month (31 clamps to a month's last day), weekly ones on its weekday, custom ones every
   * `customDays` days from it. Daily periods ignore it.
   */
  anchor: string;
  customDays: number;
  timezone: string;
}

export interface Period {
  start: Date;
  end: Date;
}

/** 2024-01-01 is a Monday and the 1st of a month: the defaults for monthly and weekly periods. */
export const DEFAULT_ANCHOR = '2024-01-01';
export const MAX_CUSTOM_DAYS = 366;

const DAY_MS = 86_400_000;

export function isValidTimezone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function isValidAnchor(anchor: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(anchor) && DateTime.fromISO(anchor).isValid;
}

function local(at: Date, zone: string): DateTime {
  return DateTime.fromJSDate(at, { zone });
}

function anchorDate(rule: PeriodRule): DateTime {
  return DateTime.fromISO(rule.anchor, { zone: rule.timezone }).startOf('day');
}

/** Midnight of the given year/month's anchor day, clamped to the month's last day. */
function monthlyStart(year: number, month: number, anchorDay: number, zone: string): DateTime {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone });
  const day = Math.min(anchorDay, first.daysInMonth ?? 28);
  return first.set({ day }).startOf('day');
}

/** The period under `rule` that contains the instant `at`. */
export function periodContaining(at: Date, rule: PeriodRule): Period {
  const now = local(at, rule.timezone);
  let start: DateTime;
  let end: DateTime;
  switch (rule.type) {
    case 'daily':
      start = now.startOf('day');
      end = start.plus({ days: 1 });
      break;
    case 'weekly': {
      const weekday = anchorDate(rule).weekday;
      const today = now.startOf('day');
      start = today.minus({ days: (today.weekday - weekday + 7) % 7 });
      end = start.plus({ days: 7 });
      break;
    }
    case 'monthly': {
      const anchorDay = anchorDate(rule).day;
      start = monthlyStart(now.year, now.month, anchorDay, rule.timezone);
      if (start > now) {
        const previous = now.startOf('month').minus({ months: 1 });
        start = monthlyStart(previous.year, previous.month, anchorDay, rule.timezone);
      }
      const next = start.startOf('month').plus({ months: 1 });
      end = monthlyStart(next.year, next.month, anchorDay, rule.timezone);
      break;
    }
    case 'custom': {
      const anchor = anchorDate(rule);
      // Whole calendar days between the anchor and today, so DST days of 23 or 25 hours count as one.
      const days = Math.floor(now.startOf('day').diff(anchor, 'days').days + 0.5);
      const index = Math.floor(days / rule.customDays);
      start = anchor.plus({ days: index * rule.customDays });
      end = start.plus({ days: rule.customDays });
      break;
    }
  }
  return { start: start.toJSDate(), end: end.toJSDate() };
}

/** The local date (YYYY-MM-DD) of an instant in a zone: the key of daily rollups. */
export function localDay(at: Date, zone: string): string {
  return local(at, zone).toISODate() ?? '';
}

/**
 * A manual reset starts a new period at the moment of the reset and ends it at 00:00 on the day one
 * period length later; later periods follow on from the reset day, so it becomes the new anchor.
 * Example (SPEC): monthly, reset 2025-12-14T10:30 → 2025-12-14T10:30 to 2026-01-14T00:00.
 */
export function periodAfterManualReset(at: Date, rule: PeriodRule): { period: Period; anchor: string } {
  const resetDay = local(at, rule.timezone).startOf('day');
  const anchor = resetDay.toISODate() ?? rule.anchor;
  const rebased: PeriodRule = { ...rule, anchor };
  const end = periodContaining(resetDay.toJSDate(), rebased).end;
  return { period: { start: at, end }, anchor };
}

/** Whole days left in the period, rounded up. */
export function daysRemaining(period: Period, now: Date): number {
  const left = period.end.getTime() - now.getTime();
  return left <= 0 ? 0 : Math.ceil(left / DAY_MS);
}

/** Fraction of the period elapsed at `now`, clamped to [0, 1]. */
export function elapsedFraction(period: Period, now: Date): number {
  const length = period.end.getTime() - period.start.getTime();
  if (length <= 0) return 1;
  return Math.min(1, Math.max(0, (now.getTime() - period.start.getTime()) / length));
}
