/** `/budget help`: the commands this user may use, from the same permission rules the services apply. */
import { helpMessage } from '../blocks/help.js';
import type { CommandHandler } from './context.js';

export const helpCommand: CommandHandler<{ name: 'help' }> = async (ctx) => {
  const { services } = ctx.deps;
  const budget = await services.loader.load(ctx.userId);
  const access = await services.access.resolve(ctx.actor, budget);
  return helpMessage(access);
};
