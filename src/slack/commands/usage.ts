/** `/budget usage [current|7d|30d]`. */
import type { BreakdownRange } from '../../services/breakdown.js';
import { usageMessage } from '../blocks/usage.js';
import type { CommandHandler } from './context.js';

export const usageCommand: CommandHandler<{ name: 'usage'; range: BreakdownRange }> = async (ctx, command) =>
  usageMessage(await ctx.deps.services.breakdown.breakdown(ctx.actor, ctx.userId, command.range));
