/** The `budgets` collection: one document per user, holding settings and the current period's ledger. */
import type { Collection } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import type { BudgetRecord } from '../domain/budget.js';
import type { AlertingLevel } from '../domain/levels.js';
import type { Micros } from '../domain/money.js';
import { isDuplicateKeyError } from './mongoErrors.js';

/**
 * Spend and event counts are kept per period, keyed `s<periodSeq>`: recording adds to the period
 * the event belongs to with a plain $inc, and a reset only moves `periodSeq` on. No update ever
 * has to zero a ledger that other requests are adding to, so each exactly-once step is a
 * conditional updateOne: atomic on MongoDB and on the test engine alike (jongodb's conditional
 * findOneAndUpdate is not: two callers can both pass one condition). The current and the previous
 * period's keys are kept; older ones are dropped when a period closes.
 */
type BudgetDoc = Omit<BudgetRecord, 'userId' | 'spentMicros' | 'eventCount'> & {
  _id: string;
  spent: Record<string, number>;
  events: Record<string, number>;
};

const ledgerKey = (periodSeq: number): string => `s${periodSeq}`;

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
    spent: { type: Schema.Types.Mixed, default: {} },
    events: { type: Schema.Types.Mixed, default: {} },
    alertsClaimed: { type: [String], default: [] },
    settingsVersion: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'budgets' },
);
// The rollover sweep finds ended periods; the admin list sorts by spend.
schema.index({ periodEnd: 1 });

/**
 * Every field is copied by name. A document fresh from BSON has ~30 keys added one by one, which
 * leaves V8 with a slow dictionary-mode object: spreading it (`{ ...doc }`) cost ~10 µs per read,
 * 4 % of a budget check. A literal gets a fast shape, and no stray stored field leaks through.
 */
