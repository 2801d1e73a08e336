import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, ValidationError } from '../../../src/domain/errors.js';
import { ADMIN_ID, USD, useServices, type ServiceFixture } from '../../helpers/services.js';

let f: ServiceFixture;
const admin = { kind: 'admin', id: 'test' } as const;
beforeAll(async () => {
  f = await useServices('2025-12-01T09:00:00Z');
});

describe('manual reset', () => {
  it("follows the user's example and answers with the new period and the spend before", async () => {
    await f.services.usage.record({ userId: 'user123', idempotencyKey: 'r1', model: 'gpt-4o', costMicros: 45_670_000 });
    f.clock.set('2025-12-14T10:30:00Z');
    const result = await f.services.resets.reset(admin, 'user123', 'Starting new project, need fresh budget');
    expect(result.newPeriod.start.toISOString()).toBe('2025-12-14T10:30:00.000Z');
    expect(result.newPeriod.end.toISOString()).toBe('2026-01-14T00:00:00.000Z');
    expect(result.previousSpentMicros).toBe(45_670_000);
    expect(result.entry).toMatchObject({ kind: 'manual', actorKind: 'admin', actorId: 'test', reason: 'Starting new project, need fresh budget', closedSeq: 0 });
    expect(result.entry.before).toMatchObject({ spentMicros: 45_670_000, limitMicros: 50 * USD, alertLevel: 'red' });
    expect(result.entry.before.periodStart.toISOString()).toBe('2025-12-01T00:00:00.000Z');
    expect(result.entry.before.periodEnd.toISOString()).toBe('2025-12-14T10:30:00.000Z');
    const budget = await f.store.budgets.find('user123');
    expect(budget).toMatchObject({ spentMicros: 0, periodSeq: 1, periodAnchor: '2025-12-14', alertsClaimed: [] });
    // A "your budget has reset" DM is queued.
    expect((await f.store.outbox.list({ userId: 'user123' })).filter((n) => n.kind === 'reset')).toHaveLength(1);
  });

  it('re-arms alerts: a level crossed before the reset alerts again after it', async () => {
    const levelsBefore = (await f.store.outbox.list({ userId: 'user123' })).filter((n) => n.kind !== 'reset').map((n) => n.level);
    await f.services.usage.record({ userId: 'user123', idempotencyKey: 'r2', model: 'gpt-4o', costMicros: 25 * USD });
    const yellow = (await f.store.outbox.list({ userId: 'user123' })).filter((n) => n.level === 'yellow');
    expect(levelsBefore).toContain('yellow');
    expect(yellow.map((n) => n.periodSeq)).toEqual([0, 1]);
  });

  it('happens once when 5 resets race, and spend recorded meanwhile lands in exactly one period', async () => {
    f.clock.set('2025-12-20T08:00:00Z');
    const user = 'URACE001';
    await f.services.usage.record({ userId: user, idempotencyKey: 'before', model: 'gpt-4o', costMicros: 10 * USD });
    const during = Array.from({ length: 40 }, (_, i) =>
      f.services.usage.record({ userId: user, idempotencyKey: `during-${i}`, model: 'gpt-4o', costMicros: 100_000 + i }),
    );
    const resets = Array.from({ length: 5 }, () => f.services.resets.reset(admin, user, 'Race test').then(() => 'ok', (e: unknown) => e));
    const [resetOutcomes] = await Promise.all([Promise.all(resets), Promise.all(during)]);

    expect(resetOutcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(resetOutcomes.filter((o) => o instanceof ConflictError)).toHaveLength(4);
    const entries = (await f.store.resets.page(user, 10, null)).items;
    expect(entries).toHaveLength(1);

    const total = 10 * USD + Array.from({ length: 40 }, (_, i) => 100_000 + i).reduce((a, b) => a + b, 0);
    const budget = await f.store.budgets.find(user);
    const oldLedger = await f.store.budgets.ledgerOf(user, 0);
    // Every micro-dollar once: in the closed period's ledger or the new one, as each event's period says.
    expect((oldLedger?.spentMicros ?? 0) + (budget?.spentMicros ?? 0)).toBe(total);
    const events = await f.store.events.list({ userId: user });
    const inNew = events.filter((e) => e.periodSeq === 1).reduce((s, e) => s + e.costMicros, 0);
    const inOld = events.filter((e) => e.periodSeq === 0).reduce((s, e) => s + e.costMicros, 0);
    expect(inNew).toBe(budget?.spentMicros);
    expect(inOld).toBe(oldLedger?.spentMicros);
    // The log keeps the spend at the moment of the reset; a straggler can only add to it.
    expect(entries[0]!.before.spentMicros).toBeLessThanOrEqual(inOld);
    expect(entries[0]!.before.spentMicros).toBeGreaterThanOrEqual(10 * USD);
  });

  it('needs permission and a reason', async () => {
    const owner = { kind: 'user', userId: 'UPLAIN01' } as const;
    await expect(f.services.resets.reset(owner, 'UPLAIN01', 'please')).rejects.toBeInstanceOf(ForbiddenError);
    await f.services.settings.update(admin, 'UPLAIN01', { userCanResetBudget: true });
    await expect(f.services.resets.reset(owner, 'UPLAIN01', '  ')).rejects.toBeInstanceOf(ValidationError);
    await expect(f.services.resets.reset(owner, 'UPLAIN01', 'New quarter')).resolves.toMatchObject({ previousSpentMicros: 0 });
    await expect(f.services.resets.reset({ kind: 'user', userId: 'UPLAIN02' }, 'UPLAIN01', 'not mine')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.resets.reset({ kind: 'service', id: 'gw' }, 'UPLAIN01', 'services cannot')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.resets.reset({ kind: 'user', userId: ADMIN_ID }, 'UPLAIN01', 'Slack admin')).resolves.toMatchObject({ previousSpentMicros: 0 });
  });
});

describe('automatic rollover', () => {
  it('rolls an ended period over on read, once, however many reads race', async () => {
    f.clock.set('2026-02-10T00:00:00Z');
    const user = 'UROLL001';
    await f.services.usage.record({ userId: user, idempotencyKey: 'feb', model: 'gpt-4o', costMicros: 7 * USD });
    f.clock.set('2026-03-01T00:00:00Z');
    const statuses = await Promise.all(Array.from({ length: 20 }, () => f.services.status.status(admin, user)));
    expect(new Set(statuses.map((s) => s.spentMicros))).toEqual(new Set([0]));
    const entries = (await f.store.resets.page(user, 10, null)).items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'automatic', actorKind: 'system', closedSeq: 0 });
    expect(entries[0]?.before.spentMicros).toBe(7 * USD);
    expect(entries[0]?.after.periodStart.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(entries[0]?.after.periodEnd.toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });

  it('skips periods nobody used: one rollover to the period containing now', async () => {
    f.clock.set('2026-07-15T00:00:00Z');
    const status = await f.services.status.status(admin, 'UROLL001');
    expect(status.periodStart.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect((await f.store.resets.page('UROLL001', 10, null)).items).toHaveLength(2);
  });
});

describe('history', () => {
  it('lists resets newest first, page by page', async () => {
    f.clock.set('2026-08-01T00:00:00Z');
    const user = 'UHIST001';
    for (let i = 0; i < 5; i++) {
      f.clock.advance(3_600_000);
      await f.services.resets.reset(admin, user, `Reset number ${i}`);
    }
    const first = await f.services.history.resets(admin, user, { limit: 2 });
    expect(first.items.map((e) => e.reason)).toEqual(['Reset number 4', 'Reset number 3']);
    const second = await f.services.history.resets(admin, user, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((e) => e.reason)).toEqual(['Reset number 2', 'Reset number 1']);
    const third = await f.services.history.resets(admin, user, { limit: 2, cursor: second.nextCursor });
    expect(third.items.map((e) => e.reason)).toEqual(['Reset number 0']);
    expect(third.nextCursor).toBeNull();
    await expect(f.services.history.resets(admin, user, { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(f.services.history.resets(admin, user, { cursor: '{"$gt":""}' })).rejects.toBeInstanceOf(ValidationError);
  });
});
