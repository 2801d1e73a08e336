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

  /** Moves an event to another ledger (only when a reset raced with its recording). */
  async setPlacement(id: string, periodSeq: number, placement: LedgerPlacement): Promise<void> {
    await this.model.updateOne({ _id: new Types.ObjectId(id) }, { $set: { periodSeq, placement } }).exec();
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
}

export function usageEventStore(connection: Connection): UsageEventStore {
  return new UsageEventStore(connection.model<EventDoc>('UsageEvent', schema));
}
