/**
 * Input rules shared by every surface: the services parse with these, so the REST API, Slack and the
 * admin page accept and refuse exactly the same things.
 */
import { z } from 'zod';
import { ValidationError, type FieldErrors } from './errors.js';
import { MAX_LIMIT_MICROS } from './money.js';
import { isValidAnchor, isValidTimezone, MAX_CUSTOM_DAYS, PERIOD_TYPES } from './periods.js';
import { ROLES } from './permissions.js';
import { safeParseFriendly } from './zodMessages.js';

/** Slack ids (U0123ABCD) and other integrations' ids ("user123"); never an operator or a path. */
export const userIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/, 'must be 2-64 letters, digits, ".", "_" or "-"');

export const limitMicrosSchema = z
  .number()
  .int()
  .min(0, 'must be at least $0')
  .max(MAX_LIMIT_MICROS, 'must be at most $10,000');

const percent = z.number().finite().min(1, 'must be at least 1').max(100, 'must be at most 100');

export const thresholdsSchema = z.strictObject({ yellow: percent, orange: percent, red: percent });

export const modelNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/, 'must be a model name such as ollama/llama3.1');

/** A change to a budget's settings, in internal units. Fields left out stay as they are. */
export const settingsPatchSchema = z.strictObject({
  limitMicros: limitMicrosSchema.optional(),
  limitCeilingMicros: limitMicrosSchema.nullable().optional(),
  periodType: z.enum(PERIOD_TYPES).optional(),
  periodAnchor: z.string().refine(isValidAnchor, 'must be a date (YYYY-MM-DD)').optional(),
  customPeriodDays: z.number().int().min(1, 'must be at least 1').max(MAX_CUSTOM_DAYS, `must be at most ${MAX_CUSTOM_DAYS}`).optional(),
  timezone: z.string().max(64).refine(isValidTimezone, 'must be an IANA time zone such as Europe/Berlin').optional(),
  thresholds: thresholdsSchema.optional(),
  enforceBudget: z.boolean().optional(),
  autoFallback: z.boolean().optional(),
  fallbackModel: modelNameSchema.optional(),
  role: z.enum(ROLES as [string, ...string[]]).transform((r) => r as 'user' | 'admin').optional(),
  budgetVisibleToUser: z.boolean().optional(),
  userCanModifyLimit: z.boolean().optional(),
  userCanResetBudget: z.boolean().optional(),
  adminNotes: z.string().max(2000, 'must be at most 2,000 characters').optional(),
  displayName: z.string().trim().max(200).nullable().optional(),
  email: z.email().max(320).nullable().optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const reasonSchema = z
  .string()
  .trim()
  .min(3, 'a reason is required (at least 3 characters)')
  .max(500, 'must be at most 500 characters');

/** Field path → messages, e.g. { "thresholds.orange": ["must be at least 1"] }. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Parses with a schema or throws a ValidationError naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = safeParseFriendly(schema, input);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error);
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field} ${messages.join(', ')}`)
    .join('; ');
  throw new ValidationError(`Invalid ${what}: ${summary}`, fields);
}

const MAX_TOKENS = 100_000_000;
/** $100,000 for one call is far above any real call and keeps all arithmetic in safe integers. */
export const MAX_EVENT_COST_MICROS = 100_000 * 1_000_000;

const label = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`).regex(/^[^$\p{Cc}]+$/u, 'must not contain "$" or control characters');

/** One usage event as the services take it (money already in micro-dollars). */
export const usageInputSchema = z.strictObject({
  userId: userIdSchema,
  idempotencyKey: z.string().min(1, 'is required').max(200, 'must be at most 200 characters').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  provider: label(50).optional(),
  model: modelNameSchema,
  operation: label(100).optional(),
  inputTokens: z.number().int('must be a whole number').min(0, 'must not be negative').max(MAX_TOKENS).optional(),
  outputTokens: z.number().int('must be a whole number').min(0, 'must not be negative').max(MAX_TOKENS).optional(),
  costMicros: z.number().int('must be whole micro-dollars').min(0, 'must not be negative').max(MAX_EVENT_COST_MICROS, 'must be at most $100,000').optional(),
  occurredAt: z.date().optional(),
});
export type UsageInput = z.input<typeof usageInputSchema>;

export const checkInputSchema = z.strictObject({
  userId: userIdSchema,
  model: modelNameSchema,
  provider: label(50).optional(),
  estimatedCostMicros: z.number().int().min(0, 'must not be negative').max(MAX_EVENT_COST_MICROS, 'must be at most $100,000').default(0),
});
export type CheckInput = z.input<typeof checkInputSchema>;
