/**
 * The `/budget` listener. Slack waits 3 s for the acknowledgement, and an answer ready by then goes
 * in it: one HTTP exchange instead of an empty ack plus a POST to the response URL, and work that
 * is finished when Slack hears back, so a burst of commands cannot pile up unanswered work behind
 * fast acks. An answer still working at ACK_DEADLINE_MS (a slow users.info on first sight, a slow
 * database) is acked empty and sent through `respond` when done. Answers are ephemeral. Admin
 * subcommands are refused up front for non-admins; the services enforce the same rule again.
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

/** Half of Slack's 3 s: the rest is left for the network between Slack and the app. */
export const ACK_DEADLINE_MS = 1_500;

const ephemeral = (message: SlackMessage) => ({ response_type: 'ephemeral' as const, text: message.text, blocks: message.blocks });

export function budgetCommandListener(deps: SlackDeps, lookup: ProfileLookup) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs): Promise<void> => {
    const parsed = parseCommand(command.text);
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: parsed.hint });
      return;
    }
    const ctx: CommandContext = { deps, userId: command.user_id, actor: { kind: 'user', userId: command.user_id } };
    const pending = answer(ctx, parsed.command, lookup);
    const inTime = await settledWithin(pending, ACK_DEADLINE_MS);
    if (inTime) {
      await ack(ephemeral(inTime.value));
      return;
    }
    await ack();
    await respond(ephemeral(await pending));
  };
}

/** `{ value }` when `work` settles within `ms`, else undefined (the work goes on). `answer` never rejects. */
async function settledWithin<T>(work: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
