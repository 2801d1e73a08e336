/** The alert DMs (threshold, over budget, reset) and their admin channel copies. Pure. */
import { formatUsd, percentOf } from '../../domain/money.js';
import type { Notification } from '../../store/outbox.js';
import { LEVEL_EMOJI, LEVEL_LABEL, line, mention, slackDate, type SlackMessage } from './format.js';

export function userAlertMessage(n: Notification): SlackMessage {
  const spent = `${formatUsd(n.spentMicros)} of ${formatUsd(n.limitMicros)}`;
  const ends = slackDate(n.periodEnd);
  switch (n.kind) {
    case 'reset':
      return line(`:arrows_counterclockwise: Your LLM budget has reset. Last period you spent ${spent}. The new period ends ${ends}.`);
    case 'over_budget':
      return line(
        `${LEVEL_EMOJI.over} You are over your LLM budget: ${spent}. Until the period ends ${ends}, LLM calls may be blocked ` +
          'or sent to the fallback model. `/budget status` for details.',
      );
    case 'threshold': {
      const level = n.level ?? 'yellow';
      return line(
        `${LEVEL_EMOJI[level]} You have used ${percentOf(n.spentMicros, n.limitMicros)}% of your LLM budget: ${spent} ` +
          `(level ${LEVEL_LABEL[level].toLowerCase()}). The period ends ${ends}. \`/budget usage\` shows where it went.`,
      );
    }
  }
}

export function adminChannelMessage(n: Notification): SlackMessage {
  const spent = `${formatUsd(n.spentMicros)} of ${formatUsd(n.limitMicros)} (${percentOf(n.spentMicros, n.limitMicros)}%)`;
  if (n.kind === 'over_budget') return line(`${LEVEL_EMOJI.over} ${mention(n.userId)} is over budget: ${spent}.`);
  if (n.kind === 'reset') return line(`:arrows_counterclockwise: The budget of ${mention(n.userId)} has reset.`);
  const level = n.level ?? 'yellow';
  return line(`${LEVEL_EMOJI[level]} ${mention(n.userId)} reached ${LEVEL_LABEL[level].toLowerCase()}: ${spent}.`);
}
