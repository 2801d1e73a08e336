/** Admin answers: the top spenders list and one person's budget with every setting. Pure. */
import type { BudgetRecord } from '../../domain/budget.js';
import { formatUsd } from '../../domain/money.js';
import type { BudgetStatus } from '../../domain/status.js';
import type { DirectoryPage } from '../../services/userDirectory.js';
import type { PermissionName } from '../parse.js';
import { context, escapeText, fields, LEVEL_EMOJI, line, mention, section, type SlackMessage } from './format.js';
import { statusBlocks } from './status.js';

const yesNo = (on: boolean): string => (on ? ':white_check_mark:' : ':x:');

export function adminListMessage(page: DirectoryPage): SlackMessage {
  if (page.items.length === 0) return line('No budgets yet: people get one the first time they use `/budget` or an integration reports their usage.');
  const rows = page.items.map(
    (e, i) =>
      `${i + 1}. ${mention(e.budget.userId)} ${LEVEL_EMOJI[e.status.alertLevel]} *${e.status.percentUsed}%* · ` +
      `${formatUsd(e.status.spentMicros)} of ${formatUsd(e.status.limitMicros)}${e.isAdmin ? ' · admin' : ''}`,
  );
  return {
    text: `Top ${page.items.length} of ${page.total} budgets by % used.`,
    blocks: [
      section(`*Top spenders by % used* (${page.items.length} of ${page.total})\n${rows.join('\n')}`),
      context('`/budget admin show @user` for one person; the admin page lists everyone.'),
    ],
  };
}

export function adminShowMessage(status: BudgetStatus, budget: BudgetRecord, ownerIsAdmin: boolean): SlackMessage {
  const t = budget.thresholds;
  const who = [budget.displayName, budget.email].filter((v): v is string => v !== null && v !== '').map(escapeText).join(' · ');
  const blocks = [
    ...statusBlocks(status, { ownerId: budget.userId }),
    fields(
      `*Permissions*\nsees budget ${yesNo(budget.budgetVisibleToUser)}  changes limit ${yesNo(budget.userCanModifyLimit)}  resets ${yesNo(budget.userCanResetBudget)}${ownerIsAdmin ? '\n(admin: may do everything)' : ''}`,
      `*Limit*\n${formatUsd(budget.limitMicros)}${budget.limitCeilingMicros === null ? '' : ` (users may set up to ${formatUsd(budget.limitCeilingMicros)})`}`,
      `*Period*\n${budget.periodType}${budget.periodType === 'custom' ? ` (${budget.customPeriodDays} days)` : ''} from ${budget.periodAnchor}, ${escapeText(budget.timezone)} (${budget.timezoneSource})`,
      `*Alerts at*\n${t.yellow}% · ${t.orange}% · ${t.red}%`,
      `*Enforcement*\n${budget.enforceBudget ? 'on' : 'off'}; over budget → ${budget.autoFallback ? `fallback to ${escapeText(budget.fallbackModel)}` : 'block'}`,
    ),
  ];
  if (who !== '') blocks.push(context(who));
  if (budget.adminNotes !== '') blocks.push(context(`Notes: ${escapeText(budget.adminNotes)}`));
  return { text: `Budget of ${mention(budget.userId)}: ${formatUsd(status.spentMicros)} of ${formatUsd(status.limitMicros)} used.`, blocks };
}

const PERMISSION_TEXT: Record<PermissionName, string> = {
  visible: 'see their budget',
  modify: 'change their own limit',
  reset: 'reset their own budget',
};

export function permissionChangedMessage(userId: string, allow: boolean, permissions: PermissionName[]): SlackMessage {
  const what = permissions.map((p) => PERMISSION_TEXT[p]).join(', ');
  return line(`:white_check_mark: ${mention(userId)} ${allow ? 'may now' : 'may no longer'} ${what}.`);
}
