/**
 * The user page's settings form: every setting of a budget, in USD and plain strings. Turns a
 * submitted form into a settings patch for services.settings.update, and the errors the form, the
 * shared schema (settingsPatchSchema) or the service report into messages per form field, so each
 * message shows next to its field and the form keeps what the admin typed.
 */
import { z } from 'zod';
import type { BudgetRecord } from '../../../domain/budget.js';
import type { FieldErrors } from '../../../domain/errors.js';
import { thresholdProblems, type Thresholds } from '../../../domain/levels.js';
import type { Micros } from '../../../domain/money.js';
import { fieldErrors, settingsPatchSchema, type SettingsPatch } from '../../../domain/validation.js';
import {
  checkboxField,
  fields,
  multilineField,
  nullableTextField,
  optionalUsdField,
  percentField,
  textField,
  usdField,
  wholeNumberField,
  type FormBody,
  type FormErrors,
} from './fields.js';

export const SETTINGS_FIELDS = [
  'displayName',
  'email',
  'limitUsd',
  'limitCeilingUsd',
  'periodType',
  'periodAnchor',
  'customPeriodDays',
  'timezone',
  'thresholdYellow',
  'thresholdOrange',
  'thresholdRed',
  'enforceBudget',
  'autoFallback',
  'fallbackModel',
  'role',
  'budgetVisibleToUser',
  'userCanModifyLimit',
  'userCanResetBudget',
  'adminNotes',
] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

/** The form's labels: used by the template and by the error summary that links to each field. */
export const SETTINGS_LABELS: Record<SettingsField, string> = {
  displayName: 'Display name',
  email: 'Email',
  limitUsd: 'Limit per period (USD)',
  limitCeilingUsd: 'Ceiling for limits the user sets (USD)',
  periodType: 'Period',
  periodAnchor: 'Anchor date',
  customPeriodDays: 'Custom period length (days)',
  timezone: 'Time zone',
  thresholdYellow: 'Yellow at',
  thresholdOrange: 'Orange at',
  thresholdRed: 'Red at',
  enforceBudget: 'Enforce the budget',
  autoFallback: 'Fall back to a local model instead of blocking',
  fallbackModel: 'Fallback model',
  role: 'Role',
  budgetVisibleToUser: 'User can see their budget',
  userCanModifyLimit: 'User can change their own limit',
  userCanResetBudget: 'User can reset their own budget',
  adminNotes: 'Admin notes',
};

/** One line per problem, in form order, each linking to its field (for the summary above the form). */
export function errorSummary(errors: FormErrors): { href: string | null; text: string }[] {
  const lines: { href: string | null; text: string }[] = (errors._ ?? []).map((text) => ({ href: null, text }));
  for (const name of SETTINGS_FIELDS) {
    for (const message of errors[name] ?? []) lines.push({ href: `#f-${name}`, text: `${SETTINGS_LABELS[name]}: ${message}` });
  }
  return lines;
}

/** What the form's inputs show: strings for text inputs, booleans for checkboxes. */
export type SettingsFormValues = Record<SettingsField, string | boolean>;

const CHECKBOXES = new Set<SettingsField>(['enforceBudget', 'autoFallback', 'budgetVisibleToUser', 'userCanModifyLimit', 'userCanResetBudget']);

// Every field optional: a field the post leaves out is left unchanged.
const formSchema = z.object({
  displayName: nullableTextField.optional(),
  email: nullableTextField.optional(),
  limitUsd: usdField.optional(),
  limitCeilingUsd: optionalUsdField.optional(),
  periodType: textField.optional(),
  periodAnchor: textField.optional(),
  customPeriodDays: wholeNumberField.optional(),
  timezone: textField.optional(),
  thresholdYellow: percentField.optional(),
  thresholdOrange: percentField.optional(),
  thresholdRed: percentField.optional(),
  enforceBudget: checkboxField.optional(),
  autoFallback: checkboxField.optional(),
  fallbackModel: textField.optional(),
  role: textField.optional(),
  budgetVisibleToUser: checkboxField.optional(),
  userCanModifyLimit: checkboxField.optional(),
  userCanResetBudget: checkboxField.optional(),
  adminNotes: multilineField.optional(),
});
type ParsedForm = z.output<typeof formSchema>;

/** Error keys of the settings schema and service (internal names) → the form's field names. */
const FORM_FIELD_OF: Record<string, SettingsField> = {
  limitMicros: 'limitUsd',
  limitCeilingMicros: 'limitCeilingUsd',
  thresholds: 'thresholdYellow',
  'thresholds.yellow': 'thresholdYellow',
  'thresholds.orange': 'thresholdOrange',
  'thresholds.red': 'thresholdRed',
};

export function toFormErrors(errors: FieldErrors): FormErrors {
  const out: FormErrors = {};
  for (const [key, messages] of Object.entries(errors)) {
    const name = FORM_FIELD_OF[key] ?? ((SETTINGS_FIELDS as readonly string[]).includes(key) ? key : '_');
    for (const message of messages) if (!out[name]?.includes(message)) (out[name] ??= []).push(message);
  }
  return out;
}

