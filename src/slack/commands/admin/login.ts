/** `/budget admin login`: a one-time sign-in link for the admin page (made by the adminLogin service). */
import { line, slackDateTime } from '../../blocks/format.js';
import type { CommandHandler } from '../context.js';

export const adminLoginCommand: CommandHandler<{ name: 'admin-login' }> = async (ctx) => {
  const link = await ctx.deps.services.adminLogin.createLoginLink(ctx.actor);
  const base = ctx.deps.config.http.publicUrl;
  const until = `It works once, until ${slackDateTime(link.expiresAt)}; do not share it.`;
  if (base === undefined) {
    return line(`Your sign-in link is the path \`${link.path}\` on this Budget Bot server (set PUBLIC_URL to get a full link here). ${until}`);
  }
  return line(`<${base}${link.path}|Sign in to the Budget Bot admin page>. ${until}`);
};
