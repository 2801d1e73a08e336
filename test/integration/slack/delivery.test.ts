// The alert deliverer against a fake Slack Web API on 127.0.0.1: one DM per level crossed, retries
// with backoff and Retry-After when Slack fails, one DM when two deliverers race, hidden budgets,
// the admin channel copy, permanent errors.
import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Env } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { FIRST_RETRY_MS } from '../../../src/services/delivery.js';
import { createServices } from '../../../src/services/index.js';
import { createSlackDelivery, type SlackDelivery } from '../../../src/slack/delivery.js';
import { createStore } from '../../../src/store/index.js';
import { connectMongo } from '../../../src/db/connect.js';
import { USD, useServices, type ServiceFixture } from '../../helpers/services.js';
import { FakeSlack } from '../../helpers/fakeSlack.js';

const logger = createLogger('silent');
const admin = { kind: 'admin', id: 'test' } as const;
let f: ServiceFixture;
let fake: FakeSlack;
let seq = 0;

function delivery(env: Env = {}, services = f.services): SlackDelivery {
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: fake.apiUrl, ...env });
  const created = createSlackDelivery({ config, logger, services });
  if (!created) throw new Error('Slack should be configured');
  return created;
}

async function spend(userId: string, usd: number): Promise<void> {
  await f.services.usage.record({ userId, idempotencyKey: `e${++seq}`, model: 'openai/gpt-4o', costMicros: Math.round(usd * USD) });
}

const dmsTo = (userId: string) => fake.okCallsTo('chat.postMessage').filter((c) => c.body.channel === `D${userId}`);
const postsTo = (channel: string) => fake.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);

beforeAll(async () => {
  f = await useServices(new Date('2026-03-10T12:00:00Z'));
  fake = await FakeSlack.start();
});

beforeEach(() => {
  fake.reset();
  fake.delayMs = 0;
});

afterAll(async () => {
  await fake?.stop();
});

describe('alert DMs', () => {
  it('sends one DM per level crossed, each once, however often it runs', async () => {
    const user = 'ULEVELS01';
    const d = delivery();
    await f.services.settings.update(admin, user, { limitMicros: 10 * USD });
    const expected: [number, string][] = [
      [4, ':large_yellow_circle: You have used 40% of your LLM budget: $4.00 of $10.00 (level yellow).'],
      [3.5, ':large_orange_circle: You have used 75% of your LLM budget: $7.50 of $10.00 (level orange).'],
      [2, ':red_circle: You have used 95% of your LLM budget: $9.50 of $10.00 (level red).'],
      [1, ':no_entry: You are over your LLM budget: $10.50 of $10.00.'],
    ];
    for (const [usd, text] of expected) {
      await spend(user, usd);
      await expect(d.deliverDue()).resolves.toEqual({ sent: 1, skipped: 0, retried: 0 });
      await expect(d.deliverDue()).resolves.toEqual({ sent: 0, skipped: 0, retried: 0 });
      expect(String(dmsTo(user).at(-1)?.body.text)).toContain(text);
    }
    expect(dmsTo(user)).toHaveLength(4);
    expect(fake.callsTo('conversations.open').map((c) => c.body.users)).toEqual([user, user, user, user]);
    expect(fake.calls.every((c) => c.token === 'xoxb-test')).toBe(true);
    expect((await f.store.outbox.list({ userId: user })).map((n) => [n.level, n.status])).toEqual([
      ['yellow', 'sent'],
      ['orange', 'sent'],
      ['red', 'sent'],
      ['over', 'sent'],
    ]);
  });

  it('sends one DM when many events cross a level at once', async () => {
    const user = 'UBURST001';
    await f.services.settings.update(admin, user, { limitMicros: 10 * USD });
    await Promise.all(Array.from({ length: 10 }, () => spend(user, 0.5)));
    await delivery().deliverDue();
    expect(dmsTo(user)).toHaveLength(1);
    expect(String(dmsTo(user)[0]?.body.text)).toContain('level yellow');
  });

  it('sends "your budget has reset" after a reset, and no admin channel copy of it', async () => {
    const user = 'URESETDM1';
    await spend(user, 2);
    await f.services.resets.reset(admin, user, 'new project');
    await delivery({ SLACK_ALERT_CHANNEL: 'C0ALERTS' }).deliverDue();
    expect(String(dmsTo(user)[0]?.body.text)).toContain(':arrows_counterclockwise: Your LLM budget has reset. Last period you spent $2.00 of $50.00.');
    expect(postsTo('C0ALERTS')).toHaveLength(0);
  });
});

