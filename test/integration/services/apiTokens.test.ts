import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../src/domain/errors.js';
import { ApiTokenService } from '../../../src/services/apiTokens.js';
import { useServices, type ServiceFixture } from '../../helpers/services.js';

let f: ServiceFixture;
let tokens: ApiTokenService;
const admin = { kind: 'admin', id: 'root' } as const;
const ENV_ADMIN = 'env-admin-token-0123456789abcdef';
beforeAll(async () => {
  f = await useServices();
  tokens = new ApiTokenService({ store: f.store, clock: f.clock.now }, f.services.access, ENV_ADMIN);
});

describe('API tokens', () => {
  it('shows a token once, stores only its hash, and authenticates it as its kind', async () => {
    const created = await tokens.create(admin, { kind: 'service', name: 'gateway' });
    expect(created.secret).toMatch(/^bb_svc_[A-Za-z0-9_-]{43}$/);
    expect(created.token).toMatchObject({ kind: 'service', name: 'gateway', prefix: created.secret.slice(0, 12), createdBy: 'root' });
    const raw = await f.db.connection.collection('api_tokens').findOne({});
    expect(JSON.stringify(raw)).not.toContain(created.secret);
    await expect(tokens.authenticate(created.secret)).resolves.toEqual({ kind: 'service', id: created.token.id });
  });

  it('binds user tokens to their user and lets users make their own', async () => {
    const mine = await tokens.create({ kind: 'user', userId: 'UTOK0001' }, { kind: 'user', userId: 'UTOK0001' });
    await expect(tokens.authenticate(mine.secret)).resolves.toEqual({ kind: 'user', userId: 'UTOK0001' });
    await expect(tokens.create({ kind: 'user', userId: 'UTOK0001' }, { kind: 'user', userId: 'UTOK0002' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(tokens.create({ kind: 'user', userId: 'UTOK0001' }, { kind: 'admin' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(tokens.create(admin, { kind: 'user' })).rejects.toBeInstanceOf(ValidationError);
    await expect(tokens.create(admin, { kind: 'service', userId: 'UTOK0001' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses revoked, unknown and malformed tokens, and accepts ADMIN_API_TOKEN', async () => {
    const created = await tokens.create(admin, { kind: 'admin' });
    await expect(tokens.authenticate(created.secret)).resolves.toMatchObject({ kind: 'admin' });
    await tokens.revoke(admin, created.token.id);
    await expect(tokens.authenticate(created.secret)).resolves.toBeNull();
    await expect(tokens.revoke(admin, created.token.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(tokens.authenticate('bb_adm_' + 'x'.repeat(43))).resolves.toBeNull();
    await expect(tokens.authenticate('{"$gt":""}')).resolves.toBeNull();
    await expect(tokens.authenticate(ENV_ADMIN)).resolves.toEqual({ kind: 'admin', id: 'ADMIN_API_TOKEN' });
    expect((await tokens.list(admin)).some((t) => t.id === created.token.id)).toBe(false);
    expect((await tokens.list(admin, { includeRevoked: true })).find((t) => t.id === created.token.id)?.revokedAt).not.toBeNull();
  });

  it('authenticates from memory after the first look-up', async () => {
    const created = await tokens.create(admin, { kind: 'service' });
    await tokens.authenticate(created.secret);
    // Let the first use's best-effort lastUsedAt write go out before counting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    f.db.commands.reset();
    await tokens.authenticate(created.secret);
    expect(f.db.commands.count).toBe(0);
  });
});
