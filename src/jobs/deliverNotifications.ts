/**
 * Notification delivery: sends the outbox (threshold and over-budget alerts, "your budget has
 * reset"). The deliverer owns claiming, retries and backoff; this job only calls it on schedule.
 * It is scheduled only when Slack is configured (main passes null otherwise).
 */
import type { Logger } from '../logger.js';

/** What the Slack surface provides: sends whatever is due now. */
export interface Deliverer {
  deliverDue(): Promise<unknown>;
}

export interface DeliveryJobDeps {
  deliverer: Deliverer;
  logger: Logger;
}

export async function deliverNotifications(deps: DeliveryJobDeps): Promise<unknown> {
  const report = await deps.deliverer.deliverDue();
  deps.logger.debug({ report }, 'Notification delivery run');
  return report;
}
