/**
 * PUT /budget/admin/configure: an admin sets any of a user's settings (creating the user when new).
 * Fields left out stay as they are. USD becomes micro-dollars and snake_case becomes the services'
 * names here; the services check the rest and write one audit entry.
 */
import { z } from 'zod';
import { thresholdProblems } from '../../../domain/levels.js';
import { MAX_LIMIT_MICROS, MICROS_PER_USD, usdToMicros } from '../../../domain/money.js';
import { settingsPatchSchema, type SettingsPatch } from '../../../domain/validation.js';
import { anchorDate, periodAnchorInput } from '../anchor.js';
import { defineRoute } from '../route.js';
import { usdAmount, userId } from '../schemas.js';
import { settingsJson, settingsResponse } from '../shapes/settings.js';

const MAX_LIMIT_USD = MAX_LIMIT_MICROS / MICROS_PER_USD;
const rules = settingsPatchSchema.shape;

const thresholds = rules.thresholds.superRefine((t, ctx) => {
  if (t === undefined) return;
  for (const p of thresholdProblems(t)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
});

const configureRequest = z.strictObject({
  target_user_id: userId.describe('The user to configure; created with the defaults first when new'),
  monthly_limit_usd: usdAmount(MAX_LIMIT_USD, 'The limit of the budget period (whatever its length)').optional(),
  limit_ceiling_usd: usdAmount(MAX_LIMIT_USD, 'A ceiling')
    .nullable()
    .optional()
    .describe('The most the user may set their own limit to, in USD; null removes the ceiling'),
  period_type: rules.periodType.describe('monthly, weekly, daily or custom'),
  period_anchor: periodAnchorInput.optional(),
  custom_period_days: rules.customPeriodDays.describe('Length of a custom period, 1-366 days'),
  timezone: rules.timezone.describe('IANA time zone, e.g. Europe/Berlin'),
  thresholds: thresholds.describe('Alert thresholds in % of the limit: strictly increasing, 1-100'),
  enforce_budget: rules.enforceBudget.describe('Off: the check always answers allow (alerts still go out)'),
  auto_fallback: rules.autoFallback.describe('Over budget: answer fallback instead of block'),
  fallback_model: rules.fallbackModel.describe('The model suggested with fallback'),
  role: rules.role.describe('user or admin'),
  budget_visible_to_user: rules.budgetVisibleToUser,
  user_can_modify_limit: rules.userCanModifyLimit,
  user_can_reset_budget: rules.userCanResetBudget,
  admin_notes: rules.adminNotes.describe('Up to 2,000 characters'),
  display_name: rules.displayName,
  email: rules.email,
}).meta({
  examples: [
    {
      target_user_id: 'user123',
      budget_visible_to_user: true,
      user_can_modify_limit: true,
      user_can_reset_budget: false,
      monthly_limit_usd: 100.0,
      admin_notes: 'Power user - increased limit',
    },
  ],
});

type ConfigureRequest = z.output<typeof configureRequest>;

function toPatch(body: ConfigureRequest, anchor: string | undefined): SettingsPatch {
  const patch: SettingsPatch = {};
  if (body.monthly_limit_usd !== undefined) patch.limitMicros = usdToMicros(body.monthly_limit_usd);
  if (body.limit_ceiling_usd !== undefined) patch.limitCeilingMicros = body.limit_ceiling_usd === null ? null : usdToMicros(body.limit_ceiling_usd);
  if (body.period_type !== undefined) patch.periodType = body.period_type;
  if (anchor !== undefined) patch.periodAnchor = anchor;
  if (body.custom_period_days !== undefined) patch.customPeriodDays = body.custom_period_days;
  if (body.timezone !== undefined) patch.timezone = body.timezone;
  if (body.thresholds !== undefined) patch.thresholds = body.thresholds;
  if (body.enforce_budget !== undefined) patch.enforceBudget = body.enforce_budget;
  if (body.auto_fallback !== undefined) patch.autoFallback = body.auto_fallback;
  if (body.fallback_model !== undefined) patch.fallbackModel = body.fallback_model;
  if (body.role !== undefined) patch.role = body.role;
  if (body.budget_visible_to_user !== undefined) patch.budgetVisibleToUser = body.budget_visible_to_user;
  if (body.user_can_modify_limit !== undefined) patch.userCanModifyLimit = body.user_can_modify_limit;
  if (body.user_can_reset_budget !== undefined) patch.userCanResetBudget = body.user_can_reset_budget;
  if (body.admin_notes !== undefined) patch.adminNotes = body.admin_notes;
  if (body.display_name !== undefined) patch.displayName = body.display_name;
  if (body.email !== undefined) patch.email = body.email;
  return patch;
}

export const adminConfigureRoutes = [
  defineRoute({
    method: 'put',
    path: '/budget/admin/configure',
    operationId: 'configureBudget',
    tag: 'Admin',
    summary: "Set any of a user's budget settings",
    description:
      'Admin tokens only. Every field but target_user_id is optional; fields left out stay as they are. A change of period ' +
      'type, anchor, length or time zone makes the current period the one containing now under the new rule (the spend so far ' +
      'stays in it). Each change is written to the audit log.',
    auth: 'admin',
    body: configureRequest,
    response: { schema: settingsResponse, statuses: { 200: 'The settings after the change' } },
    errors: [403, 409],
    async handle({ actor, services, body }) {
      let anchor: string | undefined;
      if (body.period_anchor !== undefined) {
        // A date-time's date depends on the zone: the one being set, else the user's current one.
        const zone = body.timezone ?? (await services.settings.get(actor, body.target_user_id)).timezone;
        anchor = anchorDate(body.period_anchor, zone);
      }
      const budget = await services.settings.update(actor, body.target_user_id, toPatch(body, anchor));
      return { status: 200, body: settingsJson(budget) };
    },
  }),
];
