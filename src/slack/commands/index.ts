/**
 * The `/budget` listener: acknowledges at once (Slack allows 3 s), then does the work and answers
 * through `respond` (the response URL), ephemeral. Typing mistakes need no I/O and are answered in
 * the acknowledgement itself. Admin subcommands are refused up front for non-admins; the services
 * enforce the same rule again.
 */
import type { SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ProfileLookup } from '../../services/profiles.js';
import { line, type SlackMessage } from '../blocks/format.js';
import { adminHelpMessage } from '../blocks/help.js';
import { ADMIN_ONLY_LINE } from '../blocks/messages.js';
import type { SlackDeps } from '../deps.js';
import { replyForError } from '../errorReplies.js';
import { parseCommand, type BudgetCommand } from '../parse.js';
import { syncProfile } from '../syncProfile.js';
import { adminLimitCommand } from './admin/limit.js';
import { adminListCommand } from './admin/list.js';
import { adminLoginCommand } from './admin/login.js';
import { adminPermissionCommand } from './admin/permission.js';
import { adminResetCommand } from './admin/reset.js';
import { adminShowCommand } from './admin/show.js';
import type { CommandContext } from './context.js';
import { helpCommand } from './help.js';
import { historyCommand } from './history.js';
import { limitCommand } from './limit.js';
import { resetCommand } from './reset.js';
import { statusCommand } from './status.js';
import { tokenCommand } from './token.js';
import { usageCommand } from './usage.js';

export const BUDGET_COMMAND = '/budget';

function run(ctx: CommandContext, command: BudgetCommand): Promise<SlackMessage> {
  switch (command.name) {
    case 'status':
      return statusCommand(ctx, command);
    case 'usage':
      return usageCommand(ctx, command);
    case 'history':
      return historyCommand(ctx, command);
    case 'reset':
      return resetCommand(ctx, command);
    case 'limit':
      return limitCommand(ctx, command);
    case 'token':
      return tokenCommand(ctx, command);
    case 'help':
      return helpCommand(ctx, command);
    case 'admin-help':
      return Promise.resolve(adminHelpMessage());
    case 'admin-list':
      return adminListCommand(ctx, command);
    case 'admin-show':
      return adminShowCommand(ctx, command);
    case 'admin-limit':
      return adminLimitCommand(ctx, command);
    case 'admin-reset':
      return adminResetCommand(ctx, command);
    case 'admin-permission':
      return adminPermissionCommand(ctx, command);
    case 'admin-login':
      return adminLoginCommand(ctx, command);
  }
}

async function answer(ctx: CommandContext, command: BudgetCommand, lookup: ProfileLookup): Promise<SlackMessage> {
  try {
    await syncProfile(ctx.deps, ctx.userId, lookup);
    if (command.name.startsWith('admin-') && !(await ctx.deps.services.access.actorIsAdmin(ctx.actor))) return line(ADMIN_ONLY_LINE);
    return await run(ctx, command);
  } catch (error) {
    return replyForError(error, ctx.deps.logger, `/budget ${command.name}`);
  }
}

export function budgetCommandListener(deps: SlackDeps, lookup: ProfileLookup) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs): Promise<void> => {
    const parsed = parseCommand(command.text);
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: parsed.hint });
      return;
    }
    await ack();
    const ctx: CommandContext = { deps, userId: command.user_id, actor: { kind: 'user', userId: command.user_id } };
    const reply = await answer(ctx, parsed.command, lookup);
    await respond({ response_type: 'ephemeral', text: reply.text, blocks: reply.blocks });
  };
}
