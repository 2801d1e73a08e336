/**
 * Sends the outbox (threshold alerts, over-budget alerts, "your budget has reset") through a sender
 * the caller gives (the Slack one lives in src/slack/delivery.ts), so this file knows nothing of
 * Slack. Each notification is claimed with a lease before it is sent, so two deliverers never send
 * the same one; it is marked sent right after; a failure schedules another try with backoff (or
 * when the platform says, e.g. Retry-After), so an alert arrives late rather than never.
 *
 * Who gets what:
 * - `dmUser` on: a DM to the user. With an admin channel, alerts (not resets) also get a copy there,
 *   written as a notification of its own (`<key>:admin-channel`, `dmUser` off) so the DM and the
 *   copy are each sent once and retried on their own.
 * - `dmUser` off (a hidden budget, or such a copy): the admin channel when there is one and it is
 *   an alert; otherwise skipped.
 *
 * Exactly once holds as long as a send finishes within the lease (senders time out well before)
 * and the "sent" mark is written; if the process dies between a send and its mark, the lease runs
 * out and the notification is sent again: at least once, never lost.
 */
import type { Notification } from '../store/outbox.js';
import type { ServiceContext } from './context.js';

/** A send that did not happen. `permanent` ones are not retried (e.g. the user no longer exists). */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** When the platform says how long to wait (HTTP 429 Retry-After). */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}

export interface NotificationSender {
  /** Whether alerts are also copied to an admin channel. */
  readonly hasAdminChannel: boolean;
  /** A DM to the notification's user. Throws DeliveryFailure (or anything: retried). */
  sendToUser(notification: Notification): Promise<void>;
  /** The admin channel copy. Throws DeliveryFailure (or anything: retried). */
  sendToAdminChannel(notification: Notification): Promise<void>;
}

export interface DeliveryReport {
  sent: number;
  skipped: number;
  /** Failed this time, scheduled again. */
  retried: number;
}

export interface DeliveryOptions {
  /** Stop after this many notifications, so one call stays short; the next call goes on. */
  max?: number;
}

/** How long a claimed notification stays locked: far longer than a send may take. */
export const DELIVERY_LEASE_MS = 2 * 60_000;
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 60 * 60_000;
const DEFAULT_MAX = 100;
export const ADMIN_CHANNEL_SUFFIX = ':admin-channel';

/** 30 s, 1 min, 2 min, ... up to an hour; never gives up on a failure that may pass. */
export function retryDelayMs(attempts: number, retryAfterMs: number | null): number {
  if (retryAfterMs !== null) return Math.max(1_000, retryAfterMs);
  const exponent = Math.min(Math.max(attempts - 1, 0), 20);
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** exponent);
}

const isAlert = (n: Notification): boolean => n.kind !== 'reset';

export class NotificationDelivery {
  constructor(private readonly ctx: Pick<ServiceContext, 'store' | 'clock'>) {}

  /** Sends what is due now, one at a time, until nothing is due or `max` were handled. */
  async deliverDue(sender: NotificationSender, options: DeliveryOptions = {}): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, skipped: 0, retried: 0 };
    const max = options.max ?? DEFAULT_MAX;
    for (let handled = 0; handled < max; handled++) {
      const claimed = await this.ctx.store.outbox.claimDue(this.ctx.clock(), DELIVERY_LEASE_MS);
      if (!claimed) break;
      report[await this.deliverOne(sender, claimed)] += 1;
    }
    return report;
  }

  private async deliverOne(sender: NotificationSender, n: Notification): Promise<keyof DeliveryReport> {
    const { outbox } = this.ctx.store;
    try {
      if (n.dmUser) {
        if (sender.hasAdminChannel && isAlert(n)) await outbox.addOnce([adminChannelCopy(n)]);
        await sender.sendToUser(n);
      } else if (sender.hasAdminChannel && isAlert(n)) {
        await sender.sendToAdminChannel(n);
      } else {
        await outbox.markSkipped(n.id, 'the budget is hidden from the user and no admin channel is set');
        return 'skipped';
      }
      await outbox.markSent(n.id, this.ctx.clock());
      return 'sent';
    } catch (error) {
      const failure = error instanceof DeliveryFailure ? error : null;
      const message = error instanceof Error ? error.message : String(error);
      if (failure?.permanent) {
        await outbox.markSkipped(n.id, message);
        return 'skipped';
      }
      const next = new Date(this.ctx.clock().getTime() + retryDelayMs(n.attempts, failure?.retryAfterMs ?? null));
      await outbox.retryLater(n.id, next, message);
      return 'retried';
    }
  }
}

function adminChannelCopy(n: Notification) {
  return {
    userId: n.userId,
    kind: n.kind,
    level: n.level,
    periodSeq: n.periodSeq,
    dedupeKey: `${n.dedupeKey}${ADMIN_CHANNEL_SUFFIX}`,
    dmUser: false,
    spentMicros: n.spentMicros,
    limitMicros: n.limitMicros,
    periodEnd: n.periodEnd,
    createdAt: n.createdAt,
  };
}
