/** Alert levels: how much of the limit a user has spent, against their thresholds. */
import type { Micros } from './money.js';

export const ALERT_LEVELS = ['green', 'yellow', 'orange', 'red', 'over'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];
/** The levels that send an alert when crossed (every level but green). */
export type AlertingLevel = Exclude<AlertLevel, 'green'>;
export const ALERTING_LEVELS: readonly AlertingLevel[] = ['yellow', 'orange', 'red', 'over'];

export interface Thresholds {
  yellow: number;
  orange: number;
  red: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { yellow: 40, orange: 70, red: 90 };

/** Thresholds are percentages within 1-100, strictly increasing. Each problem names its field. */
export function thresholdProblems(t: Thresholds): { field: keyof Thresholds; message: string }[] {
  const problems: { field: keyof Thresholds; message: string }[] = [];
  for (const field of ['yellow', 'orange', 'red'] as const) {
    const value = t[field];
    if (!Number.isFinite(value) || value < 1 || value > 100) problems.push({ field, message: 'must be between 1 and 100' });
  }
  if (!(t.yellow < t.orange)) problems.push({ field: 'orange', message: 'must be greater than yellow' });
  if (!(t.orange < t.red)) problems.push({ field: 'red', message: 'must be greater than orange' });
  return problems;
}

function percentThreshold(level: AlertingLevel, t: Thresholds): number {
  return level === 'over' ? 100 : t[level];
}

/**
 * The level for a spend against a limit. Compared in integers (spent × 100 ≥ limit × threshold) so a
 * spend exactly on a threshold counts as having reached it. A limit of $0 is always over budget.
 */
export function alertLevel(spent: Micros, limit: Micros, t: Thresholds): AlertLevel {
  let level: AlertLevel = 'green';
  for (const candidate of ALERTING_LEVELS) {
    if (spent * 100 >= limit * percentThreshold(candidate, t)) level = candidate;
  }
  return level;
}

export function isOverBudget(spent: Micros, limit: Micros): boolean {
  return spent >= limit;
}

/** The alerting levels a spend has reached, lowest first. */
export function levelsReached(spent: Micros, limit: Micros, t: Thresholds): AlertingLevel[] {
  return ALERTING_LEVELS.filter((level) => spent * 100 >= limit * percentThreshold(level, t));
}
