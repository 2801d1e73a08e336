/**
 * Money is held as integer micro-dollars (1 USD = 1,000,000) everywhere inside the app, so sums are
 * exact; USD floats exist only at the edges (API, Slack, admin page).
 */
export type Micros = number;

export const MICROS_PER_USD = 1_000_000;
export const MAX_LIMIT_MICROS = 10_000 * MICROS_PER_USD;

/** Converts a USD amount to micro-dollars, rounding half away from zero to the nearest micro-dollar. */
export function usdToMicros(usd: number): Micros {
  if (!Number.isFinite(usd)) throw new RangeError(`not a finite amount: ${usd}`);
  // toFixed avoids binary noise such as 23.45 * 1e6 = 23449999.999999996.
  return Math.round(Number((usd * MICROS_PER_USD).toFixed(3)));
}

/** USD rounded to cents, for budgets and totals (23.45). */
export function microsToUsdCents(micros: Micros): number {
  return Math.round(micros / 10_000) / 100;
}

/** USD with 6 decimals, for single events. */
export function microsToUsdExact(micros: Micros): number {
  return micros / MICROS_PER_USD;
}

/** "$1,234.56" — for people (Slack, admin page). */
export function formatUsd(micros: Micros): string {
  const usd = microsToUsdCents(micros);
  const sign = usd < 0 ? '-' : '';
  return `${sign}$${Math.abs(usd).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Integer percentage-style ratio helper: `part / whole * 100`, rounded to one decimal. */
export function percentOf(part: Micros, whole: Micros): number {
  if (whole <= 0) return part > 0 ? 100 : 0;
  return Math.round((part * 1000) / whole) / 10;
}
