/**
 * The `reset_log` collection: one entry per closed period (manual reset or automatic rollover), with
 * who, when, why and the state before and after. An entry is also the closed period's ledger: events
 * that arrive late for it are added to `lateSpentMicros`.
 */
import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { AlertLevel } from '../domain/levels.js';
import type { Micros } from '../domain/money.js';
import type { ActorKind } from '../domain/actor.js';
import { newestFirst, type Page } from './paging.js';

export interface PeriodSnapshot {
  periodStart: Date;
  periodEnd: Date;
  spentMicros: Micros;
  limitMicros: Micros;
  alertLevel: AlertLevel;
}

export interface ResetEntry {
  id: string;
  userId: string;
  /** The period this reset closed; unique per user, so each period is closed once. */
  closedSeq: number;
  kind: 'manual' | 'automatic';
  actorKind: ActorKind;
  actorId: string;
  reason: string;
  resetAt: Date;
  before: PeriodSnapshot;
  after: PeriodSnapshot;
  /** Spend of events for the closed period that arrived after it closed. */
  lateSpentMicros: Micros;
}

type ResetDoc = Omit<ResetEntry, 'id'> & { _id: Types.ObjectId };

const snapshot = {
  periodStart: { type: Date, required: true },
  periodEnd: { type: Date, required: true },
  spentMicros: { type: Number, required: true },
  limitMicros: { type: Number, required: true },
  alertLevel: { type: String, required: true },
};

const schema = new Schema<ResetDoc>(
  {
    userId: { type: String, required: true },
    closedSeq: { type: Number, required: true },
    kind: { type: String, required: true },
    actorKind: { type: String, required: true },
    actorId: { type: String, required: true },
    reason: { type: String, default: '' },
    resetAt: { type: Date, required: true },
    before: snapshot,
    after: snapshot,
    lateSpentMicros: { type: Number, default: 0 },
  },
  { versionKey: false, collection: 'reset_log' },
);
schema.index({ userId: 1, closedSeq: 1 }, { unique: true });
schema.index({ userId: 1, resetAt: -1, _id: -1 });

function toEntry(doc: ResetDoc): ResetEntry {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id.toHexString() };
}

export class ResetLogStore {
  constructor(private readonly model: Model<ResetDoc>) {}

  async insert(entry: Omit<ResetEntry, 'id'>): Promise<ResetEntry> {
    const _id = new Types.ObjectId();
    await this.model.collection.insertOne({ ...entry, _id });
    return { ...entry, id: _id.toHexString() };
  }

  /** Adds a late event to the ledger of the closed period `closedSeq`; false when no entry exists. */
  async addLateSpend(userId: string, closedSeq: number, cost: Micros): Promise<boolean> {
    const result = await this.model.updateOne({ userId, closedSeq }, { $inc: { lateSpentMicros: cost } }).exec();
    return result.matchedCount === 1;
  }

  /** The closed period of a user that contained `at`, if any. */
  async findPeriodContaining(userId: string, at: Date): Promise<ResetEntry | null> {
    const doc = await this.model
      .findOne({ userId, 'before.periodStart': { $lte: at }, 'before.periodEnd': { $gt: at } })
      .lean<ResetDoc>()
      .exec();
    return doc ? toEntry(doc) : null;
  }

  /** Newest first; the cursor is the id of the last entry of the previous page. */
  async page(userId: string, limit: number, cursor: string | null): Promise<Page<ResetEntry>> {
    return newestFirst(this.model, userId, limit, cursor, toEntry);
  }
}

export function resetLogStore(connection: Connection): ResetLogStore {
  return new ResetLogStore(connection.model<ResetDoc>('ResetEntry', schema));
}
