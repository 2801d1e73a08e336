/**
 * The reset confirm and cancel buttons. A click is acknowledged at once; the reset is conditional
 * on the period the question was asked in, so a second click (or a click after a rollover) changes
 * nothing and says so. The answer replaces the question, buttons and all.
 */
import type { BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { line } from '../blocks/format.js';
import { resetCancelledMessage, resetDoneMessage } from '../blocks/reset.js';
import type { SlackDeps } from '../deps.js';
import { replyForError } from '../errorReplies.js';
import { decodeResetRequest } from '../resetRequest.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export function resetConfirmListener(deps: SlackDeps) {
  return async ({ ack, body, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const request = decodeResetRequest(action.value);
    if (!request) {
      await respond({ replace_original: true, ...line('This button is not valid any more; run `/budget reset <reason>` again.') });
      return;
    }
    const clicker = body.user.id;
    try {
      const result = await deps.services.resets.reset({ kind: 'user', userId: clicker }, request.userId, request.reason, {
        expectedPeriodSeq: request.periodSeq,
      });
      await respond({ replace_original: true, ...resetDoneMessage(result, request.userId, request.userId === clicker) });
    } catch (error) {
      await respond({ replace_original: true, ...replyForError(error, deps.logger, 'reset button') });
    }
  };
}

export function resetCancelListener() {
  return async ({ ack, respond }: ButtonArgs): Promise<void> => {
    await ack();
    await respond({ replace_original: true, ...resetCancelledMessage() });
  };
}
