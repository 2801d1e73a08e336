/** The App Home tab: the same status and usage breakdown as the commands, refreshed when opened. Pure. */
import type { types } from '@slack/bolt';
import type { BudgetStatus } from '../../domain/status.js';
import type { Breakdown } from '../../services/breakdown.js';
import { context, divider, header, section, slackDateTime, type Block } from './format.js';
import { helpLines } from './help.js';
import { HIDDEN_BUDGET_LINE } from './messages.js';
import { statusBlocks } from './status.js';
import { usageBlocks } from './usage.js';

export type HomeView = types.HomeView;

export type HomeContent =
  | { kind: 'budget'; status: BudgetStatus; breakdown: Breakdown; isAdmin: boolean }
  | { kind: 'hidden' }
  | { kind: 'unavailable' };

export function homeView(content: HomeContent, now: Date): HomeView {
  const blocks: Block[] = [header('Budget Bot')];
  if (content.kind === 'budget') {
    blocks.push(...statusBlocks(content.status), divider, ...usageBlocks(content.breakdown));
    if (content.isAdmin) blocks.push(context('You are a Budget Bot admin: `/budget admin help` lists the admin commands.'));
  } else if (content.kind === 'hidden') {
    blocks.push(
      section(HIDDEN_BUDGET_LINE),
      section(helpLines({ canView: false, canModifyLimit: false, canReset: false, isAdmin: false }).join('\n')),
    );
  } else {
    blocks.push(section('Your budget could not be loaded just now. Open this tab again in a minute.'));
  }
  // Slack allows 100 blocks in a view; ours stay far below, the cap only guards the limit.
  blocks.push(context(`Updated ${slackDateTime(now)} · type \`/budget help\` in any channel for commands`));
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
