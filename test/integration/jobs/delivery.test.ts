// Notification delivery through the real Slack deliverer (src/slack/delivery.ts) against a fake
// Slack Web API that is down for a while: every alert arrives afterwards, exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { deliverNotifications } from '../../../src/jobs/deliverNotifications.js';
import { createSlackDelivery, type SlackDelivery } from '../../../src/slack/delivery.js';
import { USD, useServices, type ServiceFixture } from '../../helpers/services.js';
import { FakeSlack } from '../../helpers/fakeSlack.js';
import { memoryLogger, startWorkers } from './workers.js';

const admin = { kind: 'admin', id: 'test' } as const;
const { logger } = memoryLogger();

let f: ServiceFixture;
let slack: FakeSlack;
let deliverers: SlackDelivery[];
beforeAll(async () => {
  f = await useServices('2025-10-06T09:00:00Z');
  slack = await FakeSlack.start();
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 'test-signing-secret', SLACK_API_URL: slack.apiUrl, LOG_LEVEL: 'silent' });
  // Two workers, each with its own deliverer on its own connection, as two worker processes would.
  const workers = await startWorkers(f.db, f.clock, 2);
  deliverers = workers.map((w) => {
    const delivery = createSlackDelivery({ config, logger, services: w.services });
    if (!delivery) throw new Error('Slack should count as configured');
    return delivery;
  });
});
afterAll(async () => {
  await slack.stop();
});

const SECOND = 1_000;

/**
 * One scheduled run of the job. Agenda's lock runs it on one worker at a time, so the runs take
 * turns between the two workers, as the lock hands the job from one to the other.
 */
let turn = 0;
async function runJob(): Promise<unknown> {
  const deliverer = deliverers[turn++ % deliverers.length];
  if (!deliverer) throw new Error('no deliverer');
  return deliverNotifications({ deliverer, logger });
}

describe('notification delivery job', () => {
  it('delivers everything once after Slack was down for a while', async () => {
    // Alerts for three users (one of them twice: yellow then red) and a reset notification.
    await f.services.usage.record({ userId: 'UALERT01', idempotencyKey: 'a1', model: 'gpt-4o', costMicros: 21 * USD });
    await f.services.usage.record({ userId: 'UALERT01', idempotencyKey: 'a2', model: 'gpt-4o', costMicros: 25 * USD });
    await f.services.usage.record({ userId: 'UALERT02', idempotencyKey: 'b1', model: 'gpt-4o', costMicros: 40 * USD });
    await f.services.usage.record({ userId: 'UALERT03', idempotencyKey: 'c1', model: 'gpt-4o', costMicros: 60 * USD });
    await f.services.resets.reset(admin, 'UALERT03', 'Fresh start after the incident');
    const pending = await f.store.outbox.list({ status: 'pending' });
    expect(pending.map((n) => `${n.userId}:${n.kind}:${n.level ?? ''}`).sort()).toEqual([
      'UALERT01:threshold:red',
      'UALERT01:threshold:yellow',
      'UALERT02:threshold:orange',
      'UALERT03:over_budget:over',
      'UALERT03:reset:',
    ]);

    // Slack is down: every attempt fails and is scheduled again with backoff; nothing is lost.
    slack.down = true;
    expect(retried(await runJob())).toBe(5);
    expect(posted()).toHaveLength(0);
    // Within the backoff nothing is tried again; after it, everything is (and fails again).
    f.clock.advance(10 * SECOND);
    expect(retried(await runJob())).toBe(0);
    f.clock.advance(25 * SECOND);
    expect(retried(await runJob())).toBe(5);
    expect(slack.calls.filter((c) => c.status === 503).length).toBeGreaterThanOrEqual(10);

    // Slack is back. Once the backoff has passed, the next run (on the other worker) delivers.
    slack.down = false;
    f.clock.advance(61 * SECOND);
    expect(sent(await runJob())).toBe(5);
    // Later runs find nothing more to send.
    f.clock.advance(3_600 * SECOND);
    expect(sent(await runJob()) + retried(await runJob())).toBe(0);

    // Exactly once each: 2 DMs to UALERT01, 1 to UALERT02, 2 to UALERT03.
    const perChannel = new Map<string, number>();
    for (const channel of posted()) perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
    expect(Object.fromEntries(perChannel)).toEqual({ DUALERT01: 2, DUALERT02: 1, DUALERT03: 2 });
    // Each was tried three times (down, down, sent) and is marked sent.
    const after = await f.store.outbox.list();
    const wasPending = new Set(pending.map((n) => n.id));
    expect(after.filter((n) => wasPending.has(n.id)).map((n) => [n.status, n.attempts])).toEqual(pending.map(() => ['sent', 3]));
    expect(after.filter((n) => n.status === 'pending')).toHaveLength(0);
  });
});

/** Channels of the messages Slack accepted. */
function posted(): string[] {
  return slack.okCallsTo('chat.postMessage').map((c) => String(c.body.channel));
}

// The job returns what the deliverer reported ({ sent, skipped, retried }).
function sent(report: unknown): number {
  return typeof report === 'object' && report !== null && 'sent' in report && typeof report.sent === 'number' ? report.sent : 0;
}
function retried(report: unknown): number {
  return typeof report === 'object' && report !== null && 'retried' in report && typeof report.retried === 'number' ? report.retried : 0;
}
