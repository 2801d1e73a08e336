/** `/budget status` (and the top of App Home and `admin show`): where a budget stands. Pure. */
import { formatUsd } from '../../domain/money.js';
import type { BudgetStatus } from '../../domain/status.js';
import { USAGE } from '../parse.js';
import { context, fields, levelBadge, mention, plural, progressBar, section, slackDate, type Block, type SlackMessage } from './format.js';

export interface StatusOptions {
  /** Set when an admin looks at someone else's budget: no "you can" line, the owner named instead. */
  ownerId?: string;
}

export function statusBlocks(s: BudgetStatus, options: StatusOptions = {}): Block[] {
  const self = options.ownerId === undefined;
  const title = self ? '*Your LLM budget*' : `*Budget of ${mention(options.ownerId ?? s.userId)}*`;
  const projectedNote = s.projectedMicros > s.limitMicros ? '  :warning: above the limit' : '';
  const blocks: Block[] = [
    section(
      `${title}\n*${formatUsd(s.spentMicros)}* of *${formatUsd(s.limitMicros)}* used · ${s.percentUsed}%\n` +
        `\`${progressBar(s.percentUsed)}\`  ${levelBadge(s.alertLevel)}`,
    ),
    fields(
      `*Remaining*\n${formatUsd(s.remainingMicros)}`,
      `*Days left*\n${plural(s.daysRemaining, 'day')} (ends ${slackDate(s.periodEnd)})`,
      `*Projected this period*\n${formatUsd(s.projectedMicros)}${projectedNote}`,
      `*Period*\n${capitalise(s.periodType)}, since ${slackDate(s.periodStart)}`,
    ),
  ];
  if (s.isOverBudget) {
    blocks.push(
      context(
        s.enforceBudget
          ? ':no_entry: Over budget: LLM calls are now blocked or sent to the fallback model.'
          : ':no_entry: Over budget. This budget is not enforced, so calls are still allowed.',
      ),
    );
  }
  if (self) blocks.push(context(`You can: ${allowedActions(s).map((a) => `\`${a}\``).join(' · ')}`));
  return blocks;
}

export function statusMessage(s: BudgetStatus, options: StatusOptions = {}): SlackMessage {
  const whose = options.ownerId === undefined ? 'Your budget' : `Budget of ${mention(options.ownerId)}`;
  return {
    text: `${whose}: ${formatUsd(s.spentMicros)} of ${formatUsd(s.limitMicros)} used (${s.percentUsed}%), ${s.alertLevel}.`,
    blocks: statusBlocks(s, options),
  };
}

/** The commands the owner of this budget may use, as the status shows them. */
export function allowedActions(s: Pick<BudgetStatus, 'canView' | 'canModifyLimit' | 'canReset'>): string[] {
  const actions: string[] = [];
  if (s.canView) actions.push('/budget usage', USAGE.history);
  if (s.canModifyLimit) actions.push(USAGE.limit);
  if (s.canReset) actions.push(USAGE.reset);
  actions.push(USAGE.help);
  return actions;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
