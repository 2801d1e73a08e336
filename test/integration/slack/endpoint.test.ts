// POST /slack/events on the running app: only requests signed with the signing secret, with a
// fresh timestamp, get in; Events API URL verification; App Home; and no endpoint without Slack.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { start } from '../../../src/main.js';
import { HIDDEN_BUDGET_LINE } from '../../../src/slack/blocks/messages.js';
import { USD } from '../../helpers/services.js';
import { FakeSlack } from '../../helpers/fakeSlack.js';
import { SIGNING_SECRET, startSlackApp, textOf, type SlackApp } from './helpers/slackApp.js';
import { eventBody, FORM, JSON_TYPE, postToSlackEndpoint, slashCommandBody, slackSignature } from '../../helpers/slackRequests.js';

let fake: FakeSlack;
let app: SlackApp;

beforeAll(async () => {
  fake = await FakeSlack.start();
  app = await startSlackApp(fake, {}, { deliverer: null });
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

const now = () => Math.floor(Date.now() / 1000);

describe('request signing', () => {
  const command = (userId: string, id: string) => slashCommandBody({ userId, text: 'status', responseUrl: fake.responseUrl(id) });

  it('accepts a request signed with the signing secret', async () => {
    const res = await postToSlackEndpoint(app.eventsUrl, command('USIGNED01', 'ok'), FORM, { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.text) as { text: string }).text).toContain('Your budget');
  });

  it.each([
    ['a wrong signature', { secret: SIGNING_SECRET, signature: `v0=${'0'.repeat(64)}` }],
    ['another app’s secret', { secret: 'not-the-signing-secret' }],
    ['a stale timestamp (6 minutes old)', { secret: SIGNING_SECRET, timestamp: now() - 6 * 60 }],
    ['a timestamp 10 minutes in the future', { secret: SIGNING_SECRET, timestamp: now() + 10 * 60 }],
  ])('refuses %s with 401 and does nothing', async (_name, sign) => {
    const userId = 'UFORGED01';
    const res = await postToSlackEndpoint(app.eventsUrl, command(userId, 'forged'), FORM, sign);
    expect(res.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.responsesTo('forged')).toHaveLength(0);
    expect(fake.callsTo('users.info').filter((c) => c.body.user === userId)).toHaveLength(0);
    expect(await app.store.budgets.find(userId)).toBeNull();
  });

  it('refuses a body changed after signing, and a request without the headers', async () => {
    const timestamp = now();
    const signed = command('UFORGED01', 'forged');
    const tampered = signed.replace('UFORGED01', 'UADMIN999');
    const res = await fetch(app.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': FORM, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, signed) },
      body: tampered,
    });
    expect(res.status).toBe(401);
    const bare = await fetch(app.eventsUrl, { method: 'POST', headers: { 'content-type': FORM }, body: signed });
    expect(bare.status).toBe(401);
    expect(fake.responsesTo('forged')).toHaveLength(0);
  });

  it('answers the Events API URL verification challenge', async () => {
    const body = JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' });
    const res = await postToSlackEndpoint(app.eventsUrl, body, JSON_TYPE, { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123' });
  });
});

describe('App Home', () => {
  it('publishes status and breakdown when the Home tab is opened', async () => {
    const userId = 'UHOME0001';
    await app.services.usage.record({ userId, idempotencyKey: 'h1', model: 'openai/gpt-4o', operation: 'chat', costMicros: 12 * USD });
    const res = await postToSlackEndpoint(app.eventsUrl, eventBody({ type: 'app_home_opened', user: userId, channel: 'D0HOME', tab: 'home', event_ts: '1700000000.1' }), JSON_TYPE, {
      secret: SIGNING_SECRET,
    });
    expect(res.status).toBe(200);
    const publish = await fake.waitFor(() => fake.callsTo('views.publish').find((c) => c.body.user_id === userId));
    const view = publish.body.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    const text = textOf(publish.body);
    expect(text).toContain('*$12.00* of *$50.00* used · 24%');
    expect(text).toContain('*By provider*');
    expect(text).toContain('*Most expensive calls*\n1. *$12.00* · openai/gpt-4o · chat');
    expect(publish.token).toBe('xoxb-test-bot-token');
    expect(fake.callsTo('users.info').filter((c) => c.body.user === userId)).toHaveLength(1);
  });

  it('tells a user whose budget is hidden that an admin manages it', async () => {
    const userId = 'UHOME0002';
    await app.services.settings.update({ kind: 'admin', id: 'test' }, userId, { budgetVisibleToUser: false });
    await postToSlackEndpoint(app.eventsUrl, eventBody({ type: 'app_home_opened', user: userId, channel: 'D0HOME2', tab: 'home', event_ts: '1700000000.2' }), JSON_TYPE, {
      secret: SIGNING_SECRET,
    });
    const publish = await fake.waitFor(() => fake.callsTo('views.publish').find((c) => c.body.user_id === userId));
    const text = textOf(publish.body);
    expect(text).toContain(HIDDEN_BUDGET_LINE);
    expect(text).not.toContain('$');
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    const userId = 'UHOME0003';
    const res = await postToSlackEndpoint(app.eventsUrl, eventBody({ type: 'app_home_opened', user: userId, channel: 'D0HOME3', tab: 'messages', event_ts: '1700000000.3' }), JSON_TYPE, {
      secret: SIGNING_SECRET,
    });
    expect(res.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.callsTo('views.publish').filter((c) => c.body.user_id === userId)).toHaveLength(0);
  });
});

describe('without Slack credentials', () => {
  it('mounts no Slack endpoint (the app still runs)', async () => {
    const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', MONGODB_URI: inject('mongoUri'), MONGODB_DB_NAME: 'test_slack_off' });
    const running = await start(config, createLogger('silent'));
    try {
      const address = running.server?.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });
});
