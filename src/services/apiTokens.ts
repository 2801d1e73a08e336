/**
 * API tokens: admin keys, service keys and personal user tokens. A token is shown once, when it is
 * made; only its SHA-256 is stored. Authentication sits in front of every API call, so verified
 * tokens are cached for a short while: the hot path stays at its own database round trips.
 * A revocation takes effect at once in this process and within `cacheTtlMs` in others.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { actorId, type Actor } from '../domain/actor.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { parseOrThrow, userIdSchema } from '../domain/validation.js';
import { TOKEN_KINDS, type ApiToken, type TokenKind } from '../store/apiTokens.js';
import type { AccessPolicy } from './access.js';
import type { ServiceContext } from './context.js';
import { SingleFlight } from './singleFlight.js';

export const TOKEN_CACHE_TTL_MS = 30_000;
/** Bounds the cache, so a flood of made-up tokens cannot grow memory without end. */
const TOKEN_CACHE_MAX_ENTRIES = 10_000;
/** lastUsedAt is written at most this often per token, so using a token is not a write. */
const TOUCH_EVERY_MS = 60_000;
const PREFIX_LENGTH = 12;
const TOKEN_PATTERN = /^bb_(adm|svc|usr)_[A-Za-z0-9_-]{43}$/;
const KIND_TAG: Record<TokenKind, string> = { admin: 'adm', service: 'svc', user: 'usr' };

const createSchema = z
  .strictObject({
    kind: z.enum(TOKEN_KINDS as [TokenKind, ...TokenKind[]]),
    userId: userIdSchema.optional(),
    name: z.string().trim().max(100, 'must be at most 100 characters').optional(),
  })
  .refine((t) => (t.kind === 'user') === (t.userId !== undefined), {
    message: 'is required for user tokens and not allowed for admin and service tokens',
    path: ['userId'],
  });
export type CreateTokenInput = z.input<typeof createSchema>;

export interface CreatedToken {
  token: ApiToken;
  /** The token itself: shown this once, never stored. */
  secret: string;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export class ApiTokenService {
  private readonly cache = new Map<string, { actor: Actor | null; tokenId: string | null; at: number }>();
  private readonly touched = new Map<string, number>();
  private readonly lookups = new SingleFlight<string, ApiToken | null>();
  /** Counts revocations, so a lookup that began before one does not cache what it read. */
  private revocations = 0;
  private readonly envAdminHash: Buffer | null;

  constructor(
    private readonly ctx: Pick<ServiceContext, 'store' | 'clock'>,
    private readonly access: AccessPolicy,
    envAdminToken: string | undefined,
    private readonly cacheTtlMs = TOKEN_CACHE_TTL_MS,
  ) {
    this.envAdminHash = envAdminToken ? Buffer.from(sha256(envAdminToken), 'hex') : null;
  }

  /** Admins make tokens of any kind; a user may make a personal token for themselves. */
  async create(actor: Actor, input: CreateTokenInput): Promise<CreatedToken> {
    const parsed = parseOrThrow(createSchema, input, 'token');
    const forSelf = actor.kind === 'user' && parsed.kind === 'user' && parsed.userId === actor.userId;
    if (!forSelf && !(await this.access.actorIsAdmin(actor))) throw new ForbiddenError('Only admins can create API tokens');
    const secret = `bb_${KIND_TAG[parsed.kind]}_${randomBytes(32).toString('base64url')}`;
    const token = await this.ctx.store.tokens.insert({
      kind: parsed.kind,
      userId: parsed.userId ?? null,
      name: parsed.name ?? '',
      prefix: secret.slice(0, PREFIX_LENGTH),
      hash: sha256(secret),
      createdBy: actorId(actor),
      createdAt: this.ctx.clock(),
      lastUsedAt: null,
      revokedAt: null,
    });
    return { token, secret };
  }

  async list(actor: Actor, filter: { kind?: TokenKind; userId?: string; includeRevoked?: boolean } = {}): Promise<ApiToken[]> {
    if (!(await this.access.actorIsAdmin(actor))) throw new ForbiddenError('Only admins can list API tokens');
    return this.ctx.store.tokens.list(filter);
  }

  async revoke(actor: Actor, id: string): Promise<ApiToken> {
    if (!(await this.access.actorIsAdmin(actor))) throw new ForbiddenError('Only admins can revoke API tokens');
    const revoked = await this.ctx.store.tokens.revoke(id, this.ctx.clock());
    if (!revoked) throw new NotFoundError(`No live API token with id ${id}`);
    this.revocations += 1;
    this.cache.delete(revoked.hash);
    return revoked;
  }

  /** The actor a bearer token stands for, or null when it is unknown, malformed or revoked. */
  async authenticate(raw: string): Promise<Actor | null> {
    return (await this.identify(raw))?.actor ?? null;
  }

  /**
   * The actor, and the token's SHA-256 (hex) as a key for what is counted per token (the API's rate
   * limit), so the hot path hashes each token once. Null when unknown, malformed or revoked.
   */
  async identify(raw: string): Promise<{ actor: Actor; tokenHash: string } | null> {
    const hash = sha256(raw);
    if (this.envAdminHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.envAdminHash)) return { actor: { kind: 'admin', id: 'ADMIN_API_TOKEN' }, tokenHash: hash };
    if (!TOKEN_PATTERN.test(raw)) return null;
    const now = Date.now();
    let entry = this.cache.get(hash);
    if (!entry || now - entry.at >= this.cacheTtlMs) {
      const revocations = this.revocations;
      const token = await this.lookups.run(hash, () => this.ctx.store.tokens.findByHash(hash));
      if (revocations !== this.revocations) return this.identify(raw);
      entry = { actor: token && !token.revokedAt ? actorFor(token) : null, tokenId: token?.id ?? null, at: now };
      this.remember(hash, entry);
    }
    if (!entry.actor) return null;
    if (entry.tokenId) this.noteUse(entry.tokenId, now);
    return { actor: entry.actor, tokenHash: hash };
  }

  private remember(hash: string, entry: { actor: Actor | null; tokenId: string | null; at: number }): void {
    this.cache.delete(hash);
    // A Map iterates in insertion order: the first key is the least recently looked up.
    if (this.cache.size >= TOKEN_CACHE_MAX_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(hash, entry);
  }

  private noteUse(tokenId: string, now: number): void {
    const last = this.touched.get(tokenId) ?? 0;
    if (now - last < TOUCH_EVERY_MS) return;
    this.touched.set(tokenId, now);
    // Best effort: a lost lastUsedAt update is not worth failing or delaying a request for.
    void this.ctx.store.tokens.touch(tokenId, this.ctx.clock()).catch(() => undefined);
  }
}

function actorFor(token: ApiToken): Actor {
  if (token.kind === 'user' && token.userId) return { kind: 'user', userId: token.userId };
  return { kind: token.kind === 'admin' ? 'admin' : 'service', id: token.id };
}