describe('when Slack fails', () => {
  it('500, then 429 with Retry-After, then ok: delivered once, late', async () => {
    const user = 'UFLAKYDM1';
    const d = delivery();
    await spend(user, 25);
    const created = f.clock.now();
    fake.script('chat.postMessage', { status: 500 }, { status: 429, headers: { 'Retry-After': '7' } });

    await expect(d.deliverDue()).resolves.toEqual({ sent: 0, skipped: 0, retried: 1 });
    let [n] = await f.store.outbox.list({ userId: user });
    expect(n).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Slack answered HTTP 500' });
    expect(n?.nextAttemptAt.getTime()).toBe(created.getTime() + FIRST_RETRY_MS);
    // Not due yet: nothing is sent.
    await expect(d.deliverDue()).resolves.toEqual({ sent: 0, skipped: 0, retried: 0 });

    f.clock.advance(FIRST_RETRY_MS);
    await expect(d.deliverDue()).resolves.toEqual({ sent: 0, skipped: 0, retried: 1 });
    [n] = await f.store.outbox.list({ userId: user });
    expect(n).toMatchObject({ attempts: 2, lastError: 'Slack rate limit (retry after 7 s)' });
    expect(n?.nextAttemptAt.getTime()).toBe(f.clock.now().getTime() + 7_000);

    f.clock.advance(6_000);
    await expect(d.deliverDue()).resolves.toEqual({ sent: 0, skipped: 0, retried: 0 });
    f.clock.advance(1_000);
    await expect(d.deliverDue()).resolves.toEqual({ sent: 1, skipped: 0, retried: 0 });

    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([500, 429, 200]);
    expect(dmsTo(user)).toHaveLength(1);
    [n] = await f.store.outbox.list({ userId: user });
    expect(n).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect((n?.sentAt?.getTime() ?? 0) - created.getTime()).toBe(FIRST_RETRY_MS + 7_000);
    await expect(d.deliverDue()).resolves.toEqual({ sent: 0, skipped: 0, retried: 0 });
  });

  it('retries when Slack cannot be reached at all, with growing backoff', async () => {
    const user = 'UOFFLINE1';
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = delivery({ SLACK_API_URL: `http://127.0.0.1:${port}/api/` });
    await spend(user, 30);
    await expect(offline.deliverDue()).resolves.toMatchObject({ retried: 1 });
    f.clock.advance(FIRST_RETRY_MS);
    await expect(offline.deliverDue()).resolves.toMatchObject({ retried: 1 });
    const [n] = await f.store.outbox.list({ userId: user });
    expect(n?.lastError).toMatch(/^Slack unreachable/);
    expect(n?.nextAttemptAt.getTime()).toBe(f.clock.now().getTime() + 2 * FIRST_RETRY_MS);
    f.clock.advance(2 * FIRST_RETRY_MS);
    await expect(delivery().deliverDue()).resolves.toMatchObject({ sent: 1 });
    expect(dmsTo(user)).toHaveLength(1);
  });

  it('skips a notification Slack can never deliver (no such user), without retrying', async () => {
    const user = 'UGONE0001';
    await spend(user, 30);
    fake.script('conversations.open', { body: { ok: false, error: 'user_not_found' } });
    await expect(delivery().deliverDue()).resolves.toEqual({ sent: 0, skipped: 1, retried: 0 });
    expect((await f.store.outbox.list({ userId: user }))[0]).toMatchObject({ status: 'skipped', lastError: 'Slack error: user_not_found' });
    f.clock.advance(2 * 60 * 60_000);
    await delivery().deliverDue();
    expect(fake.callsTo('conversations.open').filter((c) => c.body.users === user)).toHaveLength(1);
  });
});

