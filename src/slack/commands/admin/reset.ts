/** `/budget admin reset @user <reason>`: the same confirm button as a user's own reset. */
import { askToReset } from '../reset.js';
import type { CommandHandler } from '../context.js';

export const adminResetCommand: CommandHandler<{ name: 'admin-reset'; userId: string; reason: string }> = (ctx, command) =>
  askToReset(ctx, command.userId, command.reason);
