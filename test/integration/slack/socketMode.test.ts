// Socket Mode (SLACK_APP_TOKEN set): the app opens a WebSocket to Slack instead of taking HTTP
// requests. Driven through start() against a fake Slack: apps.connections.open, the hello, a
// slash command envelope acknowledged over the socket, with the answer in the acknowledgement.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../helpers/fakeSlack.js';
import { FakeSocketMode } from './helpers/fakeSocketMode.js';
import { startSlackApp, textOf, type SlackApp } from './helpers/slackApp.js';

let fake: FakeSlack;
let socket: FakeSocketMode;
let app: SlackApp;

beforeAll(async () => {
  fake = await FakeSlack.start();
  socket = await FakeSocketMode.start();
  fake.socketUrl = socket.url;
  app = await startSlackApp(fake, { SLACK_APP_TOKEN: 'xapp-1-A0BUDGET-test' }, { deliverer: null });
});

afterAll(async () => {
  await app?.stop();
  await socket?.stop();
  await fake?.stop();
});

describe('Socket Mode', () => {
  it('connects with the app-level token at start-up', () => {
    const opens = fake.callsTo('apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.token).toBe('xapp-1-A0BUDGET-test');
    expect(socket.connections).toBe(1);
  });

  it('mounts no HTTP endpoint for Slack', async () => {
    const res = await fetch(app.eventsUrl, { method: 'POST', body: 'x' });
    expect(res.status).toBe(404);
  });

  it('acknowledges a slash command over the socket and answers through the response URL', async () => {
    socket.send({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'x',
        team_id: 'T0TEST',
        team_domain: 'test',
        channel_id: 'C0GENERAL',
        channel_name: 'general',
        user_id: 'USOCKET01',
        user_name: 'sock',
        command: '/budget',
        text: 'status',
        api_app_id: 'A0BUDGET',
        response_url: fake.responseUrl('socket-1'),
        trigger_id: '1.2.3',
      },
    });
    // The answer is ready well within the deadline, so it rides in the acknowledgement.
    const ack = await fake.waitFor(() => socket.received.find((m) => m.envelope_id === 'env-1'));
    expect(ack).toMatchObject({ envelope_id: 'env-1', payload: { response_type: 'ephemeral' } });
    expect(textOf(ack.payload as Record<string, unknown>)).toContain('*$0.00* of *$50.00* used');
    expect(fake.responsesTo('socket-1')).toHaveLength(0);
  });

  it('a typing mistake is answered in the acknowledgement itself', async () => {
    socket.send({
      envelope_id: 'env-2',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { user_id: 'USOCKET01', command: '/budget', text: 'limit lots', response_url: fake.responseUrl('socket-2'), team_id: 'T0TEST', channel_id: 'C0GENERAL' },
    });
    const ack = await fake.waitFor(() => socket.received.find((m) => m.envelope_id === 'env-2'));
    expect(ack).toMatchObject({ envelope_id: 'env-2', payload: { response_type: 'ephemeral' } });
    expect(String((ack.payload as { text?: unknown }).text)).toContain('The limit must be an amount in dollars');
  });
});
