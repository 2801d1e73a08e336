/**
 * What the reset confirm button carries: whose budget, why, and the period the asker saw. The
 * period number makes the click reset at most once (see ResetService.reset's expectedPeriodSeq).
 * Pure: encoded by the reset command's blocks, decoded by the button's action listener.
 */
import { z } from 'zod';
import { reasonSchema, userIdSchema } from '../domain/validation.js';

export const RESET_CONFIRM_ACTION = 'budget_reset_confirm';
export const RESET_CANCEL_ACTION = 'budget_reset_cancel';

const schema = z.strictObject({
  u: userIdSchema,
  r: reasonSchema,
  s: z.number().int().min(0),
});

export interface ResetRequest {
  userId: string;
  reason: string;
  periodSeq: number;
}

export function encodeResetRequest(request: ResetRequest): string {
  return JSON.stringify({ u: request.userId, r: request.reason, s: request.periodSeq });
}

/** Null when the value was not made by encodeResetRequest (a forged or garbled payload). */
export function decodeResetRequest(value: string | undefined): ResetRequest | null {
  if (value === undefined) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? { userId: parsed.data.u, reason: parsed.data.r, periodSeq: parsed.data.s } : null;
}