function mergeErrors(...all: FormErrors[]): FormErrors {
  const out: FormErrors = {};
  for (const errors of all) {
    for (const [name, messages] of Object.entries(errors)) {
      for (const message of messages) if (!out[name]?.includes(message)) (out[name] ??= []).push(message);
    }
  }
  return out;
}

/** The three thresholds, when all three were sent and are numbers (they only make sense together). */
function thresholdsOf(form: ParsedForm): Thresholds | undefined {
  const { thresholdYellow: yellow, thresholdOrange: orange, thresholdRed: red } = form;
  return yellow !== undefined && orange !== undefined && red !== undefined ? { yellow, orange, red } : undefined;
}

function toPatch(form: ParsedForm): Record<string, unknown> {
  const patch: Record<string, unknown> = {
    displayName: form.displayName,
    email: form.email,
    limitMicros: form.limitUsd,
    limitCeilingMicros: form.limitCeilingUsd,
    periodType: form.periodType,
    periodAnchor: form.periodAnchor,
    customPeriodDays: form.customPeriodDays,
    timezone: form.timezone,
    enforceBudget: form.enforceBudget,
    autoFallback: form.autoFallback,
    fallbackModel: form.fallbackModel,
    role: form.role,
    budgetVisibleToUser: form.budgetVisibleToUser,
    userCanModifyLimit: form.userCanModifyLimit,
    userCanResetBudget: form.userCanResetBudget,
    adminNotes: form.adminNotes,
  };
  const thresholds = thresholdsOf(form);
  if (thresholds) patch.thresholds = thresholds;
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}

export type SettingsFormResult = { ok: true; patch: SettingsPatch } | { ok: false; errors: FormErrors };

/**
 * Parses the submitted form into a patch. Reports every problem at once: the form's own (not a
 * number, ...), the shared settings schema's (over $10,000, ...) and the thresholds' order, which
 * the service would otherwise report only after the schema's problems were fixed. The service
 * still validates the patch again when it saves.
 */
export function parseSettingsForm(body: FormBody): SettingsFormResult {
  const raw = fields(body, SETTINGS_FIELDS);
  const form = formSchema.safeParse(raw);
  const formErrors: FormErrors = {};
  let parsed: ParsedForm = {};
  if (form.success) {
    parsed = form.data;
  } else {
    // Keep the fields that did parse, so their problems are reported too.
    const bad = new Set(form.error.issues.map((issue) => String(issue.path[0])));
    for (const issue of form.error.issues) (formErrors[String(issue.path[0])] ??= []).push(issue.message);
    const good = formSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([name]) => !bad.has(name))));
    if (good.success) parsed = good.data;
  }
  const patch = toPatch(parsed);
  const schema = settingsPatchSchema.safeParse(patch);
  const schemaErrors = schema.success ? {} : toFormErrors(fieldErrors(schema.error));
  const order: FieldErrors = {};
  const thresholds = thresholdsOf(parsed);
  if (thresholds) for (const p of thresholdProblems(thresholds)) (order[`thresholds.${p.field}`] ??= []).push(p.message);
  const found = mergeErrors(formErrors, schemaErrors);
  // The order check repeats the range check; a field already reported keeps its one message.
  const orderErrors = Object.fromEntries(Object.entries(toFormErrors(order)).filter(([name]) => !found[name]));
  const errors = mergeErrors(found, orderErrors);
  if (Object.keys(errors).length > 0 || !schema.success) return { ok: false, errors };
  return { ok: true, patch: schema.data };
}

/** A stored amount as the form shows it: cents when whole cents ("50.00"), else to the micro-dollar. */
function usdInput(micros: Micros): string {
  return micros % 10_000 === 0 ? (micros / 1_000_000).toFixed(2) : (micros / 1_000_000).toFixed(6);
}

export function formValuesOf(budget: BudgetRecord): SettingsFormValues {
  return {
    displayName: budget.displayName ?? '',
    email: budget.email ?? '',
    limitUsd: usdInput(budget.limitMicros),
    limitCeilingUsd: budget.limitCeilingMicros === null ? '' : usdInput(budget.limitCeilingMicros),
    periodType: budget.periodType,
    periodAnchor: budget.periodAnchor,
    customPeriodDays: String(budget.customPeriodDays),
    timezone: budget.timezone,
    thresholdYellow: String(budget.thresholds.yellow),
    thresholdOrange: String(budget.thresholds.orange),
    thresholdRed: String(budget.thresholds.red),
    enforceBudget: budget.enforceBudget,
    autoFallback: budget.autoFallback,
    fallbackModel: budget.fallbackModel,
    role: budget.role,
    budgetVisibleToUser: budget.budgetVisibleToUser,
    userCanModifyLimit: budget.userCanModifyLimit,
    userCanResetBudget: budget.userCanResetBudget,
    adminNotes: budget.adminNotes,
  };
}

/** What the admin typed, to show again with the errors (unsent fields keep the stored values). */
export function formValuesFrom(body: FormBody, stored: SettingsFormValues): SettingsFormValues {
  const typed = fields(body, SETTINGS_FIELDS);
  const out = { ...stored };
  for (const name of SETTINGS_FIELDS) {
    const value = typed[name];
    if (value === undefined) continue;
    out[name] = CHECKBOXES.has(name) ? value === 'true' || value === 'on' : value;
  }
  return out;
}
