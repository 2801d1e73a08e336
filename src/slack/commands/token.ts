/** `/budget token`: a personal API token for the REST API, shown once (the answer is ephemeral). */
import { tokenMessage } from '../blocks/token.js';
import type { CommandHandler } from './context.js';

export const tokenCommand: CommandHandler<{ name: 'token' }> = async (ctx) => {
  const created = await ctx.deps.services.tokens.create(ctx.actor, { kind: 'user', userId: ctx.userId, name: 'Slack /budget token' });
  return tokenMessage(created.secret, ctx.deps.config.http.publicUrl);
};
