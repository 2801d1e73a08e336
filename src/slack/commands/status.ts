/** `/budget` and `/budget status`. */
import { statusMessage } from '../blocks/status.js';
import type { CommandHandler } from './context.js';

export const statusCommand: CommandHandler<{ name: 'status' }> = async (ctx) =>
  statusMessage(await ctx.deps.services.status.status(ctx.actor, ctx.userId));
