// Retention: usage events older than RETENTION_DAYS go, in batches; rollups and logs stay.
import { beforeAll, describe, expect, it } from 'vitest';
import { purgeOldEvents } from '../../../src/jobs/purgeOldEvents.js';
import { USD, useServices, type ServiceFixture } from '../../helpers/services.js';
import { memoryLogger } from './workers.js';

let f: ServiceFixture;
beforeAll(async () => {
  f = await useServices('2024-03-01T12:00:00Z');
});

const DAY = 86_400_000;

describe('retention', () => {
  it('deletes events older than the retention in batches and keeps rollups, resets and newer events', async () => {
    const user = 'URETAIN1';
    // 23 events in March 2024, then a reset, then 5 events in May 2025.
    for (let i = 0; i < 23; i++) {
      f.clock.set(new Date(Date.parse('2024-03-01T12:00:00Z') + i * 3_600_000));
      await f.services.usage.record({ userId: user, idempotencyKey: `old-${i}`, model: 'gpt-4o', costMicros: 1 * USD });
    }
    await f.services.resets.reset({ kind: 'admin', id: 'test' }, user, 'New project');
    f.clock.set('2025-05-01T12:00:00Z');
    for (let i = 0; i < 5; i++) await f.services.usage.record({ userId: user, idempotencyKey: `new-${i}`, model: 'gpt-4o', costMicros: 2 * USD });
    const rollupsBefore = await f.store.rollups.list({ userId: user });

    // 400 days before 2025-05-02 is 2024-03-28: every event of March 2024 is older.
    f.clock.set('2025-05-02T00:00:00Z');
    const { logger, lines } = memoryLogger();
    f.db.commands.reset();
    const result = await purgeOldEvents({ retention: f.services.retention, retentionDays: 400, logger }, { batchSize: 7 });
    expect(result.deleted).toBe(23);
    expect(result.horizon.toISOString()).toBe(new Date(Date.parse('2025-05-02T00:00:00Z') - 400 * DAY).toISOString());
    // 7 + 7 + 7 + 2: four batches, each one find and one delete.
    expect(f.db.commands.countOf('delete')).toBe(4);
    expect(lines.find((l) => l.msg === 'Retention: deleted old usage events')).toMatchObject({ deleted: 23, retentionDays: 400 });

    const left = await f.store.events.list({ userId: user });
    expect(left.map((e) => e.idempotencyKey).sort()).toEqual(['new-0', 'new-1', 'new-2', 'new-3', 'new-4']);
    expect(await f.store.rollups.list({ userId: user })).toEqual(rollupsBefore);
    // The manual reset and the rollover on the first event of 2025 stay in the reset log.
    expect((await f.store.resets.page(user, 10, null)).items.map((e) => e.kind)).toEqual(['automatic', 'manual']);

    // Nothing older is left, so another run deletes nothing (and does not log).
    const again = await purgeOldEvents({ retention: f.services.retention, retentionDays: 400, logger });
    expect(again.deleted).toBe(0);
    expect(lines.filter((l) => l.msg === 'Retention: deleted old usage events')).toHaveLength(1);
  });

  it('refuses a nonsensical batch size', async () => {
    await expect(f.services.retention.deleteBatch(new Date(), 0)).rejects.toBeInstanceOf(RangeError);
  });
});
