/**
 * Where the money went: by provider, by model, a daily series and the most expensive calls. Reads the
 * daily rollups (one aggregation) and the (user, cost) index for the top calls; never scans events.
 */
import { DateTime } from 'luxon';
import type { Actor } from '../domain/actor.js';
import { fieldError } from '../domain/errors.js';
import type { Micros } from '../domain/money.js';
import { localDay } from '../domain/periods.js';
import { parseOrThrow, userIdSchema } from '../domain/validation.js';
import type { Group } from '../store/usageRollups.js';
import type { UsageEvent } from '../store/usageEvents.js';
import type { AccessPolicy } from './access.js';
import type { BudgetLoader } from './budgetLoader.js';
import type { ServiceContext } from './context.js';

export const BREAKDOWN_RANGES = ['current', '7d', '30d'] as const;
export type BreakdownRange = (typeof BREAKDOWN_RANGES)[number];

export interface Breakdown {
  userId: string;
  range: BreakdownRange;
  from: Date;
  to: Date;
  timezone: string;
  totalMicros: Micros;
  byProvider: Group[];
  byModel: Group[];
  /** One entry per local day in the range, oldest first, zero where nothing was spent. */
  daily: { day: string; costMicros: Micros; count: number }[];
  topOperations: UsageEvent[];
}

const TOP_OPERATIONS = 5;
const byCostDesc = (a: Group, b: Group) => b.costMicros - a.costMicros || a.key.localeCompare(b.key);

export class BreakdownService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly loader: BudgetLoader,
    private readonly access: AccessPolicy,
  ) {}

  async breakdown(actor: Actor, userId: string, range: string = 'current'): Promise<Breakdown> {
    if (!(BREAKDOWN_RANGES as readonly string[]).includes(range)) throw fieldError('range', 'must be one of current, 7d, 30d');
    const validRange = range as BreakdownRange;
    const budget = await this.loader.load(parseOrThrow(userIdSchema, userId, 'user id'));
    await this.access.requireView(actor, budget);

    const now = this.ctx.clock();
    const zone = budget.timezone;
    const from =
      validRange === 'current'
        ? budget.periodStart
        : DateTime.fromJSDate(now, { zone })
            .startOf('day')
            .minus({ days: validRange === '7d' ? 6 : 29 })
            .toJSDate();
    const filter = validRange === 'current' ? { userId: budget.userId, periodSeq: budget.periodSeq } : { userId: budget.userId, fromDay: localDay(from, zone) };
    const [summary, top] = await Promise.all([
      this.ctx.store.rollups.summarize(filter),
      this.ctx.store.events.mostExpensive(budget.userId, from, TOP_OPERATIONS),
    ]);
    const perDay = new Map(summary.byDay.map((g) => [g.key, g]));
    const daily: Breakdown['daily'] = [];
    const lastDay = localDay(now, zone);
    for (let day = DateTime.fromJSDate(from, { zone }).startOf('day'); ; day = day.plus({ days: 1 })) {
      const key = day.toISODate() ?? '';
      const group = perDay.get(key);
      daily.push({ day: key, costMicros: group?.costMicros ?? 0, count: group?.count ?? 0 });
      if (key >= lastDay || daily.length > 400) break;
    }
    return {
      userId: budget.userId,
      range: validRange,
      from,
      to: now,
      timezone: zone,
      totalMicros: summary.byProvider.reduce((sum, g) => sum + g.costMicros, 0),
      byProvider: summary.byProvider.sort(byCostDesc),
      byModel: summary.byModel.sort(byCostDesc),
      daily,
      topOperations: top,
    };
  }
}
