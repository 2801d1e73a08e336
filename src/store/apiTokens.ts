/** The `api_tokens` collection: hashes of API tokens (never the tokens), with who made them and when. */
import { Schema, Types, type Connection, type Model } from 'mongoose';

export type TokenKind = 'admin' | 'service' | 'user';
export const TOKEN_KINDS: readonly TokenKind[] = ['admin', 'service', 'user'];

export interface ApiToken {
  id: string;
  kind: TokenKind;
  /** The user a `user` token acts as; null for admin and service tokens. */
  userId: string | null;
  name: string;
  /** The first characters of the token, shown in lists so people can tell keys apart. */
  prefix: string;
  /** SHA-256 of the token, hex. Tokens are 256 random bits, so a fast hash is enough. */
  hash: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

type TokenDoc = Omit<ApiToken, 'id'> & { _id: Types.ObjectId };

const schema = new Schema<TokenDoc>(
  {
    kind: { type: String, required: true },
    userId: { type: String, default: null },
    name: { type: String, default: '' },
    prefix: { type: String, required: true },
    hash: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { versionKey: false, collection: 'api_tokens' },
);
schema.index({ hash: 1 }, { unique: true });
schema.index({ userId: 1, createdAt: -1 });

function toToken(doc: TokenDoc): ApiToken {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id.toHexString() };
}

export class ApiTokenStore {
  constructor(private readonly model: Model<TokenDoc>) {}

  async insert(token: Omit<ApiToken, 'id'>): Promise<ApiToken> {
    const _id = new Types.ObjectId();
    await this.model.collection.insertOne({ ...token, _id });
    return { ...token, id: _id.toHexString() };
  }

  async findByHash(hash: string): Promise<ApiToken | null> {
    const doc = await this.model.findOne({ hash }).lean<TokenDoc>().exec();
    return doc ? toToken(doc) : null;
  }

  async list(filter: { kind?: TokenKind; userId?: string; includeRevoked?: boolean } = {}): Promise<ApiToken[]> {
    const query: Record<string, unknown> = {};
    if (filter.kind) query.kind = filter.kind;
    if (filter.userId) query.userId = filter.userId;
    if (!filter.includeRevoked) query.revokedAt = null;
    const docs = await this.model.find(query).sort({ _id: -1 }).lean<TokenDoc[]>().exec();
    return docs.map(toToken);
  }

  /** Revokes a live token; null when there is no such token or it was revoked already. */
  async revoke(id: string, at: Date): Promise<ApiToken | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.model
      .findOneAndUpdate({ _id: new Types.ObjectId(id), revokedAt: null }, { $set: { revokedAt: at } }, { returnDocument: 'after' })
      .lean<TokenDoc>()
      .exec();
    return doc ? toToken(doc) : null;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: new Types.ObjectId(id) }, { $set: { lastUsedAt: at } }).exec();
  }
}

export function apiTokenStore(connection: Connection): ApiTokenStore {
  return new ApiTokenStore(connection.model<TokenDoc>('ApiToken', schema));
}
