// First-sight profile sync (services/profiles.ts) on the real store, with a lookup the test controls:
// asked once, retried later after a failure, a new zone recomputes only the first automatic period,
// an admin's zone is never overridden.
import { beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/services/index.js';
import { PROFILE_REFRESH_MS, PROFILE_RETRY_MS, type ProfileLookup, type UserProfile } from '../../../src/services/profiles.js';
import { USD, useServices, type ServiceFixture } from '../../helpers/services.js';

let f: ServiceFixture;
const admin = { kind: 'admin', id: 'test' } as const;

function lookupOf(profile: UserProfile | Error): ProfileLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (userId: string) => {
    calls.push(userId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (profile instanceof Error) throw profile;
    return profile;
  };
  return Object.assign(lookup, { calls });
}

const tokyo: UserProfile = { timezone: 'Asia/Tokyo', displayName: 'Kei', email: 'kei@example.com' };

beforeAll(async () => {
  // 2026-03-31 20:00 UTC is already April 1st in Tokyo: a zone change moves the whole period.
  f = await useServices('2026-03-31T20:00:00Z');
});

describe('first sight', () => {
  it('looks the user up once, however many requests arrive together, and stores the profile', async () => {
    const lookup = lookupOf(tokyo);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => f.services.profiles.ensure('UPROF0001', lookup)));
    expect(lookup.calls).toEqual(['UPROF0001']);
    expect(outcomes.every((o) => o.status === 'synced')).toBe(true);
    await expect(f.services.profiles.ensure('UPROF0001', lookup)).resolves.toEqual({ status: 'fresh' });
    expect(lookup.calls).toHaveLength(1);

    const stored = await f.store.budgets.find('UPROF0001');
    expect(stored).toMatchObject({ timezone: 'Asia/Tokyo', timezoneSource: 'slack', displayName: 'Kei', email: 'kei@example.com', periodSeq: 0 });
    // The first period, made in UTC (March), is now April in Tokyo: from 2026-04-01 00:00 JST.
    expect(stored?.periodStart.toISOString()).toBe('2026-03-31T15:00:00.000Z');
    expect(stored?.periodEnd.toISOString()).toBe('2026-04-30T15:00:00.000Z');
    const audit = await f.services.history.settingsChanges(admin, 'UPROF0001');
    expect(audit.items[0]).toMatchObject({ actorKind: 'system', actorId: 'slack-profile' });
    expect(audit.items[0]?.changes.map((c) => c.field)).toEqual(['displayName', 'email', 'timezone']);
  });

  it('keeps the spend when the first period moves to the new zone', async () => {
    await f.services.usage.record({ userId: 'UPROF0002', idempotencyKey: 'a', model: 'gpt-4o', costMicros: 3 * USD });
    await f.services.profiles.ensure('UPROF0002', lookupOf(tokyo));
    expect(await f.store.budgets.find('UPROF0002')).toMatchObject({ timezone: 'Asia/Tokyo', spentMicros: 3 * USD, periodSeq: 0 });
  });

  it('another process (a fresh service) sees the stored sync and does not ask again', async () => {
    const otherProcess = createServices({ store: f.store, clock: f.clock.now, adminUserIds: new Set(), defaults: { limitMicros: 50 * USD, timezone: 'UTC', fallbackModel: 'x' } });
    const lookup = lookupOf(tokyo);
    await expect(otherProcess.profiles.ensure('UPROF0001', lookup)).resolves.toEqual({ status: 'fresh' });
    expect(lookup.calls).toHaveLength(0);
  });
});

describe('when the lookup fails', () => {
  it('serves the default zone, waits, then tries again', async () => {
    const down = lookupOf(new Error('slack down'));
    const outcome = await f.services.profiles.ensure('UPROF0003', down);
    expect(outcome).toMatchObject({ status: 'failed', retryAt: new Date(f.clock.now().getTime() + PROFILE_RETRY_MS) });
    expect(await f.store.budgets.find('UPROF0003')).toMatchObject({ timezone: 'UTC', timezoneSource: 'default', profileSyncedAt: null });
    await expect(f.services.profiles.ensure('UPROF0003', down)).resolves.toMatchObject({ status: 'waiting' });
    expect(down.calls).toHaveLength(1);

    f.clock.advance(PROFILE_RETRY_MS);
    const up = lookupOf(tokyo);
    await expect(f.services.profiles.ensure('UPROF0003', up)).resolves.toMatchObject({ status: 'synced' });
    expect(await f.store.budgets.find('UPROF0003')).toMatchObject({ timezone: 'Asia/Tokyo', timezoneSource: 'slack' });
  });
});

describe('later changes of zone', () => {
  it('after a reset, a new zone applies from the next period on', async () => {
    const user = 'UPROF0004';
    await f.services.profiles.apply(user, { timezone: 'UTC', displayName: null, email: null });
    await f.services.resets.reset(admin, user, 'fresh start');
    const before = await f.store.budgets.find(user);
    await f.services.profiles.apply(user, tokyo);
    const after = await f.store.budgets.find(user);
    expect(after).toMatchObject({ timezone: 'Asia/Tokyo', periodSeq: 1 });
    expect(after?.periodStart).toEqual(before?.periodStart);
    expect(after?.periodEnd).toEqual(before?.periodEnd);
  });

  it('never overrides a zone an admin set, but still stores name and email', async () => {
    const user = 'UPROF0005';
    await f.services.settings.update(admin, user, { timezone: 'Europe/Paris' });
    await f.services.profiles.apply(user, tokyo);
    expect(await f.store.budgets.find(user)).toMatchObject({ timezone: 'Europe/Paris', timezoneSource: 'admin', displayName: 'Kei' });
  });

  it('ignores a zone that is not an IANA zone', async () => {
    await f.services.profiles.apply('UPROF0006', { timezone: 'Mars/Olympus_Mons', displayName: 'M', email: null });
    expect(await f.store.budgets.find('UPROF0006')).toMatchObject({ timezone: 'UTC', timezoneSource: 'default', displayName: 'M' });
  });

  it('asks again after the refresh interval, and notices a move', async () => {
    const user = 'UPROF0007';
    await f.services.profiles.ensure(user, lookupOf(tokyo));
    const moved = lookupOf({ ...tokyo, timezone: 'America/Los_Angeles' });
    f.clock.advance(PROFILE_REFRESH_MS - 1_000);
    await expect(f.services.profiles.ensure(user, moved)).resolves.toEqual({ status: 'fresh' });
    f.clock.advance(2_000);
    await expect(f.services.profiles.ensure(user, moved)).resolves.toMatchObject({ status: 'synced' });
    expect(moved.calls).toHaveLength(1);
    expect(await f.store.budgets.find(user)).toMatchObject({ timezone: 'America/Los_Angeles' });
  });
});
