/**
 * Alert DMs over Slack: the sender for the outbox deliverer (src/services/delivery.ts).
 *
 * For the scheduler: build it once per process and call deliverDue() every few seconds. It needs
 * only the configuration, a logger and the services (no Bolt, no HTTP), so it runs in a worker too:
 *
 *   const delivery = createSlackDelivery({ config, logger, services }); // null without Slack
 *   if (delivery) await delivery.deliverDue();                          // → { sent, skipped, retried }
 *
 * Calls may overlap, in one process or many: each notification is claimed before it is sent, so it
 * is sent once. A DM is conversations.open + chat.postMessage. Failures are sorted for the
 * deliverer: HTTP 429 → retry after Retry-After; 5xx, timeouts and network errors → retry with
 * backoff; Slack answers that will not change (no such user, a bot, ...) → skipped.
 */
import { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { DeliveryFailure, type DeliveryOptions, type DeliveryReport, type NotificationSender } from '../services/delivery.js';
import type { Services } from '../services/index.js';
import type { Notification } from '../store/outbox.js';
import { adminChannelMessage, userAlertMessage } from './blocks/alerts.js';
import type { SlackMessage } from './blocks/format.js';
import { createWebClient } from './webClient.js';

/** Well under the deliverer's lease (DELIVERY_LEASE_MS), so a slow Slack cannot cause a double send. */
const SEND_TIMEOUT_MS = 10_000;

/** Slack errors that mean this message can never be sent: retrying would only repeat them. */
const PERMANENT_ERRORS = new Set([
  'user_not_found',
  'user_not_visible',
  'user_disabled',
  'cannot_dm_bot',
  'channel_not_found',
  'is_archived',
  'msg_too_long',
  'invalid_blocks',
  'no_text',
  'invalid_arguments',
]);

export function toDeliveryFailure(error: unknown): DeliveryFailure {
  if (error instanceof webApi.WebAPIRateLimitedError) return new DeliveryFailure(`Slack rate limit (retry after ${error.retryAfter} s)`, false, error.retryAfter * 1000);
  if (error instanceof webApi.WebAPIHTTPError) return new DeliveryFailure(`Slack answered HTTP ${error.statusCode}`, false);
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    return new DeliveryFailure(`Slack error: ${code}`, PERMANENT_ERRORS.has(code));
  }
  if (error instanceof webApi.WebAPIRequestError) return new DeliveryFailure(`Slack unreachable: ${error.original.message}`, false);
  return new DeliveryFailure(error instanceof Error ? error.message : String(error), false);
}

export class SlackNotificationSender implements NotificationSender {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly alertChannel: string | undefined,
    private readonly logger: Logger,
  ) {}

  get hasAdminChannel(): boolean {
    return this.alertChannel !== undefined;
  }

  async sendToUser(n: Notification): Promise<void> {
    const opened = await this.call(n, () => this.client.conversations.open({ users: n.userId }));
    const channel = opened.channel?.id;
    if (channel === undefined) throw new DeliveryFailure('conversations.open answered without a channel', false);
    await this.post(n, channel, userAlertMessage(n));
  }

  async sendToAdminChannel(n: Notification): Promise<void> {
    if (this.alertChannel === undefined) throw new DeliveryFailure('no admin channel is set', true);
    await this.post(n, this.alertChannel, adminChannelMessage(n));
  }

  private async post(n: Notification, channel: string, message: SlackMessage): Promise<void> {
    await this.call(n, () => this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks }));
  }

  private async call<T>(n: Notification, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const failure = toDeliveryFailure(error);
      this.logger.warn(
        { notificationId: n.id, userId: n.userId, kind: n.kind, attempts: n.attempts, permanent: failure.permanent, reason: failure.message },
        failure.permanent ? 'Slack alert not deliverable; skipped' : 'Slack alert not delivered; will retry',
      );
      throw failure;
    }
  }
}

export interface SlackDelivery {
  /** Sends the notifications that are due; see the top of this file. */
  deliverDue(options?: DeliveryOptions): Promise<DeliveryReport>;
}

export function createSlackDelivery(deps: { config: Config; logger: Logger; services: Services }): SlackDelivery | null {
  const slack = deps.config.slack;
  if (!slack.configured) return null;
  const client = createWebClient(slack, deps.logger, { timeoutMs: SEND_TIMEOUT_MS, rejectRateLimitedCalls: true });
  const sender = new SlackNotificationSender(client, slack.alertChannel, deps.logger);
  return {
    async deliverDue(options) {
      const report = await deps.services.delivery.deliverDue(sender, options);
      if (report.sent + report.skipped + report.retried > 0) deps.logger.info(report, 'Slack alerts delivered');
      return report;
    },
  };
}