describe('two deliverers racing', () => {
  it('send each notification once', async () => {
    // The second deliverer has its own connection and services, like another worker process.
    const connection = await connectMongo(f.db.uri, f.db.dbName);
    try {
      const store = createStore(connection);
      const other = createServices({ store, clock: f.clock.now, adminUserIds: new Set(), defaults: { limitMicros: 50 * USD, timezone: 'UTC', fallbackModel: 'ollama/llama3.1' } });
      const users = Array.from({ length: 8 }, (_, i) => `URACE00${i}`);
      for (const user of users) await spend(user, 30);
      fake.delayMs = 15;
      const [a, b] = [delivery(), delivery({}, other)];
      const reports = await Promise.all([a.deliverDue(), b.deliverDue(), a.deliverDue(), b.deliverDue()]);
      expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(users.length);
      expect(reports.filter((r) => r.sent > 0).length).toBeGreaterThan(1);
      for (const user of users) expect(dmsTo(user), user).toHaveLength(1);
    } finally {
      await connection.close();
    }
  });
});

describe('hidden budgets and the admin channel', () => {
  it('sends no DM for a hidden budget; with an admin channel, a copy goes there instead', async () => {
    const user = 'UHIDDENDM';
    await f.services.settings.update(admin, user, { budgetVisibleToUser: false, limitMicros: 10 * USD });
    await spend(user, 5);
    await expect(delivery().deliverDue()).resolves.toEqual({ sent: 0, skipped: 1, retried: 0 });
    expect(fake.calls).toHaveLength(0);

    await spend(user, 3);
    await expect(delivery({ SLACK_ALERT_CHANNEL: 'C0ALERTS' }).deliverDue()).resolves.toEqual({ sent: 1, skipped: 0, retried: 0 });
    expect(dmsTo(user)).toHaveLength(0);
    expect(postsTo('C0ALERTS').map((c) => c.body.text)).toEqual([':large_orange_circle: <@UHIDDENDM> reached orange: $8.00 of $10.00 (80%).']);
  });

  it('copies a visible user’s alert to the admin channel; DM and copy are each sent once and retried on their own', async () => {
    const user = 'UCOPIED01';
    const d = delivery({ SLACK_ALERT_CHANNEL: 'C0ALERTS' });
    await f.services.settings.update(admin, user, { limitMicros: 10 * USD });
    await spend(user, 10);
    // The DM goes through; the copy's first post fails.
    fake.script('chat.postMessage', {}, { status: 503 });
    await expect(d.deliverDue()).resolves.toEqual({ sent: 1, skipped: 0, retried: 1 });
    f.clock.advance(FIRST_RETRY_MS);
    await expect(d.deliverDue()).resolves.toEqual({ sent: 1, skipped: 0, retried: 0 });
    await expect(d.deliverDue()).resolves.toEqual({ sent: 0, skipped: 0, retried: 0 });
    expect(dmsTo(user).map((c) => c.body.text)).toEqual([expect.stringContaining('You are over your LLM budget: $10.00 of $10.00')]);
    expect(postsTo('C0ALERTS').map((c) => [c.status, c.body.text])).toEqual([
      [503, ':no_entry: <@UCOPIED01> is over budget: $10.00 of $10.00 (100%).'],
      [200, ':no_entry: <@UCOPIED01> is over budget: $10.00 of $10.00 (100%).'],
    ]);
  });
});

describe('without Slack', () => {
  it('there is no deliverer', () => {
    expect(createSlackDelivery({ config: loadConfig({}), logger, services: f.services })).toBeNull();
  });
});
