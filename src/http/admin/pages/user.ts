/**
 * One user's page: where the budget stands, every setting in one form, a reset with a required
 * reason and a confirmation, the usage breakdown with a chart, the reset history and the settings
 * audit log. Changes go through services.settings.update and services.resets.reset with the signed-in
 * admin as the actor, so validation, permissions and audit are the API's. A refused form comes back
 * with each error next to its field, what the admin typed kept, and nothing saved.
 */
import type express from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../../domain/actor.js';
import { ValidationError } from '../../../domain/errors.js';
import { microsToUsdCents } from '../../../domain/money.js';
import { PERIOD_TYPES } from '../../../domain/periods.js';
import { ROLES } from '../../../domain/permissions.js';
import { fieldErrors, reasonSchema } from '../../../domain/validation.js';
import { BREAKDOWN_RANGES } from '../../../services/breakdown.js';
import type { Services } from '../../../services/index.js';
import { currentActor } from '../auth.js';
import { chartJson } from '../chartData.js';
import { field, formBody, type FormErrors } from '../forms/fields.js';
import { errorSummary, formValuesFrom, formValuesOf, parseSettingsForm, SETTINGS_LABELS, toFormErrors, type SettingsFormValues } from '../forms/settingsForm.js';
import { viewHelpers } from '../format.js';
import { flash, renderPage } from '../render.js';

const HISTORY_PAGE = 10;
const cursor = z.string().regex(/^[0-9a-f]{24}$/).optional();
const querySchema = z.object({ range: z.enum(BREAKDOWN_RANGES).optional(), resets: cursor, audit: cursor });

interface UserPageState {
  form: SettingsFormValues;
  errors: FormErrors;
  reset: { reason: string; confirmed: boolean; errors: FormErrors };
}

const userPath = (userId: string) => `/admin/users/${encodeURIComponent(userId)}`;

async function showUserPage(req: Request, res: Response, services: Services, userId: string, state: Partial<UserPageState> = {}): Promise<void> {
  const actor: Actor = currentActor(req);
  const parsed = querySchema.safeParse(req.query);
  if (!parsed.success) throw new ValidationError('This user page address has bad parameters', fieldErrors(parsed.error));
  const range = parsed.data.range ?? 'current';
  // One read first: it creates the budget of a user the bot has not seen, and refuses a bad id.
  const budget = await services.settings.get(actor, userId);
  const [status, breakdown, resets, audit] = await Promise.all([
    services.status.status(actor, budget.userId),
    services.breakdown.breakdown(actor, budget.userId, range),
    services.history.resets(actor, budget.userId, { limit: HISTORY_PAGE, cursor: parsed.data.resets ?? null }),
    services.history.settingsChanges(actor, budget.userId, { limit: HISTORY_PAGE, cursor: parsed.data.audit ?? null }),
  ]);
  const here = userPath(budget.userId);
  const withQuery = (extra: Record<string, string>) => `${here}?${new URLSearchParams({ range, ...extra }).toString()}#${Object.keys(extra)[0] ?? 'usage'}`;

  await renderPage(req, res, 'admin/user', {
    title: budget.displayName ? `${budget.displayName} (${budget.userId})` : budget.userId,
    nav: 'users',
    budget,
    status,
    isAdmin: services.loader.isAdmin(budget),
    here,
    form: state.form ?? formValuesOf(budget),
    errors: state.errors ?? {},
    errorSummary: errorSummary(state.errors ?? {}),
    labels: SETTINGS_LABELS,
    reset: state.reset ?? { reason: '', confirmed: false, errors: {} },
    periodTypes: PERIOD_TYPES,
    roles: ROLES,
    ranges: BREAKDOWN_RANGES.map((r) => ({ value: r, label: r === 'current' ? 'This period' : `Last ${r.replace('d', ' days')}`, current: r === range })),
    breakdown,
    resets: resets.items,
    audit: audit.items,
    olderResetsHref: resets.nextCursor ? withQuery({ resets: resets.nextCursor }) : null,
    olderAuditHref: audit.nextCursor ? withQuery({ audit: audit.nextCursor }) : null,
    chartData: chartJson({
      usage: { labels: breakdown.daily.map((d) => d.day), values: breakdown.daily.map((d) => microsToUsdCents(d.costMicros)) },
    }),
    periodText: `${viewHelpers.dateTime(status.periodStart, status.timezone)} to ${viewHelpers.dateTime(status.periodEnd, status.timezone)}`,
  });
}

/** The reset form: a reason (the shared rule: 3 to 500 characters) and a ticked confirmation. */
function parseResetForm(body: ReturnType<typeof formBody>): { reason: string; confirmed: boolean; errors: FormErrors } {
  const reason = field(body, 'reason') ?? '';
  const confirmed = field(body, 'confirm') === 'yes';
  const errors: FormErrors = {};
  const parsed = reasonSchema.safeParse(reason);
  if (!parsed.success) errors.reason = parsed.error.issues.map((i) => i.message);
  if (!confirmed) errors.confirm = ['tick this box to confirm the reset'];
  return { reason, confirmed, errors };
}

export function userPage(router: express.Router, services: Services): void {
  router.get('/users/:userId', async (req, res) => {
    await showUserPage(req, res, services, req.params.userId);
  });

  router.post('/users/:userId/settings', async (req, res) => {
    const actor = currentActor(req);
    const body = formBody(req);
    const stored = formValuesOf(await services.settings.get(actor, req.params.userId));
    const parsed = parseSettingsForm(body);
    let errors: FormErrors = parsed.ok ? {} : parsed.errors;
    if (parsed.ok) {
      try {
        const saved = await services.settings.update(actor, req.params.userId, parsed.patch);
        flash(req, { kind: 'success', text: 'Settings saved.' });
        res.redirect(303, userPath(saved.userId));
        return;
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        errors = toFormErrors(err.fields);
        if (Object.keys(errors).length === 0) errors = { _: [err.message] };
      }
    }
    res.status(422);
    await showUserPage(req, res, services, req.params.userId, { form: formValuesFrom(body, stored), errors });
  });

  router.post('/users/:userId/reset', async (req, res) => {
    const actor = currentActor(req);
    const reset = parseResetForm(formBody(req));
    if (Object.keys(reset.errors).length === 0) {
      try {
        const result = await services.resets.reset(actor, req.params.userId, reset.reason);
        const { usd, dateTime } = viewHelpers;
        flash(req, {
          kind: 'success',
          text: `Budget reset. ${usd(result.previousSpentMicros)} was spent in the period that ended; the new period runs until ${dateTime(result.newPeriod.end)}.`,
        });
        res.redirect(303, userPath(req.params.userId));
        return;
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        reset.errors = { reason: Object.values(err.fields).flat() };
      }
    }
    res.status(422);
    await showUserPage(req, res, services, req.params.userId, { reset });
  });
}
