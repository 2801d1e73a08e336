/**
 * How the REST API writes values: money as USD numbers (cents for budgets and totals, 6 decimals for
 * single events, per src/domain/money.ts) and instants as ISO 8601 UTC to the second, the form of
 * the SPEC's examples ("2025-12-14T10:30:00Z").
 */
import { microsToUsdCents, microsToUsdExact, type Micros } from '../../domain/money.js';

export const usd = (micros: Micros): number => microsToUsdCents(micros);

export const usdExact = (micros: Micros): number => microsToUsdExact(micros);

/** ISO 8601 in UTC without milliseconds. */
export function isoSeconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isoOrNull(at: Date | null): string | null {
  return at === null ? null : isoSeconds(at);
}
