/**
 * The model price form: a model, its provider and its prices in USD per million tokens. PriceBook
 * stores whatever it is given, so the rules live here: a model name as usage events report it
 * (lower case, no provider prefix, which parseModel strips before a lookup), a provider name, and
 * prices from $0 to $10,000 per million tokens.
 */
import { z } from 'zod';
import { fieldErrors, modelNameSchema } from '../../../domain/validation.js';
import type { ModelPrice } from '../../../domain/pricing.js';
import { MICROS_PER_USD, type Micros } from '../../../domain/money.js';
import { perMillion } from '../format.js';
import { fields, textField, usdField, type FormBody, type FormErrors } from './fields.js';

export const PRICE_FIELDS = ['model', 'provider', 'inputUsd', 'outputUsd'] as const;
export type PriceField = (typeof PRICE_FIELDS)[number];
export type PriceFormValues = Record<PriceField, string>;

const MAX_PRICE_MICROS = 10_000 * MICROS_PER_USD;

const pricePerMillion = usdField.refine((micros) => micros <= MAX_PRICE_MICROS, 'must be at most $10,000 per million tokens');

const priceSchema = z.object({
  model: modelNameSchema
    .transform((m) => m.toLowerCase())
    .refine((m) => !m.includes('/'), 'must be the model without its provider (gpt-4o, not openai/gpt-4o)'),
  provider: textField
    .transform((p) => p.toLowerCase())
    .pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,49}$/, 'must be a provider name such as openai (letters, digits, . _ -)')),
  inputUsd: pricePerMillion,
  outputUsd: pricePerMillion,
});

export type PriceFormResult = { ok: true; price: ModelPrice } | { ok: false; errors: FormErrors };

export function parsePriceForm(body: FormBody): PriceFormResult {
  const values = valuesFrom(body);
  const parsed = priceSchema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { model, provider, inputUsd, outputUsd } = parsed.data;
  return { ok: true, price: { model, provider, inputPerMillion: inputUsd, outputPerMillion: outputUsd } };
}

/** What the admin typed (missing fields empty), to show again with the errors. */
export function valuesFrom(body: FormBody): PriceFormValues {
  const typed = fields(body, PRICE_FIELDS);
  return { model: typed.model ?? '', provider: typed.provider ?? '', inputUsd: typed.inputUsd ?? '', outputUsd: typed.outputUsd ?? '' };
}

export function priceValuesOf(price: ModelPrice): PriceFormValues {
  const amount = (micros: Micros) => perMillion(micros).slice(1);
  return { model: price.model, provider: price.provider, inputUsd: amount(price.inputPerMillion), outputUsd: amount(price.outputPerMillion) };
}

export const EMPTY_PRICE: PriceFormValues = { model: '', provider: '', inputUsd: '', outputUsd: '' };
