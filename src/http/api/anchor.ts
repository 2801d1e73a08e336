/**
 * A period anchor given as an ISO date or date-time becomes the local date the services expect
 * (YYYY-MM-DD): a date-time is read as an instant (or as local time when it has no offset) and
 * its date is taken in the user's time zone.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';

export const periodAnchorInput = z
  .union([z.iso.date(), z.iso.datetime({ offset: true, local: true })], { error: 'must be an ISO date (2025-06-01) or date-time' })
  .describe('The date periods are anchored on: an ISO date, or a date-time whose date is taken in the user\'s time zone');

export function anchorDate(value: string, zone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const local = DateTime.fromISO(value, { zone });
  const date = local.isValid ? local.toISODate() : null;
  if (date === null) throw new RangeError(`not an ISO date-time: ${value}`);
  return date;
}
