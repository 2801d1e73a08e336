/** Linear projection of a period's spend. */
import type { Micros } from './money.js';
import { elapsedFraction, type Period } from './periods.js';

const ONE_HOUR_MS = 3_600_000;

/** spend ÷ elapsed fraction of the period; the spend itself while less than an hour has elapsed. */
export function projectedPeriodSpend(spent: Micros, period: Period, now: Date): Micros {
  if (now.getTime() - period.start.getTime() < ONE_HOUR_MS) return spent;
  const fraction = elapsedFraction(period, now);
  return fraction <= 0 ? spent : Math.round(spent / fraction);
}
