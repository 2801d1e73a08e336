/** `/budget help`: only the commands this user may use. Pure. */
import { USAGE } from '../parse.js';
import { context, section, type SlackMessage } from './format.js';
import { HIDDEN_BUDGET_LINE } from './messages.js';

export interface HelpAccess {
  canView: boolean;
  canModifyLimit: boolean;
  canReset: boolean;
  isAdmin: boolean;
}

const ADMIN_LINES = [
  `\`${USAGE.adminList}\` — top spenders by % used`,
  `\`${USAGE.adminShow}\` — one person's budget and settings`,
  `\`${USAGE.adminLimit}\` — set someone's limit`,
  `\`${USAGE.adminReset}\` — reset someone's budget`,
  `\`${USAGE.adminAllow}\` — let them see, change their limit, or reset`,
  `\`${USAGE.adminDeny}\` — take that away again`,
  `\`${USAGE.adminLogin}\` — a one-time sign-in link for the admin page`,
];

export function helpLines(a: HelpAccess): string[] {
  const lines: string[] = [];
  if (a.canView) {
    lines.push(
      `\`${USAGE.status}\` — where your budget stands (also just \`/budget\`)`,
      `\`${USAGE.usage}\` — where the money went`,
      `\`${USAGE.history}\` — past resets`,
    );
  }
  if (a.canModifyLimit) lines.push(`\`${USAGE.limit}\` — change your own limit`);
  if (a.canReset) lines.push(`\`${USAGE.reset}\` — start a new period now`);
  lines.push(`\`${USAGE.token}\` — a personal token for the Budget Bot API`, `\`${USAGE.help}\` — this list`);
  return lines;
}

export function helpMessage(a: HelpAccess): SlackMessage {
  const blocks = [section(`*What you can do*\n${helpLines(a).join('\n')}`)];
  if (!a.canView) blocks.push(context(HIDDEN_BUDGET_LINE));
  if (a.isAdmin) blocks.push(section(`*Admin*\n${ADMIN_LINES.join('\n')}`));
  return { text: 'Budget Bot commands you can use.', blocks };
}

export function adminHelpMessage(): SlackMessage {
  return { text: 'Budget Bot admin commands.', blocks: [section(`*Admin commands*\n${ADMIN_LINES.join('\n')}`)] };
}
