/** The budget of one user: their settings and the state of their current period. */
import type { AlertingLevel, Thresholds } from './levels.js';
import { DEFAULT_THRESHOLDS } from './levels.js';
import type { Micros } from './money.js';
import { DEFAULT_ANCHOR, periodContaining, type Period, type PeriodRule, type PeriodType } from './periods.js';
import { defaultPermissions, type PermissionFlags, type Role } from './permissions.js';

export interface BudgetSettings extends PermissionFlags {
  limitMicros: Micros;
  /** An admin-set ceiling for limits a user sets themselves; null when none is set. */
  limitCeilingMicros: Micros | null;
  periodType: PeriodType;
  periodAnchor: string;
  customPeriodDays: number;
  timezone: string;
  thresholds: Thresholds;
  enforceBudget: boolean;
  autoFallback: boolean;
  fallbackModel: string;
  role: Role;
  adminNotes: string;
  displayName: string | null;
  email: string | null;
}

export interface BudgetRecord extends BudgetSettings {
  userId: string;
  /** Where the time zone came from: the default, Slack's users.info, or an admin. */
  timezoneSource: 'default' | 'slack' | 'admin';
  profileSyncedAt: Date | null;
  /** Counts periods: every reset, manual or automatic, moves it on by one. Guards exactly-once resets. */
  periodSeq: number;
  periodStart: Date;
  periodEnd: Date;
  spentMicros: Micros;
  eventCount: number;
  /** Alert levels already claimed in this period, so each is sent once. */
  alertsClaimed: AlertingLevel[];
  /** Moves on with every settings change; updates are conditional on it so none is lost. */
  settingsVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface BudgetDefaults {
  limitMicros: Micros;
  timezone: string;
  fallbackModel: string;
}

export const DEFAULT_CUSTOM_DAYS = 30;

export function periodRule(s: Pick<BudgetSettings, 'periodType' | 'periodAnchor' | 'customPeriodDays' | 'timezone'>): PeriodRule {
  return { type: s.periodType, anchor: s.periodAnchor, customDays: s.customPeriodDays, timezone: s.timezone };
}

export function currentPeriod(b: Pick<BudgetRecord, 'periodStart' | 'periodEnd'>): Period {
  return { start: b.periodStart, end: b.periodEnd };
}

export function hasPeriodEnded(b: Pick<BudgetRecord, 'periodEnd'>, now: Date): boolean {
  return now.getTime() >= b.periodEnd.getTime();
}

/** A new user's budget: defaults from the configuration, a monthly period containing `now`. */
export function newBudget(userId: string, isAdminUser: boolean, defaults: BudgetDefaults, now: Date): BudgetRecord {
  const settings: BudgetSettings = {
    limitMicros: defaults.limitMicros,
    limitCeilingMicros: null,
    periodType: 'monthly',
    periodAnchor: DEFAULT_ANCHOR,
    customPeriodDays: DEFAULT_CUSTOM_DAYS,
    timezone: defaults.timezone,
    thresholds: { ...DEFAULT_THRESHOLDS },
    enforceBudget: true,
    autoFallback: true,
    fallbackModel: defaults.fallbackModel,
    // The role stays 'user': configured admins are admins through the configuration, not the record.
    role: 'user',
    adminNotes: '',
    displayName: null,
    email: null,
    ...defaultPermissions(isAdminUser ? 'admin' : 'user'),
  };
  const period = periodContaining(now, periodRule(settings));
  return {
    ...settings,
    userId,
    timezoneSource: 'default',
    profileSyncedAt: null,
    periodSeq: 0,
    periodStart: period.start,
    periodEnd: period.end,
    spentMicros: 0,
    eventCount: 0,
    alertsClaimed: [],
    settingsVersion: 0,
    createdAt: now,
    updatedAt: now,
  };
}
