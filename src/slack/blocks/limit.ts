/** The answer to a limit change, by the user themselves or by an admin. Pure. */
import type { BudgetRecord } from '../../domain/budget.js';
import { formatUsd } from '../../domain/money.js';
import { line, mention, type SlackMessage } from './format.js';

export function limitChangedMessage(budget: BudgetRecord, self: boolean): SlackMessage {
  const whose = self ? 'Your limit' : `The limit of ${mention(budget.userId)}`;
  return line(`:white_check_mark: ${whose} is now *${formatUsd(budget.limitMicros)}*.`);
}
