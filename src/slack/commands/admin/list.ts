/** `/budget admin list`: the top spenders by % used. */
import { adminListMessage } from '../../blocks/admin.js';
import type { CommandHandler } from '../context.js';

const SHOWN = 15;

export const adminListCommand: CommandHandler<{ name: 'admin-list' }> = async (ctx) =>
  adminListMessage(await ctx.deps.services.users.list(ctx.actor, { sort: 'percent', order: 'desc', limit: SHOWN }));
