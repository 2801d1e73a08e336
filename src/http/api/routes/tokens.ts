/**
 * /admin/tokens: admins create API tokens of every kind (the token is shown once, in the answer to
 * POST), list them (never the token, only its prefix) and revoke them.
 */
import { z } from 'zod';
import { fieldError } from '../../../domain/errors.js';
import { TOKEN_KINDS, type ApiToken, type TokenKind } from '../../../store/apiTokens.js';
import { isoOrNull, isoSeconds } from '../format.js';
import { defineRoute } from '../route.js';
import { nextCursor, pageQuery, timestamp, userId } from '../schemas.js';

const kind = z.enum(TOKEN_KINDS as [TokenKind, ...TokenKind[]]);
const tokenId = z.string().regex(/^[0-9a-f]{24}$/, 'is not a token id (24 hex characters)');
const DEFAULT_PAGE = 50;

const tokenEntry = z.strictObject({
  id: z.string(),
  kind,
  user_id: z.string().nullable().describe('The user a user token acts as'),
  name: z.string(),
  prefix: z.string().describe('The first characters of the token, to tell tokens apart'),
  created_by: z.string(),
  created_at: timestamp,
  last_used_at: timestamp.nullable().describe('Updated at most once a minute'),
  revoked_at: timestamp.nullable(),
});

function tokenJson(t: ApiToken): z.input<typeof tokenEntry> {
  return {
    id: t.id,
    kind: t.kind,
    user_id: t.userId,
    name: t.name,
    prefix: t.prefix,
    created_by: t.createdBy,
    created_at: isoSeconds(t.createdAt),
    last_used_at: isoOrNull(t.lastUsedAt),
    revoked_at: isoOrNull(t.revokedAt),
  };
}

/** Tokens come newest first (by id); a page continues after the id of the previous page's last one. */
function page(tokens: ApiToken[], limit: number, cursor: string | undefined): { items: ApiToken[]; next: string | null } {
  if (cursor !== undefined && !/^[0-9a-f]{24}$/.test(cursor)) throw fieldError('cursor', 'is not a cursor this API returned');
  const after = cursor === undefined ? tokens : tokens.filter((t) => t.id < cursor);
  const items = after.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: after.length > limit && last ? last.id : null };
}

export const tokenRoutes = [
  defineRoute({
    method: 'post',
    path: '/admin/tokens',
    operationId: 'createToken',
    tag: 'Tokens',
    summary: 'Create an API token (shown this once)',
    description: 'kind admin, service (record usage, check, read any user) or user (acts as user_id only). Only a hash is stored.',
    auth: 'admin',
    body: z.strictObject({
      kind,
      user_id: userId.optional().describe('Required for a user token; not allowed for the other kinds'),
      name: z.string().trim().max(100).optional().describe('A label, e.g. "LLM gateway"'),
    }),
    response: {
      schema: z.strictObject({
        id: z.string(),
        kind,
        prefix: z.string(),
        token: z.string().describe('The token: shown this once, never again'),
      }),
      statuses: { 201: 'The token was created' },
    },
    errors: [403],
    async handle({ actor, services, body }) {
      const { token, secret } = await services.tokens.create(actor, { kind: body.kind, userId: body.user_id, name: body.name });
      return { status: 201, body: { id: token.id, kind: token.kind, prefix: token.prefix, token: secret } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/admin/tokens',
    operationId: 'listTokens',
    tag: 'Tokens',
    summary: 'List API tokens (never the tokens themselves)',
    auth: 'admin',
    query: z.strictObject({
      kind: kind.optional(),
      user_id: userId.optional().describe("Only this user's tokens"),
      include_revoked: z.enum(['true', 'false']).optional().describe('Also list revoked tokens (default false)'),
      ...pageQuery,
    }),
    response: {
      schema: z.strictObject({ items: z.array(tokenEntry).describe('Newest first'), next_cursor: nextCursor }),
      statuses: { 200: 'A page of tokens' },
    },
    errors: [403],
    async handle({ actor, services, query }) {
      const tokens = await services.tokens.list(actor, { kind: query.kind, userId: query.user_id, includeRevoked: query.include_revoked === 'true' });
      const { items, next } = page(tokens, query.limit ?? DEFAULT_PAGE, query.cursor);
      return { status: 200, body: { items: items.map(tokenJson), next_cursor: next } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/admin/tokens/{id}',
    operationId: 'revokeToken',
    tag: 'Tokens',
    summary: 'Revoke an API token: it stops working at once',
    auth: 'admin',
    params: z.strictObject({ id: tokenId }),
    response: { schema: tokenEntry, statuses: { 200: 'The token, now revoked' } },
    errors: [403, 404],
    async handle({ actor, services, params }) {
      return { status: 200, body: tokenJson(await services.tokens.revoke(actor, params.id)) };
    },
  }),
];
