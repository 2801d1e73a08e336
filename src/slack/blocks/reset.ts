/** The reset confirm question (with its buttons), and the answers after a click. Pure. */
import { formatUsd, type Micros } from '../../domain/money.js';
import type { ResetResult } from '../../services/resets.js';
import { encodeResetRequest, RESET_CANCEL_ACTION, RESET_CONFIRM_ACTION, type ResetRequest } from '../resetRequest.js';
import { escapeText, line, mention, section, slackDateTime, type SlackMessage } from './format.js';

export interface ResetQuestion {
  request: ResetRequest;
  spentMicros: Micros;
  limitMicros: Micros;
  /** True when the asker resets their own budget. */
  self: boolean;
}

export function resetConfirmMessage(q: ResetQuestion): SlackMessage {
  const whose = q.self ? 'your budget' : `the budget of ${mention(q.request.userId)}`;
  const question = q.self ? '*Reset your budget?*' : `*Reset the budget of ${mention(q.request.userId)}?*`;
  return {
    text: `Reset ${whose}? Confirm with the button.`,
    blocks: [
      section(
        `${question}\nThis closes the current period (spent *${formatUsd(q.spentMicros)}* of *${formatUsd(q.limitMicros)}*) ` +
          `and starts a new one now.\nReason: “${escapeText(q.request.reason)}”`,
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: RESET_CONFIRM_ACTION,
            text: { type: 'plain_text', text: 'Reset budget' },
            style: 'danger',
            value: encodeResetRequest(q.request),
          },
          { type: 'button', action_id: RESET_CANCEL_ACTION, text: { type: 'plain_text', text: 'Cancel' }, value: 'cancel' },
        ],
      },
    ],
  };
}

export function resetDoneMessage(result: ResetResult, ownerId: string, self: boolean): SlackMessage {
  const whose = self ? 'Your budget' : `The budget of ${mention(ownerId)}`;
  return line(
    `:white_check_mark: ${whose} has been reset. The new period runs from ${slackDateTime(result.newPeriod.start)} ` +
      `to ${slackDateTime(result.newPeriod.end)}. Spent in the previous period: ${formatUsd(result.previousSpentMicros)}.`,
  );
}

export function resetCancelledMessage(): SlackMessage {
  return line('Reset cancelled; nothing was changed.');
}