function toRecord(doc: BudgetDoc): BudgetRecord {
  const key = ledgerKey(doc.periodSeq);
  return {
    userId: doc._id,
    displayName: doc.displayName,
    email: doc.email,
    timezone: doc.timezone,
    timezoneSource: doc.timezoneSource,
    profileSyncedAt: doc.profileSyncedAt,
    role: doc.role,
    limitMicros: doc.limitMicros,
    limitCeilingMicros: doc.limitCeilingMicros,
    periodType: doc.periodType,
    periodAnchor: doc.periodAnchor,
    customPeriodDays: doc.customPeriodDays,
    thresholds: { yellow: doc.thresholds.yellow, orange: doc.thresholds.orange, red: doc.thresholds.red },
    enforceBudget: doc.enforceBudget,
    autoFallback: doc.autoFallback,
    fallbackModel: doc.fallbackModel,
    budgetVisibleToUser: doc.budgetVisibleToUser,
    userCanModifyLimit: doc.userCanModifyLimit,
    userCanResetBudget: doc.userCanResetBudget,
    adminNotes: doc.adminNotes,
    periodSeq: doc.periodSeq,
    periodStart: doc.periodStart,
    periodEnd: doc.periodEnd,
    spentMicros: doc.spent[key] ?? 0,
    eventCount: doc.events[key] ?? 0,
    alertsClaimed: [...doc.alertsClaimed],
    settingsVersion: doc.settingsVersion,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toDoc(record: BudgetRecord): BudgetDoc {
  const { userId, spentMicros, eventCount, ...rest } = record;
  const key = ledgerKey(record.periodSeq);
  return { ...rest, _id: userId, spent: { [key]: spentMicros }, events: { [key]: eventCount } };
}

/** The fields a rollover or reset replaces. */
export interface PeriodChange {
  periodSeq: number;
  periodStart: Date;
  periodEnd: Date;
  periodAnchor: string;
  updatedAt: Date;
}

/** The fields a Slack profile sync may write (see saveProfile). */
export type ProfileFields = Partial<Pick<BudgetRecord, 'displayName' | 'email' | 'timezone' | 'timezoneSource' | 'periodStart' | 'periodEnd'>> &
  Pick<BudgetRecord, 'profileSyncedAt' | 'updatedAt'>;

export class BudgetStore {
  /** The driver's collection under the model, typed by its documents (mongoose leaves the document type open). */
  private readonly collection: Collection<BudgetDoc>;

  constructor(private readonly model: Model<BudgetDoc>) {
    this.collection = model.collection as unknown as Collection<BudgetDoc>;
  }

  /**
   * The read in front of every check, status and usage event. It and the other hot-path queries
   * (addSpend here, the rollup's upsert) go to the driver's collection directly: a mongoose query
   * (building, casting, hooks) cost ~40 µs of CPU more each, and there is nothing here to cast.
   */
  async find(userId: string): Promise<BudgetRecord | null> {
    const doc = await this.collection.findOne({ _id: userId });
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

  /**
   * Adds one event's cost to the ledger of period `periodSeq` (the current or the previous one).
   * Returns the budget after, and that period's spend after; the budget's own period may have moved
   * on meanwhile.
   */
  async addSpend(userId: string, periodSeq: number, cost: Micros): Promise<{ budget: BudgetRecord; periodSpentMicros: Micros } | null> {
    const key = ledgerKey(periodSeq);
    // On the driver's collection, like find: it runs for every usage event.
    const doc = await this.collection.findOneAndUpdate({ _id: userId }, { $inc: { [`spent.${key}`]: cost, [`events.${key}`]: 1 } }, { returnDocument: 'after' });
    return doc ? { budget: toRecord(doc), periodSpentMicros: doc.spent[key] ?? 0 } : null;
  }

  /** The ledger of one period, while the budget keeps it (the current and the previous one). */
  async ledgerOf(userId: string, periodSeq: number): Promise<{ spentMicros: Micros; eventCount: number } | null> {
    const doc = await this.model.findById(userId).lean<BudgetDoc>().exec();
    const key = ledgerKey(periodSeq);
    if (!doc || !(key in doc.spent)) return null;
    return { spentMicros: doc.spent[key] ?? 0, eventCount: doc.events[key] ?? 0 };
  }

  async claimAlerts(userId: string, periodSeq: number, levels: AlertingLevel[]): Promise<void> {
    await this.model.updateOne({ _id: userId, periodSeq }, { $addToSet: { alertsClaimed: { $each: levels } } }).exec();
  }

  /**
   * Moves the user from period `fromSeq` to a new one: only one caller can win for a given
   * `fromSeq`. Returns the budget after and the closed period's spend at that moment, or null when
   * another caller won. The ledger of the period before `fromSeq` is dropped.
   */
  async startNewPeriod(userId: string, fromSeq: number, change: PeriodChange): Promise<{ after: BudgetRecord; closedSpentMicros: Micros; closedEventCount: number } | null> {
    const old = ledgerKey(fromSeq - 1);
    const claimed = await this.model
      .updateOne({ _id: userId, periodSeq: fromSeq }, { $set: { ...change, alertsClaimed: [] }, $unset: { [`spent.${old}`]: '', [`events.${old}`]: '' } })
      .exec();
    if (claimed.modifiedCount !== 1) return null;
    const doc = await this.model.findById(userId).lean<BudgetDoc>().exec();
    if (!doc) return null;
    const closed = ledgerKey(fromSeq);
    return { after: toRecord(doc), closedSpentMicros: doc.spent[closed] ?? 0, closedEventCount: doc.events[closed] ?? 0 };
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
    return this.setIfUnchanged(userId, expected, fields);
  }

  /**
   * Stores what Slack's users.info said about the user (name, email, time zone and, while the budget
   * is on its first automatic period, that period recomputed in the new zone). Conditional on the
   * settings version and period read, like replaceSettings, and moves the version on, so a settings
   * change racing with it reads again instead of overwriting. Null when the caller must retry.
   */
  async saveProfile(userId: string, expected: { settingsVersion: number; periodSeq: number }, fields: ProfileFields): Promise<BudgetRecord | null> {
    return this.setIfUnchanged(userId, expected, fields);
  }

  /** A conditional updateOne, then a read: exact on both engines (see BudgetDoc). */
  private async setIfUnchanged(userId: string, expected: { settingsVersion: number; periodSeq: number }, fields: object): Promise<BudgetRecord | null> {
    const result = await this.model
      .updateOne(
        { _id: userId, settingsVersion: expected.settingsVersion, periodSeq: expected.periodSeq },
        { $set: { ...fields, settingsVersion: expected.settingsVersion + 1 } },
      )
      .exec();
    return result.modifiedCount === 1 ? this.find(userId) : null;
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

  /**
   * Reconciliation: corrects the ledger of period `periodSeq` by a delta, only if the ledger still
   * holds what reconciliation read (`expected`). Anything written since (spend recorded, another
   * reconciliation, the period closing) makes it a no-op (null), so a repair never double-counts
   * and never overwrites; the next run looks again. An updateOne and then a read, not one
   * findOneAndUpdate: jongodb lets two concurrent findOneAndUpdates both pass the same condition
   * (seen here), while its conditional updateOne is exact; repairs are rare, the read is cheap.
   */
  async adjustLedger(
    userId: string,
    expected: { periodSeq: number; spentMicros: Micros; eventCount: number },
    delta: { spentMicros: Micros; eventCount: number },
  ): Promise<BudgetRecord | null> {
    const key = ledgerKey(expected.periodSeq);
    // A ledger with nothing in it may have no key yet: null matches a missing field.
    const holds = (value: number) => (value === 0 ? { $in: [0, null] } : value);
    const result = await this.model
      .updateOne(
        { _id: userId, periodSeq: expected.periodSeq, [`spent.${key}`]: holds(expected.spentMicros), [`events.${key}`]: holds(expected.eventCount) },
        { $inc: { [`spent.${key}`]: delta.spentMicros, [`events.${key}`]: delta.eventCount } },
      )
      .exec();
    return result.matchedCount === 1 ? this.find(userId) : null;
  }
}

export function budgetStore(connection: Connection): BudgetStore {
  return new BudgetStore(connection.model<BudgetDoc>('Budget', schema));
}
