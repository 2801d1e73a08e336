/**
 * Formatting for people, used by the templates: USD at the edges (totals to cents, single events to
 * 6 decimals, as src/domain/money.ts says), dates in UTC unless a zone is given, and readable names
 * for settings in the audit log.
 */
import { DateTime } from 'luxon';
import type { AlertLevel } from '../../domain/levels.js';
import { formatUsd, microsToUsdExact, type Micros } from '../../domain/money.js';

const LEVEL_LABELS: Record<AlertLevel, string> = {
  green: 'Green',
  yellow: 'Yellow',
  orange: 'Orange',
  red: 'Red',
  over: 'Over budget',
};

/** Settings names as the user form labels them. */
export const FIELD_LABELS: Record<string, string> = {
  limitMicros: 'Limit',
  limitCeilingMicros: 'Ceiling for self-set limits',
  periodType: 'Period',
  periodAnchor: 'Period anchor',
  customPeriodDays: 'Custom period length',
  timezone: 'Time zone',
  thresholds: 'Alert thresholds',
  enforceBudget: 'Enforce budget',
  autoFallback: 'Auto fallback',
  fallbackModel: 'Fallback model',
  role: 'Role',
  budgetVisibleToUser: 'Budget visible to user',
  userCanModifyLimit: 'User can change limit',
  userCanResetBudget: 'User can reset budget',
  adminNotes: 'Admin notes',
  displayName: 'Display name',
  email: 'Email',
};

const MONEY_FIELDS = new Set(['limitMicros', 'limitCeilingMicros']);

function usd(micros: Micros): string {
  return formatUsd(micros);
}

/** A single event's cost, to the micro-dollar: "$0.004125". */
function usdExact(micros: Micros): string {
  return `$${microsToUsdExact(micros).toFixed(6)}`;
}

/** A price per million tokens, to the micro-dollar but without zeros past the cents: "$2.50", "$0.075". */
export function perMillion(micros: Micros): string {
  const usd = microsToUsdExact(micros).toFixed(6).replace(/0+$/, '');
  const [whole, decimals = ''] = usd.split('.');
  return `$${whole}.${decimals.padEnd(2, '0')}`;
}

function percent(value: number): string {
  return `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;
}

function dateTime(at: Date, zone = 'UTC'): string {
  return DateTime.fromJSDate(at, { zone }).toFormat(zone === 'UTC' ? "yyyy-LL-dd HH:mm 'UTC'" : 'yyyy-LL-dd HH:mm ZZZZ');
}

function isoDateTime(at: Date): string {
  return at.toISOString();
}

function levelLabel(level: AlertLevel): string {
  return LEVEL_LABELS[level];
}

/** A value before or after a settings change, as the audit log shows it. */
function settingValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (MONEY_FIELDS.has(field) && typeof value === 'number') return usd(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (field === 'thresholds' && typeof value === 'object') {
    const t = value as Record<string, unknown>;
    return `${String(t.yellow)} / ${String(t.orange)} / ${String(t.red)} %`;
  }
  if (field === 'customPeriodDays' && typeof value === 'number') return `${value} days`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

export const viewHelpers = { usd, usdExact, perMillion, percent, dateTime, isoDateTime, levelLabel, settingValue, fieldLabel };
export type ViewHelpers = typeof viewHelpers;
