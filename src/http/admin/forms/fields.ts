/**
 * zod schemas for HTML form fields, which always arrive as strings. Written by hand because zod's
 * coercions are wrong for forms (STACK.md): z.coerce.number() turns '' into 0 and
 * z.coerce.boolean() turns 'false' into true. Each one turns the string into the value the services
 * take (USD into micro-dollars) or fails with a message for the field.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { usdToMicros } from '../../../domain/money.js';

/** Messages per form field; `_` holds those that belong to no field. */
export type FormErrors = Record<string, string[]>;

/** A urlencoded body: each field a string, or several when a name repeats. */
export type FormBody = Record<string, string | string[]>;

export function formBody(req: Request): FormBody {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return {};
  const out: FormBody = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[name] = value;
  }
  return out;
}

/**
 * The field's value; for a repeated name the last one. Checkboxes are sent as a hidden "false"
 * followed by the checkbox's "true", so the last value is the box's state.
 */
export function field(body: FormBody, name: string): string | undefined {
  const value = body[name];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** Every named field's value (last of repeats), ready for a form schema. */
export function fields<const N extends string>(body: FormBody, names: readonly N[]): Partial<Record<N, string>> {
  const out: Partial<Record<N, string>> = {};
  for (const name of names) {
    const value = field(body, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

const AMOUNT = /^\d{1,9}(\.\d{1,6})?$/;
const AMOUNT_MESSAGE = 'must be an amount in dollars, like 25 or 12.50';

/** "$1,250.50" → micro-dollars. Thousands separators and a leading $ are allowed. */
export const usdField = z
  .string()
  .transform((s) => s.trim().replace(/^\$\s*/, '').replace(/,/g, ''))
  .refine((s) => s !== '', 'is required')
  .refine((s) => s === '' || AMOUNT.test(s), AMOUNT_MESSAGE)
  .transform((s) => usdToMicros(Number(s)));

/** Like usdField, but empty means "none" (null). */
export const optionalUsdField = z.string().transform((s, ctx) => {
  if (s.trim() === '') return null;
  const parsed = usdField.safeParse(s);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
  return z.NEVER;
});

export const wholeNumberField = z
  .string()
  .trim()
  .regex(/^\d{1,9}$/, 'must be a whole number')
  .transform(Number);

/** A percentage such as 40 or 12.5 (range checks are the domain's). */
export const percentField = z
  .string()
  .trim()
  .regex(/^\d{1,3}(\.\d{1,2})?$/, 'must be a number from 1 to 100')
  .transform(Number);

/** A checkbox sent as hidden "false" + checkbox "true". */
export const checkboxField = z.stringbool({ truthy: ['true', 'on'], falsy: ['false'], error: 'must be checked or not' });

export const textField = z.string().trim();

/** Empty means "not set" (null). */
export const nullableTextField = z
  .string()
  .trim()
  .transform((s) => (s === '' ? null : s));

/** Browsers send textarea line breaks as CRLF; stored text uses LF, so an unchanged note is unchanged. */
export const multilineField = z.string().transform((s) => s.replace(/\r\n/g, '\n'));
