/**
 * `/budget reset <reason>` (and `admin reset @user <reason>`): nothing is reset here. The answer
 * asks to confirm with a button that carries the period seen now; the click does the reset
 * (src/slack/actions/resetConfirm.ts), at most once.
 */
import { ForbiddenError } from '../../domain/errors.js';
import { resetConfirmMessage } from '../blocks/reset.js';
import type { CommandContext } from './context.js';
import type { SlackMessage } from '../blocks/format.js';

export async function askToReset(ctx: CommandContext, targetId: string, reason: string): Promise<SlackMessage> {
  const { services } = ctx.deps;
  // Reading the settings checks the asker may see this budget (a hidden one is refused here).
  const budget = await services.settings.get(ctx.actor, targetId);
  const access = await services.access.resolve(ctx.actor, budget);
  const self = targetId === ctx.userId;
  if (!access.canReset) {
    throw new ForbiddenError(self ? 'You are not allowed to reset your budget; an admin can allow it' : 'You are not allowed to reset this budget');
  }
  return resetConfirmMessage({
    request: { userId: budget.userId, reason, periodSeq: budget.periodSeq },
    spentMicros: budget.spentMicros,
    limitMicros: budget.limitMicros,
    self,
  });
}

export async function resetCommand(ctx: CommandContext, command: { name: 'reset'; reason: string }): Promise<SlackMessage> {
  return askToReset(ctx, ctx.userId, command.reason);
}
