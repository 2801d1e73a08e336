/** `/budget limit <amount>`: the user's own limit, when an admin allowed it (the service decides). */
import type { Micros } from '../../domain/money.js';
import { limitChangedMessage } from '../blocks/limit.js';
import type { CommandHandler } from './context.js';

export const limitCommand: CommandHandler<{ name: 'limit'; amountMicros: Micros }> = async (ctx, command) => {
  const after = await ctx.deps.services.settings.update(ctx.actor, ctx.userId, { limitMicros: command.amountMicros });
  return limitChangedMessage(after, true);
};
