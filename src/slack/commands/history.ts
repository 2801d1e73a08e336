/** `/budget history`: the last resets. */
import { historyMessage } from '../blocks/history.js';
import type { CommandHandler } from './context.js';

const SHOWN = 10;

export const historyCommand: CommandHandler<{ name: 'history' }> = async (ctx) => {
  const page = await ctx.deps.services.history.resets(ctx.actor, ctx.userId, { limit: SHOWN });
  return historyMessage(page.items, page.nextCursor !== null);
};
