/** What every subcommand handler gets: the services and who typed the command. */
import type { Actor } from '../../domain/actor.js';
import type { SlackMessage } from '../blocks/format.js';
import type { SlackDeps } from '../deps.js';

export interface CommandContext {
  deps: SlackDeps;
  /** The Slack user who typed the command. */
  userId: string;
  actor: Extract<Actor, { kind: 'user' }>;
}

/** A subcommand: calls the services and builds the answer; errors are turned into lines by the caller. */
export type CommandHandler<C> = (ctx: CommandContext, command: C) => Promise<SlackMessage>;
