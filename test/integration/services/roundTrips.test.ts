import { beforeAll, describe, expect, it } from 'vitest';
import { USD, useServices, type ServiceFixture } from '../../helpers/services.js';

let f: ServiceFixture;
beforeAll(async () => {
  f = await useServices('2025-06-10T12:00:00Z');
});

async function seedEvents(userId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, j) =>
        f.services.usage.record({ userId, idempotencyKey: `seed-${i + j}`, model: 'gpt-4o', operation: `op-${(i + j) % 7}`, costMicros: 1000 }),
      ),
    );
  }
}

/** Commands the driver sent while `op` ran. */
async function commandsOf(op: () => Promise<unknown>): Promise<string[]> {
  f.db.commands.reset();
  await op();
  return [...f.db.commands.names];
}

describe('database round trips per operation', () => {
  it.each([10, 500])('stay the same with %i events recorded', async (n) => {
    const userId = `URT${n}`;
    await f.services.settings.update({ kind: 'admin', id: 'test' }, userId, { limitMicros: 10_000 * USD });
    await seedEvents(userId, n);
    const actor = { kind: 'service', id: 'gw' } as const;
    // Warm the price cache, as on any running server.
    await f.services.checker.check(actor, { userId, model: 'gpt-4o' });

    const record = await commandsOf(() => f.services.usage.record({ userId, idempotencyKey: `measure-${n}`, model: 'gpt-4o', costMicros: 1000 }));
    const status = await commandsOf(() => f.services.status.status(actor, userId));
    const check = await commandsOf(() => f.services.checker.check(actor, { userId, model: 'gpt-4o', estimatedCostMicros: 5000 }));
    const repeat = await commandsOf(() => f.services.usage.record({ userId, idempotencyKey: `measure-${n}`, model: 'gpt-4o', costMicros: 1000 }));

    expect(record.sort()).toEqual(['find', 'findAndModify', 'insert', 'update'].sort());
    expect(status).toEqual(['find']);
    expect(check).toEqual(['find']);
    expect(repeat.sort()).toEqual(['find', 'find', 'insert'].sort());
  }, 120_000);
});
