/**
 * Reads and changes a user's budget settings. Admins may change everything; a user only their own
 * limit, and only when permitted (and never above an admin-set ceiling). Every change writes one
 * audit entry with the values before and after.
 */
import { actorId, type Actor } from '../domain/actor.js';
import { periodRule, type BudgetRecord, type BudgetSettings } from '../domain/budget.js';
import { ConflictError, ForbiddenError, ValidationError } from '../domain/errors.js';
import { thresholdProblems } from '../domain/levels.js';
import { formatUsd } from '../domain/money.js';
import { periodContaining } from '../domain/periods.js';
import { parseOrThrow, settingsPatchSchema, userIdSchema } from '../domain/validation.js';
import type { FieldChange } from '../store/auditLog.js';
import type { Access, AccessPolicy } from './access.js';
import type { AlertQueue } from './alerts.js';
import type { BudgetLoader } from './budgetLoader.js';
import type { ServiceContext } from './context.js';

const SETTINGS_FIELDS = [
  'limitMicros',
  'limitCeilingMicros',
  'periodType',
  'periodAnchor',
  'customPeriodDays',
  'timezone',
  'thresholds',
  'enforceBudget',
  'autoFallback',
  'fallbackModel',
  'role',
  'budgetVisibleToUser',
  'userCanModifyLimit',
  'userCanResetBudget',
  'adminNotes',
  'displayName',
  'email',
] as const satisfies readonly (keyof BudgetSettings)[];

const PERIOD_FIELDS = new Set<keyof BudgetSettings>(['periodType', 'periodAnchor', 'customPeriodDays', 'timezone']);
/** Optimistic retries when another change lands between our read and our write. */
const MAX_TRIES = 5;

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class SettingsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly loader: BudgetLoader,
    private readonly access: AccessPolicy,
    private readonly alerts: AlertQueue,
  ) {}

  async get(actor: Actor, userId: string): Promise<BudgetRecord> {
    const budget = await this.loader.load(parseOrThrow(userIdSchema, userId, 'user id'));
    return withoutPrivateNotes(budget, await this.access.requireView(actor, budget));
  }

  async update(actor: Actor, userId: string, patchInput: unknown): Promise<BudgetRecord> {
    const patch = parseOrThrow(settingsPatchSchema, patchInput, 'settings');
    const validUserId = parseOrThrow(userIdSchema, userId, 'user id');
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const budget = await this.loader.load(validUserId);
      const access = await this.access.resolve(actor, budget);
      const merged: BudgetSettings = { ...budget, ...patch };
      const changes: FieldChange[] = SETTINGS_FIELDS.filter((f) => !sameValue(budget[f], merged[f])).map((field) => ({
        field,
        before: budget[field],
        after: merged[field],
      }));
      this.authorize(access, changes, merged);
      this.validate(merged);
      if (changes.length === 0) return withoutPrivateNotes(budget, access);

      const now = this.ctx.clock();
      const fields: Partial<BudgetRecord> = Object.fromEntries(changes.map((c) => [c.field, c.after]));
      if (changes.some((c) => c.field === 'timezone')) fields.timezoneSource = 'admin';
      if (changes.some((c) => PERIOD_FIELDS.has(c.field as keyof BudgetSettings))) {
        // A new period rule applies from now on: the current period becomes the one containing now
        // under the new rule, and the spend so far stays in it.
        const period = periodContaining(now, periodRule(merged));
        fields.periodStart = period.start;
        fields.periodEnd = period.end;
      }
      fields.updatedAt = now;
      const after = await this.ctx.store.budgets.replaceSettings(budget.userId, budget, fields);
      if (!after) continue;
      await this.ctx.store.audit.insert({ userId: budget.userId, actorKind: actor.kind, actorId: actorId(actor), at: now, changes });
      // A lower limit or threshold can put the spend past a level at once: alert for it, once.
      await this.alerts.queue(after, this.alerts.due(after));
      return withoutPrivateNotes(after, access);
    }
    throw new ConflictError('The settings kept changing while this change was being saved; try again');
  }

  private authorize(access: Access, changes: FieldChange[], merged: BudgetSettings): void {
    if (access.isAdmin) return;
    if (access.isService) throw new ForbiddenError('Service keys cannot change budget settings');
    if (!access.isOwner) throw new ForbiddenError("You may not change another user's budget");
    const notLimit = changes.filter((c) => c.field !== 'limitMicros').map((c) => c.field);
    if (notLimit.length > 0) throw new ForbiddenError(`Only an admin can change ${notLimit.join(', ')}`);
    if (changes.length > 0 && !access.canModifyLimit) throw new ForbiddenError('You are not allowed to change your limit; ask an admin');
    if (merged.limitCeilingMicros !== null && merged.limitMicros > merged.limitCeilingMicros) {
      throw new ValidationError(`Your limit can be at most ${formatUsd(merged.limitCeilingMicros)}`, {
        limitMicros: [`must be at most ${formatUsd(merged.limitCeilingMicros)} (the ceiling an admin set)`],
      });
    }
  }

  private validate(merged: BudgetSettings): void {
    const problems = thresholdProblems(merged.thresholds);
    if (problems.length === 0) return;
    const fields: Record<string, string[]> = {};
    for (const p of problems) (fields[`thresholds.${p.field}`] ??= []).push(p.message);
    throw new ValidationError(`Invalid thresholds: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, fields);
  }
}

/** Admin notes are the admins' own: everyone else sees them empty. */
export function withoutPrivateNotes(budget: BudgetRecord, access: Access): BudgetRecord {
  return access.isAdmin ? budget : { ...budget, adminNotes: '' };
}
