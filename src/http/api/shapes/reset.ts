/** The answer to a manual reset (POST /budget/reset and POST /budget/admin/reset/{user_id}). */
import { z } from 'zod';
import type { ResetResult } from '../../../services/resets.js';
import { isoSeconds, usd } from '../format.js';
import { timestamp } from '../schemas.js';

export const RESET_MESSAGE = 'Budget reset successfully';

export const resetResponse = z.strictObject({
  success: z.literal(true),
  message: z.literal(RESET_MESSAGE),
  new_period_start: timestamp.describe('The moment of the reset'),
  new_period_end: timestamp.describe('00:00 in the user\'s time zone, one period length later'),
  previous_spent: z.number().describe('What the closed period had spent, in USD'),
}).meta({
  examples: [
    {
      success: true,
      message: RESET_MESSAGE,
      new_period_start: '2025-12-14T10:30:00Z',
      new_period_end: '2026-01-14T00:00:00Z',
      previous_spent: 45.67,
    },
  ],
});

export function resetJson(result: ResetResult): z.input<typeof resetResponse> {
  return {
    success: true,
    message: RESET_MESSAGE,
    new_period_start: isoSeconds(result.newPeriod.start),
    new_period_end: isoSeconds(result.newPeriod.end),
    previous_spent: usd(result.previousSpentMicros),
  };
}
