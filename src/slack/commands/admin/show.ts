/** `/budget admin show @user`: one person's status and every setting. */
import { adminShowMessage } from '../../blocks/admin.js';
import type { CommandHandler } from '../context.js';

export const adminShowCommand: CommandHandler<{ name: 'admin-show'; userId: string }> = async (ctx, command) => {
  const { services } = ctx.deps;
  const [status, budget] = await Promise.all([services.status.status(ctx.actor, command.userId), services.settings.get(ctx.actor, command.userId)]);
  return adminShowMessage(status, budget, services.loader.isAdmin(budget));
};
