// Who a request is about, how a bearer token is read, and how tokens are kept out of log lines.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/domain/actor.js';
import { ForbiddenError, ValidationError } from '../../../src/domain/errors.js';
import { bearerToken } from '../../../src/http/api/auth.js';
import { maskTokens } from '../../../src/http/api/requestLog.js';
import { requireAdminToken, targetUser } from '../../../src/http/api/target.js';

const userA: Actor = { kind: 'user', userId: 'UALICE01' };
const service: Actor = { kind: 'service', id: 'svc1' };
const admin: Actor = { kind: 'admin', id: 'adm1' };

describe('targetUser', () => {
  it('a user token acts on its own user, named or not', () => {
    expect(targetUser(userA)).toBe('UALICE01');
    expect(targetUser(userA, 'UALICE01')).toBe('UALICE01');
    expect(targetUser(userA, undefined, 'UALICE01')).toBe('UALICE01');
  });

  it('a user token naming anyone else is forbidden, without echoing the id', () => {
    const error = (() => {
      try {
        return targetUser(userA, 'UBOBBY01');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).message).not.toContain('UBOBBY01');
  });

  it('admin and service tokens must name a user', () => {
    expect(targetUser(service, 'UBOBBY01')).toBe('UBOBBY01');
    expect(targetUser(admin, undefined, 'UBOBBY01')).toBe('UBOBBY01');
    expect(() => targetUser(service)).toThrow(ValidationError);
  });

  it('two different names in one request are a bad request', () => {
    expect(() => targetUser(admin, 'UALICE01', 'UBOBBY01')).toThrow(ValidationError);
    expect(targetUser(admin, 'UALICE01', 'UALICE01')).toBe('UALICE01');
  });

  it('admin routes need an admin token, not a user token of an admin person', () => {
    expect(() => requireAdminToken(admin)).not.toThrow();
    expect(() => requireAdminToken(service)).toThrow(ForbiddenError);
    expect(() => requireAdminToken({ kind: 'user', userId: 'UADMIN01' })).toThrow(ForbiddenError);
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer bb_svc_abc-_DEF', 'bb_svc_abc-_DEF'],
    ['bearer   tok.en~+/=', 'tok.en~+/='],
    ['Bearer', undefined],
    ['Bearer ', undefined],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearer a b', undefined],
    ['Bearer tok"en', undefined],
    [undefined, undefined],
    [`Bearer ${'x'.repeat(600)}`, undefined],
  ])('%s → %s', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});

describe('maskTokens', () => {
  it('masks every Budget Bot token in a text and leaves the rest', () => {
    const token = 'bb_usr_951LvkSOhr9O0EFOgE2e7j47Tnzp-nwhTFKsyjWyQrY';
    expect(maskTokens(`/api/v1/budget/status?token=${token}&x=bb_adm_abc`)).toBe('/api/v1/budget/status?token=bb_usr_[redacted]&x=bb_adm_[redacted]');
    expect(maskTokens('/api/v1/budget/status?user_id=U1')).toBe('/api/v1/budget/status?user_id=U1');
  });
});
