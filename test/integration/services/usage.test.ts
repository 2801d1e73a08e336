import { beforeAll, describe, expect, it } from 'vitest';
import { UnknownModelError, ValidationError } from '../../../src/domain/errors.js';
import { USD, useServices, type ServiceFixture } from '../../helpers/services.js';

let f: ServiceFixture;
beforeAll(async () => {
  f = await useServices('2025-06-10T12:00:00Z');
});

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('recording usage', () => {
  it('counts 1,000 concurrent events for 20 users exactly, with 10 % repeated keys', async () => {
    const random = lcg(42);
    const users = Array.from({ length: 20 }, (_, i) => `ULOAD${String(i).padStart(3, '0')}`);
    const unique = Array.from({ length: 900 }, (_, i) => ({
      userId: users[i % users.length] ?? 'UNONE',
      idempotencyKey: `load-${i}`,
      model: 'anthropic/claude-sonnet-4-5',
      operation: i % 3 === 0 ? 'embedding' : 'chat',
      costMicros: 1 + Math.floor(random() * 250_000),
    }));
    // 100 retries of earlier events (same key, same payload), mixed in at random.
    const repeats = Array.from({ length: 100 }, (_, i) => ({ ...unique[(i * 7) % unique.length]! }));
    const all = [...unique, ...repeats].sort(() => random() - 0.5);

    const results = await Promise.all(all.map((event) => f.services.usage.record(event)));
    expect(results.filter((r) => r.duplicate)).toHaveLength(100);

    for (const user of users) {
      const expected = unique.filter((e) => e.userId === user).reduce((sum, e) => sum + e.costMicros, 0);
      const budget = await f.store.budgets.find(user);
      expect(budget?.spentMicros, user).toBe(expected);
      expect(budget?.eventCount, user).toBe(unique.filter((e) => e.userId === user).length);
      const rollups = await f.store.rollups.list({ userId: user });
      expect(rollups.reduce((sum, r) => sum + r.costMicros, 0), user).toBe(expected);
      expect(rollups.reduce((sum, r) => sum + r.count, 0), user).toBe(unique.filter((e) => e.userId === user).length);
    }
    expect(await f.db.connection.collection('usage_events').countDocuments()).toBe(900);
    // Each retry answered with the event its key first recorded.
    const firstByKey = new Map(results.filter((r) => !r.duplicate).map((r) => [r.event.idempotencyKey, r.event.id]));
    for (const r of results.filter((r) => r.duplicate)) expect(r.event.id).toBe(firstByKey.get(r.event.idempotencyKey));
  }, 120_000);

  it('returns the first result for a repeated key and changes nothing', async () => {
    const first = await f.services.usage.record({ userId: 'UREPEAT1', idempotencyKey: 'same', model: 'gpt-4o', inputTokens: 1000, outputTokens: 500 });
    const again = await f.services.usage.record({ userId: 'UREPEAT1', idempotencyKey: 'same', model: 'gpt-4o', inputTokens: 9000, outputTokens: 9000 });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.event).toEqual(first.event);
    expect(first.event).toMatchObject({ provider: 'openai', model: 'gpt-4o', costMicros: 7_500, costSource: 'price_table' });
    expect((await f.store.budgets.find('UREPEAT1'))?.spentMicros).toBe(7_500);
  });

  it('prices local models at $0 and refuses unknown models without a cost', async () => {
    const local = await f.services.usage.record({ userId: 'ULOCAL01', idempotencyKey: 'l1', model: 'ollama/llama3.1', inputTokens: 50_000, outputTokens: 50_000 });
    expect(local.event).toMatchObject({ costMicros: 0, costSource: 'local', provider: 'ollama' });
    await expect(f.services.usage.record({ userId: 'ULOCAL01', idempotencyKey: 'u1', model: 'acme/mystery-9', inputTokens: 10 })).rejects.toBeInstanceOf(UnknownModelError);
    const reported = await f.services.usage.record({ userId: 'ULOCAL01', idempotencyKey: 'u2', model: 'acme/mystery-9', costMicros: 1234 });
    expect(reported.event).toMatchObject({ costMicros: 1234, costSource: 'reported', provider: 'acme', model: 'mystery-9' });
  });

  it('writes exactly one outbox notification per level when 200 concurrent events cross thresholds', async () => {
    const admin = { kind: 'admin', id: 'test' } as const;
    await f.services.settings.update(admin, 'UALERT01', { limitMicros: 10 * USD });
    // 200 × $0.06 = $12: crosses 40 %, 70 %, 90 % and 100 % of $10.
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => f.services.usage.record({ userId: 'UALERT01', idempotencyKey: `a-${i}`, model: 'gpt-4o', costMicros: 60_000 })),
    );
    const notifications = await f.store.outbox.list({ userId: 'UALERT01' });
    expect(notifications.map((n) => n.level).sort()).toEqual(['orange', 'over', 'red', 'yellow']);
    expect(notifications.find((n) => n.level === 'over')?.kind).toBe('over_budget');
    expect((await f.store.budgets.find('UALERT01'))?.spentMicros).toBe(12 * USD);
    expect((await f.store.budgets.find('UALERT01'))?.alertsClaimed.sort()).toEqual(['orange', 'over', 'red', 'yellow']);
  }, 60_000);

  it('sends one DM, not three, when one event jumps past several levels', async () => {
    await f.services.usage.record({ userId: 'UJUMP001', idempotencyKey: 'j1', model: 'gpt-4o', costMicros: 48 * USD });
    const notifications = await f.store.outbox.list({ userId: 'UJUMP001' });
    expect(notifications.map((n) => [n.level, n.status])).toEqual([
      ['yellow', 'skipped'],
      ['orange', 'skipped'],
      ['red', 'pending'],
    ]);
  });

  it('marks alerts for hidden budgets as not for the user', async () => {
    await f.services.settings.update({ kind: 'admin', id: 'test' }, 'UHIDE002', { budgetVisibleToUser: false });
    await f.services.usage.record({ userId: 'UHIDE002', idempotencyKey: 'h1', model: 'gpt-4o', costMicros: 21 * USD });
    const [notification] = await f.store.outbox.list({ userId: 'UHIDE002' });
    expect(notification).toMatchObject({ level: 'yellow', dmUser: false });
  });

  it('puts a late event into the closed period it belongs to, not the current one', async () => {
    f.clock.set('2025-06-10T12:00:00Z');
    await f.services.usage.record({ userId: 'ULATE001', idempotencyKey: 'may', model: 'gpt-4o', costMicros: 2 * USD });
    f.clock.set('2025-07-01T00:00:05Z');
    await f.services.usage.record({ userId: 'ULATE001', idempotencyKey: 'july', model: 'gpt-4o', costMicros: 3 * USD });
    // Reported after the rollover, but it happened in June.
    const late = await f.services.usage.record({
      userId: 'ULATE001',
      idempotencyKey: 'june-late',
      model: 'gpt-4o',
      costMicros: 4 * USD,
      occurredAt: new Date('2025-06-30T23:59:59Z'),
    });
    expect(late.event).toMatchObject({ placement: 'closed', periodSeq: 0, day: '2025-06-30' });
    expect((await f.store.budgets.find('ULATE001'))?.spentMicros).toBe(3 * USD);
    expect(await f.store.budgets.ledgerOf('ULATE001', 0)).toEqual({ spentMicros: 2 * USD, eventCount: 1 });
    const [entry] = (await f.store.resets.page('ULATE001', 10, null)).items;
    expect(entry).toMatchObject({ kind: 'automatic', closedSeq: 0, lateSpentMicros: 4 * USD });
    expect(entry?.before.spentMicros).toBe(2 * USD);
  });

  it('counts an event older than the previous period in its reset-log entry', async () => {
    // ULATE001 is in its July period now; close it and report a call from June (two periods back).
    f.clock.set('2025-08-01T00:00:05Z');
    await f.services.usage.record({ userId: 'ULATE001', idempotencyKey: 'aug', model: 'gpt-4o', costMicros: USD });
    const older = await f.services.usage.record({
      userId: 'ULATE001',
      idempotencyKey: 'june-later',
      model: 'gpt-4o',
      costMicros: 5 * USD,
      occurredAt: new Date('2025-06-15T12:00:00Z'),
    });
    expect(older.event).toMatchObject({ placement: 'closed', periodSeq: 0 });
    expect(await f.store.budgets.ledgerOf('ULATE001', 0)).toBeNull();
    const june = (await f.store.resets.page('ULATE001', 10, null)).items.find((e) => e.closedSeq === 0);
    expect(june?.lateSpentMicros).toBe(9 * USD);
    expect((await f.store.budgets.find('ULATE001'))?.spentMicros).toBe(USD);
  });

  it('refuses events from the future', async () => {
    await expect(
      f.services.usage.record({ userId: 'ULATE001', idempotencyKey: 'f', model: 'gpt-4o', costMicros: 1, occurredAt: new Date(f.clock.now().getTime() + 3_600_000) }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
