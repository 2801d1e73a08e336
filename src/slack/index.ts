/**
 * The Slack surface: `/budget`, the reset buttons and App Home. mountSlack puts Bolt on the app's
 * Express server (HTTP mode, POST /slack/events); Socket Mode is started by main instead (see
 * socketMode.ts). Without Slack credentials nothing is mounted. Alert DMs are sent by the
 * deliverer in delivery.ts, which the scheduler runs.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type express from 'express';
import type { AppDeps } from '../app.js';
import { resetCancelListener, resetConfirmListener } from './actions/resetConfirm.js';
import { createHttpBolt, SLACK_EVENTS_PATH } from './boltApp.js';
import { budgetCommandListener, BUDGET_COMMAND } from './commands/index.js';
import type { ConfiguredSlack, SlackDeps } from './deps.js';
import { appHomeListener } from './home.js';
import { slackProfileLookup } from './profile.js';
import { RESET_CANCEL_ACTION, RESET_CONFIRM_ACTION } from './resetRequest.js';
import { rejectSkewedTimestamps } from './timestampGuard.js';
import { createWebClient } from './webClient.js';

/** users.info runs before an answer: it must not eat much of Slack's patience when Slack is slow. */
const PROFILE_LOOKUP_TIMEOUT_MS = 3_000;

export function registerListeners(bolt: App, deps: SlackDeps, slack: ConfiguredSlack): void {
  const lookup = slackProfileLookup(createWebClient(slack, deps.logger, { timeoutMs: PROFILE_LOOKUP_TIMEOUT_MS }));
  bolt.command(BUDGET_COMMAND, budgetCommandListener(deps, lookup));
  bolt.action<BlockAction<ButtonAction>>(RESET_CONFIRM_ACTION, resetConfirmListener(deps));
  bolt.action<BlockAction<ButtonAction>>(RESET_CANCEL_ACTION, resetCancelListener());
  bolt.event('app_home_opened', appHomeListener(deps, lookup));
  bolt.error((error) => {
    deps.logger.error({ err: error }, 'Slack listener failed');
    return Promise.resolve();
  });
}

export function mountSlack(app: express.Express, deps: AppDeps): void {
  const slack = deps.config.slack;
  if (!slack.configured || slack.mode !== 'http' || slack.signingSecret === undefined) return;
  app.post(SLACK_EVENTS_PATH, rejectSkewedTimestamps(deps.logger));
  const bolt = createHttpBolt(app, slack, slack.signingSecret, deps.logger);
  registerListeners(bolt, deps, slack);
  deps.logger.info(`Slack: /budget, buttons and App Home events at POST ${SLACK_EVENTS_PATH}`);
}
