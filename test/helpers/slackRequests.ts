// Requests signed exactly as Slack signs them: X-Slack-Signature is "v0=" + hex HMAC-SHA256 of
// "v0:<timestamp>:<raw body>" with the app's signing secret; X-Slack-Request-Timestamp is Unix seconds.
import { createHmac } from 'node:crypto';

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignOptions {
  secret: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Replaces the computed signature (to send a wrong one). */
  signature?: string;
}

export interface SlackPost {
  status: number;
  text: string;
  /** Time from sending to the complete answer: what Slack waits for (its limit is 3 s). */
  ms: number;
}

export async function postToSlackEndpoint(url: string, body: string, contentType: string, sign: SignOptions): Promise<SlackPost> {
  const timestamp = sign.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign.signature ?? slackSignature(sign.secret, timestamp, body),
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

export interface CommandFields {
  userId: string;
  text: string;
  responseUrl: string;
  command?: string;
}

/** A slash command as Slack posts it (form-encoded). */
export function slashCommandBody(c: CommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    team_domain: 'test',
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: c.userId,
    user_name: c.userId.toLowerCase(),
    command: c.command ?? '/budget',
    text: c.text,
    api_app_id: 'A0BUDGET',
    is_enterprise_install: 'false',
    response_url: c.responseUrl,
    trigger_id: '1.2.3',
  }).toString();
}

export interface ButtonClick {
  userId: string;
  actionId: string;
  value: string;
  responseUrl: string;
}

/** A block_actions payload (a button click) as Slack posts it: form-encoded, in `payload`. */
export function blockActionsBody(click: ButtonClick): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0TEST', domain: 'test' },
    user: { id: click.userId, username: click.userId.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0BUDGET',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0GENERAL', is_ephemeral: true },
    trigger_id: '1.2.4',
    channel: { id: 'C0GENERAL', name: 'general' },
    response_url: click.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: click.actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'Reset budget' },
        value: click.value,
        action_ts: '1700000001.000200',
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** An Events API callback (JSON). */
export function eventBody(event: Record<string, unknown>): string {
  return JSON.stringify({
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    api_app_id: 'A0BUDGET',
    event,
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0TEST', user_id: 'UBUDGETBOT', is_bot: true }],
  });
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';
