/**
 * The admin overview: what everyone has spent this period, by provider, how many users stand at each
 * alert level, and a daily spend series. Built from the budgets (each holds its current period's
 * ledger) and the daily rollups; never from raw usage events.
 */
import { DateTime } from 'luxon';
import type { Actor } from '../domain/actor.js';
import { hasPeriodEnded } from '../domain/budget.js';
import { ForbiddenError } from '../domain/errors.js';
import { ALERT_LEVELS, alertLevel, type AlertLevel } from '../domain/levels.js';
import type { Micros } from '../domain/money.js';
import { localDay } from '../domain/periods.js';
import type { Group } from '../store/usageRollups.js';
import type { AccessPolicy } from './access.js';
import type { ServiceContext } from './context.js';

export const OVERVIEW_DAYS = 30;

export interface Overview {
  asOf: Date;
  userCount: number;
  /** Sum of every user's spend in their current period. */
  totalSpentMicros: Micros;
  /** Sum of every user's limit. */
  totalLimitMicros: Micros;
  /** Spend in everyone's current period by provider, highest first. */
  byProvider: Group[];
  /** Users per alert level, every level present, green first. */
  byLevel: { level: AlertLevel; users: number }[];
  /**
   * Spend per day over the last OVERVIEW_DAYS days, oldest first, zero where nothing was spent.
   * Days are each user's local calendar days (how the rollups are keyed), labelled by date.
   */
  daily: { day: string; costMicros: Micros; count: number }[];
}

const byCostDesc = (a: Group, b: Group) => b.costMicros - a.costMicros || a.key.localeCompare(b.key);

export class OverviewService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly access: AccessPolicy,
  ) {}

  async overview(actor: Actor): Promise<Overview> {
    if (!(await this.access.actorIsAdmin(actor))) throw new ForbiddenError('Only admins can see the overview');
    const now = this.ctx.clock();
    const budgets = await this.ctx.store.budgets.all();

    // A period that has ended but not yet rolled over (nobody asked since) has spent nothing of the
    // period that contains now: count it as a fresh period instead of reading it (a read would
    // roll it over, one write per user, for a page view).
    const current = budgets.filter((b) => !hasPeriodEnded(b, now));
    const levels = new Map<AlertLevel, number>(ALERT_LEVELS.map((l) => [l, 0]));
    let totalSpentMicros = 0;
    let totalLimitMicros = 0;
    for (const budget of budgets) {
      const spent = hasPeriodEnded(budget, now) ? 0 : budget.spentMicros;
      const level = alertLevel(spent, budget.limitMicros, budget.thresholds);
      levels.set(level, (levels.get(level) ?? 0) + 1);
      totalSpentMicros += spent;
      totalLimitMicros += budget.limitMicros;
    }

    const fromDay = localDay(DateTime.fromJSDate(now, { zone: 'UTC' }).minus({ days: OVERVIEW_DAYS - 1 }).toJSDate(), 'UTC');
    const [byProvider, byDay] = await Promise.all([
      this.ctx.store.rollups.totalsByProvider(current.map((b) => ({ userId: b.userId, periodSeq: b.periodSeq }))),
      this.ctx.store.rollups.totalsByDay(fromDay),
    ]);

    return {
      asOf: now,
      userCount: budgets.length,
      totalSpentMicros,
      totalLimitMicros,
      byProvider: byProvider.sort(byCostDesc),
      byLevel: ALERT_LEVELS.map((level) => ({ level, users: levels.get(level) ?? 0 })),
      daily: dailySeries(byDay, fromDay, localDay(now, 'UTC')),
    };
  }
}

/** Every day from `fromDay` to the last day seen (at least `today`: zones ahead of UTC are already on tomorrow). */
function dailySeries(groups: Group[], fromDay: string, today: string): Overview['daily'] {
  const perDay = new Map(groups.map((g) => [g.key, g]));
  const lastDay = groups.reduce((last, g) => (g.key > last ? g.key : last), today);
  const series: Overview['daily'] = [];
  for (let day = DateTime.fromISO(fromDay, { zone: 'UTC' }); ; day = day.plus({ days: 1 })) {
    const key = day.toISODate() ?? '';
    const group = perDay.get(key);
    series.push({ day: key, costMicros: group?.costMicros ?? 0, count: group?.count ?? 0 });
    if (key >= lastDay || series.length > OVERVIEW_DAYS + 2) break;
  }
  return series;
}
