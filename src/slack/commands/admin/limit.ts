/** `/budget admin limit @user <amount>`. */
import type { Micros } from '../../../domain/money.js';
import { limitChangedMessage } from '../../blocks/limit.js';
import type { CommandHandler } from '../context.js';

export const adminLimitCommand: CommandHandler<{ name: 'admin-limit'; userId: string; amountMicros: Micros }> = async (ctx, command) => {
  const after = await ctx.deps.services.settings.update(ctx.actor, command.userId, { limitMicros: command.amountMicros });
  return limitChangedMessage(after, command.userId === ctx.userId);
};
