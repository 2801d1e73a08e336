/**
 * The `usage_daily` collection: per user, per period, per local day × provider × model × operation,
 * the cost, tokens and call count, kept up to date on every write, so no read ever scans events.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Micros } from '../domain/money.js';
import { isDuplicateKeyError } from './mongoErrors.js';

export interface RollupKey {
  userId: string;
  periodSeq: number;
  day: string;
  provider: string;
  model: string;
  operation: string;
}

export interface RollupTotals {
  costMicros: Micros;
  inputTokens: number;
  outputTokens: number;
  count: number;
}

export type Rollup = RollupKey & RollupTotals;

const schema = new Schema<Rollup>(
  {
    userId: { type: String, required: true },
    periodSeq: { type: Number, required: true },
    day: { type: String, required: true },
    provider: { type: String, required: true },
    model: { type: String, required: true },
    operation: { type: String, required: true },
    costMicros: { type: Number, required: true },
    inputTokens: { type: Number, required: true },
    outputTokens: { type: Number, required: true },
    count: { type: Number, required: true },
  },
  { versionKey: false, collection: 'usage_daily' },
);
schema.index({ userId: 1, periodSeq: 1, day: 1, provider: 1, model: 1, operation: 1 }, { unique: true });
schema.index({ userId: 1, day: 1 });
schema.index({ day: 1 });

/** Sums grouped by one field; `provider` is filled for model groups. */
export interface Group {
  key: string;
  provider?: string;
  costMicros: Micros;
  inputTokens: number;
  outputTokens: number;
  count: number;
}

export interface RollupSummary {
  byProvider: Group[];
  byModel: Group[];
  byDay: Group[];
}

interface GroupRow {
  _id: string;
  provider?: string;
  costMicros: number;
  inputTokens: number;
  outputTokens: number;
  count: number;
}

const sums = {
  costMicros: { $sum: '$costMicros' },
  inputTokens: { $sum: '$inputTokens' },
  outputTokens: { $sum: '$outputTokens' },
  count: { $sum: '$count' },
};

function toGroup(row: GroupRow): Group {
  const group: Group = { key: row._id, costMicros: row.costMicros, inputTokens: row.inputTokens, outputTokens: row.outputTokens, count: row.count };
  if (row.provider !== undefined) group.provider = row.provider;
  return group;
}

export class RollupStore {
  constructor(private readonly model: Model<Rollup>) {}

  /** Runs for every usage event, so on the driver's collection: a mongoose query cost ~40 µs more. */
  async add(key: RollupKey, totals: RollupTotals): Promise<void> {
    const update = { $inc: { ...totals } };
    try {
      await this.model.collection.updateOne(key, update, { upsert: true });
    } catch (error) {
      // Two first writes of one key can race on the unique index; the second becomes an update.
      if (!isDuplicateKeyError(error)) throw error;
      await this.model.collection.updateOne(key, update);
    }
  }

  /** One aggregation: totals by provider, by model and by day, for a user's period or days. */
  async summarize(filter: { userId: string; periodSeq?: number; fromDay?: string }): Promise<RollupSummary> {
    const match: Record<string, unknown> = { userId: filter.userId };
    if (filter.periodSeq !== undefined) match.periodSeq = filter.periodSeq;
    if (filter.fromDay !== undefined) match.day = { $gte: filter.fromDay };
    const [result] = await this.model
      .aggregate<{ byProvider: GroupRow[]; byModel: GroupRow[]; byDay: GroupRow[] }>([
        { $match: match },
        {
          $facet: {
            byProvider: [{ $group: { _id: '$provider', ...sums } }],
            byModel: [{ $group: { _id: '$model', provider: { $first: '$provider' }, ...sums } }],
            byDay: [{ $group: { _id: '$day', ...sums } }],
          },
        },
      ])
      .exec();
    return {
      byProvider: (result?.byProvider ?? []).map(toGroup),
      byModel: (result?.byModel ?? []).map(toGroup),
      byDay: (result?.byDay ?? []).map(toGroup),
    };
  }

  async list(filter: { userId: string; periodSeq?: number }): Promise<Rollup[]> {
    return this.model.find(filter).lean<Rollup[]>().exec();
  }

  /**
   * Totals by provider over the given users' periods (the admin overview: everyone's current
   * period). Asked in batches so one query never carries an enormous $or; each batch is one
   * aggregation that the (userId, periodSeq, ...) index serves.
   */
  async totalsByProvider(periods: readonly { userId: string; periodSeq: number }[]): Promise<Group[]> {
    const totals = new Map<string, Group>();
    for (let i = 0; i < periods.length; i += PERIOD_BATCH) {
      const batch = periods.slice(i, i + PERIOD_BATCH).map((p) => ({ userId: p.userId, periodSeq: p.periodSeq }));
      const rows = await this.model.aggregate<GroupRow>([{ $match: { $or: batch } }, { $group: { _id: '$provider', ...sums } }]).exec();
      for (const group of rows.map(toGroup)) addInto(totals, group);
    }
    return [...totals.values()];
  }

  /** Totals by local day, over every user, from `fromDay` (YYYY-MM-DD) on; served by the day index. */
  async totalsByDay(fromDay: string): Promise<Group[]> {
    const rows = await this.model.aggregate<GroupRow>([{ $match: { day: { $gte: fromDay } } }, { $group: { _id: '$day', ...sums } }]).exec();
    return rows.map(toGroup);
  }

  /**
   * Reconciliation: adds `delta` to a rollup only if it still holds `expected` (null: only if it does
   * not exist yet). False when it changed meanwhile (an event was recorded, another reconciliation
   * ran): the repair is then left to the next run rather than risk counting twice.
   */
  async adjustIf(key: RollupKey, expected: RollupTotals | null, delta: RollupTotals): Promise<boolean> {
    if (expected === null) {
      try {
        const result = await this.model.updateOne(key, { $setOnInsert: { ...delta } }, { upsert: true }).exec();
        return result.upsertedCount === 1;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    }
    const { costMicros, inputTokens, outputTokens, count } = expected;
    const result = await this.model.updateOne({ ...key, costMicros, inputTokens, outputTokens, count }, { $inc: { ...delta } }).exec();
    return result.matchedCount === 1;
  }

  /**
   * Reconciliation: removes a rollup whose totals are all zero after a repair. The zeros are part of
   * the filter, so a rollup that a concurrent event has just incremented stays.
   */
  async deleteIfEmpty(key: RollupKey): Promise<void> {
    await this.model.deleteOne({ ...key, costMicros: 0, inputTokens: 0, outputTokens: 0, count: 0 }).exec();
  }
}

const PERIOD_BATCH = 200;

function addInto(totals: Map<string, Group>, group: Group): void {
  const seen = totals.get(group.key);
  if (!seen) {
    totals.set(group.key, { ...group });
    return;
  }
  seen.costMicros += group.costMicros;
  seen.inputTokens += group.inputTokens;
  seen.outputTokens += group.outputTokens;
  seen.count += group.count;
}

export function rollupStore(connection: Connection): RollupStore {
  return new RollupStore(connection.model<Rollup>('UsageRollup', schema));
}
