/** The `settings_audit` collection: one entry per settings change, with the values before and after. */
import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { ActorKind } from '../domain/actor.js';
import { newestFirst, type Page } from './paging.js';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface AuditEntry {
  id: string;
  userId: string;
  actorKind: ActorKind;
  actorId: string;
  at: Date;
  changes: FieldChange[];
}

type AuditDoc = Omit<AuditEntry, 'id'> & { _id: Types.ObjectId };

const schema = new Schema<AuditDoc>(
  {
    userId: { type: String, required: true },
    actorKind: { type: String, required: true },
    actorId: { type: String, required: true },
    at: { type: Date, required: true },
    changes: [{ _id: false, field: String, before: Schema.Types.Mixed, after: Schema.Types.Mixed }],
  },
  { versionKey: false, collection: 'settings_audit' },
);
schema.index({ userId: 1, _id: -1 });

function toEntry(doc: AuditDoc): AuditEntry {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id.toHexString(), changes: rest.changes.map((c) => ({ field: c.field, before: c.before, after: c.after })) };
}

export class AuditLogStore {
  constructor(private readonly model: Model<AuditDoc>) {}

  async insert(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const _id = new Types.ObjectId();
    await this.model.collection.insertOne({ ...entry, _id });
    return { ...entry, id: _id.toHexString() };
  }

  async page(userId: string, limit: number, cursor: string | null): Promise<Page<AuditEntry>> {
    return newestFirst(this.model, userId, limit, cursor, toEntry);
  }
}

export function auditLogStore(connection: Connection): AuditLogStore {
  return new AuditLogStore(connection.model<AuditDoc>('AuditEntry', schema));
}
