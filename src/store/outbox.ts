/**
 * The `notifications` collection: an outbox of DMs to send. A notification is written in the same
 * step that claims its alert, with a unique `dedupeKey`, so each alert exists once whatever races;
 * a deliverer sends pending ones and marks them sent.
 */
import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { AlertingLevel } from '../domain/levels.js';
import type { Micros } from '../domain/money.js';
import { isDuplicateKeyError } from './mongoErrors.js';

/** Claims lost to other deliverers in a row before giving up until the next run. */
const CLAIM_TRIES = 5;

export type NotificationKind = 'threshold' | 'over_budget' | 'reset';
export type NotificationStatus = 'pending' | 'sent' | 'skipped' | 'failed';

export interface Notification {
  id: string;
  userId: string;
  kind: NotificationKind;
  level: AlertingLevel | null;
  periodSeq: number;
  /** user:period:what — unique, so an alert can be written only once. */
  dedupeKey: string;
  /** Whether the user may see their budget (hidden budgets get no DM, only the admin channel copy). */
  dmUser: boolean;
  spentMicros: Micros;
  limitMicros: Micros;
  periodEnd: Date;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

type NotificationDoc = Omit<Notification, 'id'> & { _id: Types.ObjectId };

const schema = new Schema<NotificationDoc>(
  {
    userId: { type: String, required: true },
    kind: { type: String, required: true },
    level: { type: String, default: null },
    periodSeq: { type: Number, required: true },
    dedupeKey: { type: String, required: true },
    dmUser: { type: Boolean, required: true },
    spentMicros: { type: Number, required: true },
    limitMicros: { type: Number, required: true },
    periodEnd: { type: Date, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
    lastError: { type: String, default: null },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'notifications' },
);
schema.index({ dedupeKey: 1 }, { unique: true });
schema.index({ status: 1, nextAttemptAt: 1 });
schema.index({ userId: 1, createdAt: -1 });

function toNotification(doc: NotificationDoc): Notification {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id.toHexString() };
}

export type NewNotification = Pick<Notification, 'userId' | 'kind' | 'level' | 'periodSeq' | 'dedupeKey' | 'dmUser' | 'spentMicros' | 'limitMicros' | 'periodEnd' | 'createdAt'> & {
  status?: NotificationStatus;
};

export class OutboxStore {
  constructor(private readonly model: Model<NotificationDoc>) {}

  /** Writes the notifications that are new; returns how many were. Duplicates are skipped. */
  async addOnce(notifications: NewNotification[]): Promise<number> {
    if (notifications.length === 0) return 0;
    const docs = notifications.map((n) => ({
      _id: new Types.ObjectId(),
      status: 'pending' as const,
      attempts: 0,
      nextAttemptAt: n.createdAt,
      lockedUntil: null,
      lastError: null,
      sentAt: null,
      ...n,
    }));
    try {
      const result = await this.model.collection.insertMany(docs, { ordered: false });
      return result.insertedCount;
    } catch (error) {
      if (!isDuplicateKeyError(error) && !hasOnlyDuplicateKeyErrors(error)) throw error;
      const inserted = (error as { insertedCount?: number; result?: { insertedCount?: number } }).insertedCount;
      return inserted ?? 0;
    }
  }

  async list(filter: { userId?: string; status?: NotificationStatus } = {}): Promise<Notification[]> {
    const docs = await this.model.find(filter).sort({ _id: 1 }).lean<NotificationDoc[]>().exec();
    return docs.map(toNotification);
  }

  /**
   * Claims the next due notification for `leaseMs`, so two deliverers never send the same one.
   * A read, then a conditional updateOne on what was read: whoever changes `lockedUntil` first owns
   * it (exact on MongoDB and on jongodb, whose conditional findOneAndUpdate can let two callers win).
   */
  async claimDue(now: Date, leaseMs: number): Promise<Notification | null> {
    for (let attempt = 0; attempt < CLAIM_TRIES; attempt++) {
      const due = await this.model
        .findOne({ status: 'pending', nextAttemptAt: { $lte: now }, $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] })
        .sort({ nextAttemptAt: 1 })
        .lean<NotificationDoc>()
        .exec();
      if (!due) return null;
      const lockedUntil = new Date(now.getTime() + leaseMs);
      const claimed = await this.model
        .updateOne({ _id: due._id, status: 'pending', lockedUntil: due.lockedUntil }, { $set: { lockedUntil }, $inc: { attempts: 1 } })
        .exec();
      if (claimed.modifiedCount === 1) return { ...toNotification(due), lockedUntil, attempts: due.attempts + 1 };
      // Another deliverer took it between the read and the claim: look for the next one.
    }
    return null;
  }

  async markSent(id: string, now: Date): Promise<void> {
    await this.model.updateOne({ _id: new Types.ObjectId(id) }, { $set: { status: 'sent', sentAt: now, lockedUntil: null, lastError: null } }).exec();
  }

  async markSkipped(id: string, reason: string): Promise<void> {
    await this.model.updateOne({ _id: new Types.ObjectId(id) }, { $set: { status: 'skipped', lockedUntil: null, lastError: reason } }).exec();
  }

  /** Releases the claim and schedules another try. */
  async retryLater(id: string, nextAttemptAt: Date, error: string): Promise<void> {
    await this.model.updateOne({ _id: new Types.ObjectId(id) }, { $set: { lockedUntil: null, nextAttemptAt, lastError: error } }).exec();
  }
}

function hasOnlyDuplicateKeyErrors(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((e) => isDuplicateKeyError(e) || (typeof e === 'object' && e !== null && 'err' in e && isDuplicateKeyError((e as { err: unknown }).err)));
}

export function outboxStore(connection: Connection): OutboxStore {
  return new OutboxStore(connection.model<NotificationDoc>('Notification', schema));
}
