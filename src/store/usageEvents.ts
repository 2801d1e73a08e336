/** The `usage_events` collection: one document per reported LLM call, unique per idempotency key. */
import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { Micros } from '../domain/money.js';
import { isDuplicateKeyError } from './mongoErrors.js';

/** Which ledger an event was counted in: the current period's, a closed period's, or none (too old). */
export type LedgerPlacement = 'current' | 'closed' | 'none';

export interface UsageEvent {
  id: string;
  userId: string;
  idempotencyKey: string;
  provider: string;
  model: string;
  operation: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: Micros;
  costSource: 'reported' | 'price_table' | 'local';
  occurredAt: Date;
  /** The user's local date of `occurredAt`: the key of the daily rollups. */
  day: string;
  /** The period the event belongs to, and so the ledger it was counted in. */
  periodSeq: number;
  placement: LedgerPlacement;
  recordedAt: Date;
}

type EventDoc = Omit<UsageEvent, 'id'> & { _id: Types.ObjectId };

const schema = new Schema<EventDoc>(
  {
    userId: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    provider: { type: String, required: true },
    model: { type: String, required: true },
    operation: { type: String, required: true },
    inputTokens: { type: Number, required: true },
    outputTokens: { type: Number, required: true },
    costMicros: { type: Number, required: true },
    costSource: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    day: { type: String, required: true },
    periodSeq: { type: Number, required: true },
    placement: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'usage_events' },
);
// Exactly-once: a repeated key for the same user cannot be inserted twice.
schema.index({ userId: 1, idempotencyKey: 1 }, { unique: true });
// Top operations: the most expensive events of a user, read in cost order and stopped after a few.
schema.index({ userId: 1, costMicros: -1 });
// Reconciliation and retention read by time.
schema.index({ userId: 1, occurredAt: 1 });
schema.index({ occurredAt: 1 });

function toEvent(doc: EventDoc): UsageEvent {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id.toHexString() };
}

export class UsageEventStore {
  constructor(private readonly model: Model<EventDoc>) {}

  /** Inserts the event; `duplicate` with the first event when its key was seen before. */
  async insertOnce(event: Omit<UsageEvent, 'id'>): Promise<{ duplicate: false; event: UsageEvent } | { duplicate: true; event: UsageEvent }> {
    const _id = new Types.ObjectId();
    try {
      await this.model.collection.insertOne({ ...event, _id });
      return { duplicate: false, event: { ...event, id: _id.toHexString() } };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const first = await this.model.findOne({ userId: event.userId, idempotencyKey: event.idempotencyKey }).lean<EventDoc>().exec();
      if (!first) throw error;
      return { duplicate: true, event: toEvent(first) };
    }
  }

  /** The most expensive events of a user since `from`, via the (userId, costMicros) index. */
  async mostExpensive(userId: string, from: Date, limit: number): Promise<UsageEvent[]> {
    const docs = await this.model
      .find({ userId, occurredAt: { $gte: from } })
      .sort({ costMicros: -1, occurredAt: -1 })
      .limit(limit)
      .lean<EventDoc[]>()
      .exec();
    return docs.map(toEvent);
  }

  async list(filter: { userId: string; periodSeq?: number }): Promise<UsageEvent[]> {
    const docs = await this.model.find(filter).lean<EventDoc[]>().exec();
    return docs.map(toEvent);
  }

  /**
   * Reconciliation: a user's events of one period summed per local day, and how many of them were
   * recorded after `recentAfter` (their ledger and rollup writes may still be on their way).
   * One aggregation, grouped by a plain field only (MONGODB.md).
   */
  async periodTotalsByDay(userId: string, periodSeq: number, recentAfter: Date): Promise<PeriodDayTotals> {
    const [result] = await this.model
      .aggregate<{ byDay: DayTotalsRow[]; recent: { n: number }[] }>([
        { $match: { userId, periodSeq } },
        {
          $facet: {
            byDay: [
              {
                $group: {
                  _id: '$day',
                  costMicros: { $sum: '$costMicros' },
                  inputTokens: { $sum: '$inputTokens' },
                  outputTokens: { $sum: '$outputTokens' },
                  count: { $sum: 1 },
                },
              },
            ],
            recent: [{ $match: { recordedAt: { $gt: recentAfter } } }, { $count: 'n' }],
          },
        },
      ])
      .exec();
    return {
      byDay: (result?.byDay ?? []).map((row) => ({
        day: row._id,
        costMicros: row.costMicros,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        count: row.count,
      })),
      recentCount: result?.recent[0]?.n ?? 0,
    };
  }

  /** Reconciliation: a user's events of one period on one local day. */
  async listDay(userId: string, periodSeq: number, day: string): Promise<UsageEvent[]> {
    const docs = await this.model.find({ userId, periodSeq, day }).lean<EventDoc[]>().exec();
    return docs.map(toEvent);
  }

  /** Reconciliation: the users with an event that occurred since `since` (served by the occurredAt index). */
  async userIdsActiveSince(since: Date): Promise<string[]> {
    const ids: unknown[] = await this.model.distinct('userId', { occurredAt: { $gte: since } }).exec();
    return ids.filter((id): id is string => typeof id === 'string').sort();
  }

  /**
   * Retention: deletes up to `limit` of the oldest events that occurred before `cutoff`; returns how
   * many went. Small batches keep each delete short; the caller loops until a batch comes back short.
   */
  async deleteOccurredBefore(cutoff: Date, limit: number): Promise<number> {
    const docs = await this.model.find({ occurredAt: { $lt: cutoff } }).sort({ occurredAt: 1 }).limit(limit).lean<EventDoc[]>().exec();
    if (docs.length === 0) return 0;
    const result = await this.model.deleteMany({ _id: { $in: docs.map((d) => d._id) }, occurredAt: { $lt: cutoff } }).exec();
    return result.deletedCount;
  }
}

/** Sums of one local day's events (reconciliation). */
export interface DayTotals {
  day: string;
  costMicros: Micros;
  inputTokens: number;
  outputTokens: number;
  count: number;
}

export interface PeriodDayTotals {
  byDay: DayTotals[];
  /** Events of the period recorded after the `recentAfter` given. */
  recentCount: number;
}

interface DayTotalsRow {
  _id: string;
  costMicros: number;
  inputTokens: number;
  outputTokens: number;
  count: number;
}

export function usageEventStore(connection: Connection): UsageEventStore {
  return new UsageEventStore(connection.model<EventDoc>('UsageEvent', schema));
}
