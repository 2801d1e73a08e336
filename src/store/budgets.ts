/** The `budgets` collection: one document per user, holding settings and the current period's ledger. */
import { Schema, type Connection, type Model } from 'mongoose';
import type { BudgetRecord } from '../domain/budget.js';
import type { AlertingLevel } from '../domain/levels.js';
import type { Micros } from '../domain/money.js';
import { isDuplicateKeyError } from './mongoErrors.js';

type BudgetDoc = Omit<BudgetRecord, 'userId'> & { _id: string };

const schema = new Schema<BudgetDoc>(
  {
    _id: { type: String, required: true },
    displayName: { type: String, default: null },
    email: { type: String, default: null },
    timezone: { type: String, required: true },
    timezoneSource: { type: String, required: true },
    profileSyncedAt: { type: Date, default: null },
    role: { type: String, required: true },
    limitMicros: { type: Number, required: true },
    limitCeilingMicros: { type: Number, default: null },
    periodType: { type: String, required: true },
    periodAnchor: { type: String, required: true },
    customPeriodDays: { type: Number, required: true },
    thresholds: { yellow: Number, orange: Number, red: Number },
    enforceBudget: { type: Boolean, required: true },
    autoFallback: { type: Boolean, required: true },
    fallbackModel: { type: String, required: true },
    budgetVisibleToUser: { type: Boolean, required: true },
    userCanModifyLimit: { type: Boolean, required: true },
    userCanResetBudget: { type: Boolean, required: true },
    adminNotes: { type: String, default: '' },
    periodSeq: { type: Number, required: true },
    periodStart: { type: Date, required: true },
    periodEnd: { type: Date, required: true },
    spentMicros: { type: Number, required: true },
    eventCount: { type: Number, required: true },
    alertsClaimed: { type: [String], default: [] },
    settingsVersion: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'budgets' },
);
// The rollover sweep finds ended periods; the admin list sorts by spend.
schema.index({ periodEnd: 1 });
schema.index({ spentMicros: -1 });

function toRecord(doc: BudgetDoc): BudgetRecord {
  const { _id, ...rest } = doc;
  return {
    ...rest,
    userId: _id,
    thresholds: { yellow: doc.thresholds.yellow, orange: doc.thresholds.orange, red: doc.thresholds.red },
    alertsClaimed: [...doc.alertsClaimed],
  };
}

function toDoc(record: BudgetRecord): BudgetDoc {
  const { userId, ...rest } = record;
  return { ...rest, _id: userId };
}

/** The fields a rollover or reset replaces. */
export interface PeriodChange {
  periodSeq: number;
  periodStart: Date;
  periodEnd: Date;
  periodAnchor: string;
  updatedAt: Date;
}

export class BudgetStore {
  constructor(private readonly model: Model<BudgetDoc>) {}

  async find(userId: string): Promise<BudgetRecord | null> {
    const doc = await this.model.findById(userId).lean<BudgetDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** Inserts `record` unless the user exists; returns whichever is stored. One round trip. */
  async insertIfMissing(record: BudgetRecord): Promise<BudgetRecord> {
    const { _id, ...fields } = toDoc(record);
    try {
      const doc = await this.model
        .findOneAndUpdate({ _id }, { $setOnInsert: fields }, { upsert: true, returnDocument: 'after' })
        .lean<BudgetDoc>()
        .exec();
      if (doc) return toRecord(doc);
    } catch (error) {
      // Two upserts of one new _id can race; the loser reads what the winner wrote.
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await this.find(record.userId);
    if (!existing) throw new Error(`budget ${record.userId} vanished while being created`);
    return existing;
  }

  /** Adds spend to the ledger of period `periodSeq`; null when that period is no longer current. */
  async addSpend(userId: string, periodSeq: number, cost: Micros): Promise<BudgetRecord | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: userId, periodSeq },
        { $inc: { spentMicros: cost, eventCount: 1 } },
        { returnDocument: 'after' },
      )
      .lean<BudgetDoc>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  async claimAlerts(userId: string, periodSeq: number, levels: AlertingLevel[]): Promise<void> {
    await this.model.updateOne({ _id: userId, periodSeq }, { $addToSet: { alertsClaimed: { $each: levels } } }).exec();
  }

  /**
   * Moves the user from period `fromSeq` to a new one, atomically: only one caller can win for a
   * given `fromSeq`. Returns the state before the change, or null when another caller won.
   */
  async startNewPeriod(userId: string, fromSeq: number, change: PeriodChange): Promise<BudgetRecord | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: userId, periodSeq: fromSeq },
        { $set: { ...change, spentMicros: 0, eventCount: 0, alertsClaimed: [] } },
        { returnDocument: 'before' },
      )
      .lean<BudgetDoc>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /**
   * Writes new settings if nobody changed them since `settingsVersion` was read (and the period is
   * the same one); returns the state after, or null when the caller must read again and retry.
   */
  async replaceSettings(
    userId: string,
    expected: { settingsVersion: number; periodSeq: number },
    fields: Partial<Omit<BudgetRecord, 'userId' | 'spentMicros' | 'eventCount' | 'alertsClaimed' | 'periodSeq'>>,
  ): Promise<BudgetRecord | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: userId, settingsVersion: expected.settingsVersion, periodSeq: expected.periodSeq },
        { $set: { ...fields, settingsVersion: expected.settingsVersion + 1 } },
        { returnDocument: 'after' },
      )
      .lean<BudgetDoc>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /** Every budget, for the admin directory (sorted and filtered in code: see UserDirectory). */
  async all(): Promise<BudgetRecord[]> {
    const docs = await this.model.find({}).lean<BudgetDoc[]>().exec();
    return docs.map(toRecord);
  }

  /** Users whose period ended before `now`, for the rollover sweep. */
  async findEnded(now: Date, limit: number): Promise<BudgetRecord[]> {
    const docs = await this.model.find({ periodEnd: { $lte: now } }).sort({ periodEnd: 1 }).limit(limit).lean<BudgetDoc[]>().exec();
    return docs.map(toRecord);
  }
}

export function budgetStore(connection: Connection): BudgetStore {
  return new BudgetStore(connection.model<BudgetDoc>('Budget', schema));
}
