/**
 * The `admin_login_links` collection: one-time sign-in links for the admin page (an admin asks for
 * one in Slack). Only the SHA-256 of a link's token is stored; a link is used at most once and
 * expires after a few minutes.
 */
import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { Actor } from '../domain/actor.js';

export interface AdminLoginLink {
  id: string;
  /** SHA-256 of the token in the link, hex. */
  hash: string;
  /** Who the link signs in (an admin, checked when the link was made). */
  actor: Actor;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

type LinkDoc = Omit<AdminLoginLink, 'id' | 'actor'> & { _id: Types.ObjectId; actorKind: Actor['kind']; actorId: string };

const schema = new Schema<LinkDoc>(
  {
    hash: { type: String, required: true },
    actorKind: { type: String, required: true },
    actorId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'admin_login_links' },
);
schema.index({ hash: 1 }, { unique: true });
// Tidies up on real MongoDB; jongodb never expires TTL indexes, which is harmless here because
// consume() itself refuses expired links (MONGODB.md).
schema.index({ expiresAt: 1 }, { expireAfterSeconds: 3600 });

function toActor(kind: Actor['kind'], id: string): Actor {
  return kind === 'user' ? { kind, userId: id } : { kind, id };
}

function toLink(doc: LinkDoc): AdminLoginLink {
  return {
    id: doc._id.toHexString(),
    hash: doc.hash,
    actor: toActor(doc.actorKind, doc.actorId),
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    usedAt: doc.usedAt,
  };
}

export class AdminLoginLinkStore {
  constructor(private readonly model: Model<LinkDoc>) {}

  async insert(link: { hash: string; actor: Actor; createdAt: Date; expiresAt: Date }): Promise<AdminLoginLink> {
    const _id = new Types.ObjectId();
    const actorId = link.actor.kind === 'user' ? link.actor.userId : link.actor.id;
    const doc: LinkDoc = { _id, hash: link.hash, actorKind: link.actor.kind, actorId, createdAt: link.createdAt, expiresAt: link.expiresAt, usedAt: null };
    await this.model.collection.insertOne(doc);
    return toLink(doc);
  }

  /**
   * Marks the unused, unexpired link with this hash as used and returns it; null when there is no
   * such link. The conditional update decides: of two requests racing with one link, one changes
   * the document and wins. (updateOne, not findOneAndUpdate: on jongodb 0.1.6 a conditional
   * findOneAndUpdate was seen to let two racers win; updateOne stayed exact.)
   */
  async consume(hash: string, now: Date): Promise<AdminLoginLink | null> {
    const result = await this.model.updateOne({ hash, usedAt: null, expiresAt: { $gt: now } }, { $set: { usedAt: now } }).exec();
    if (result.modifiedCount !== 1) return null;
    const doc = await this.model.findOne({ hash }).lean<LinkDoc>().exec();
    return doc ? toLink(doc) : null;
  }
}

export function adminLoginLinkStore(connection: Connection): AdminLoginLinkStore {
  return new AdminLoginLinkStore(connection.model<LinkDoc>('AdminLoginLink', schema));
}
