/**
 * Schema pieces several routes share. Where a rule already exists in the domain (user ids, model
 * names, time zones, thresholds, reasons), the API uses that very schema, so the API, Slack and the
 * admin page accept exactly the same input; only money (USD here, micro-dollars inside) and names
 * (snake_case here) differ.
 */
import { z } from 'zod';
import { ALERT_LEVELS } from '../../domain/levels.js';
import { reasonSchema, userIdSchema } from '../../domain/validation.js';
import { MAX_PAGE_SIZE } from '../../services/history.js';

export const userId = userIdSchema.describe('A Slack user id (U0123ABCD) or an integration\'s user id ("user123")');

/** A USD amount from `min` to `max`, e.g. 23.45. JSON has no NaN or Infinity, and zod refuses them. */
export const usdAmount = (max: number, what: string) =>
  z
    .number()
    .min(0, 'must not be negative')
    .max(max, `must be at most ${max.toLocaleString('en-US')}`)
    .describe(`${what}, in USD`);

export const timestamp = z.iso.datetime().describe('ISO 8601, UTC, to the second');

export const alertLevel = z.enum(ALERT_LEVELS).describe('green below the yellow threshold, then yellow, orange, red; over at 100 % and above');

export const reason = reasonSchema.describe('Why (3-500 characters); kept in the reset log');

/** `?user_id=` on routes about one user: required with admin and service tokens, optional with a user token. */
export const userQuery = {
  user_id: userId.optional().describe('Whose budget: required with admin and service tokens; a user token may only name its own user'),
};

/** A positive whole number in a query string ("20"). */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

export const pageQuery = {
  limit: wholeNumber(1, MAX_PAGE_SIZE).optional().describe(`Items per page, 1-${MAX_PAGE_SIZE}`),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, 'is not a cursor this API returned')
    .optional()
    .describe('The next_cursor of the previous page'),
};

export const nextCursor = z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last page');

/** The body of every error response. */
export const errorSchema = z.strictObject({
  error: z.strictObject({
    code: z.string().describe('Stable, machine-readable: validation_failed, unauthorized, forbidden, budget_hidden, not_found, conflict, unknown_model, rate_limited, ...'),
    message: z.string().describe('For people'),
    details: z
      .unknown()
      .describe('For 400: field → messages, e.g. {"monthly_limit_usd":["must be at most 10,000"]}; null when there is nothing more to say'),
  }),
});
