import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../../src/domain/errors.js';
import { USD, useServices, type ServiceFixture } from '../../helpers/services.js';

let f: ServiceFixture;
const admin = { kind: 'admin', id: 'root' } as const;
beforeAll(async () => {
  f = await useServices();
  const people: [string, string, number, number][] = [
    ['UDIR0001', 'Ada', 100, 10],
    ['UDIR0002', 'Grace', 50, 45],
    ['UDIR0003', 'Linus', 20, 19],
    ['UDIR0004', 'Barbara', 10, 12],
  ];
  for (const [id, name, limit, spent] of people) {
    await f.services.settings.update(admin, id, { limitMicros: limit * USD, displayName: name });
    await f.services.usage.record({ userId: id, idempotencyKey: 'k', model: 'gpt-4o', costMicros: spent * USD });
  }
});

describe('user directory', () => {
  it('sorts by % used by default, highest first', async () => {
    const page = await f.services.users.list(admin);
    expect(page.items.map((e) => [e.budget.displayName, e.status.percentUsed, e.status.alertLevel])).toEqual([
      ['Barbara', 120, 'over'],
      ['Linus', 95, 'red'],
      ['Grace', 90, 'red'],
      ['Ada', 10, 'green'],
    ]);
    expect(page).toMatchObject({ total: 4, nextCursor: null });
  });

  it('sorts by spend or name, filters by level, searches and pages', async () => {
    expect((await f.services.users.list(admin, { sort: 'spend' })).items.map((e) => e.budget.userId)).toEqual(['UDIR0002', 'UDIR0003', 'UDIR0004', 'UDIR0001']);
    expect((await f.services.users.list(admin, { sort: 'name' })).items.map((e) => e.budget.displayName)).toEqual(['Ada', 'Barbara', 'Grace', 'Linus']);
    expect((await f.services.users.list(admin, { level: 'red' })).items.map((e) => e.budget.displayName)).toEqual(['Linus', 'Grace']);
    expect((await f.services.users.list(admin, { search: 'GRA' })).items.map((e) => e.budget.displayName)).toEqual(['Grace']);
    const first = await f.services.users.list(admin, { sort: 'name', limit: 3 });
    const second = await f.services.users.list(admin, { sort: 'name', limit: 3, cursor: first.nextCursor });
    expect(second.items.map((e) => e.budget.displayName)).toEqual(['Linus']);
    expect(second.nextCursor).toBeNull();
  });

  it('is for admins only and refuses bad paging', async () => {
    await expect(f.services.users.list({ kind: 'user', userId: 'UDIR0001' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.users.list({ kind: 'service', id: 'gw' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.users.list(admin, { limit: 1000 })).rejects.toBeInstanceOf(ValidationError);
    await expect(f.services.users.list(admin, { cursor: 'nonsense' })).rejects.toBeInstanceOf(ValidationError);
  });
});
