/**
 * Builds Bolt's App, in HTTP mode on the app's own Express server or in Socket Mode. No auth.test
 * at start or per request: the bot token is handed to Bolt as it is (nothing here needs the bot's
 * own ids), so starting needs no network and a test needs nothing but a fake Web API.
 */
import { App, ExpressReceiver } from '@slack/bolt';
import type express from 'express';
import type { Logger } from '../logger.js';
import type { ConfiguredSlack } from './deps.js';
import { boltLogger } from './logger.js';
import { webClientOptions } from './webClient.js';

/** Slash commands, interactivity (buttons) and events all arrive here. */
export const SLACK_EVENTS_PATH = '/slack/events';

const authorizeWith = (botToken: string) => () => Promise.resolve({ botToken });

/** HTTP mode: Bolt's receiver is mounted on `app` at SLACK_EVENTS_PATH (before any body parser). */
export function createHttpBolt(app: express.Express, slack: ConfiguredSlack, signingSecret: string, logger: Logger): App {
  const receiver = new ExpressReceiver({
    signingSecret,
    app,
    endpoints: SLACK_EVENTS_PATH,
    logger: boltLogger(logger),
    // Answer Slack as soon as a listener acks; a listener may go on working after and answer via respond().
    processBeforeResponse: false,
  });
  return new App({ receiver, authorize: authorizeWith(slack.botToken), clientOptions: webClientOptions(slack, logger), logger: boltLogger(logger) });
}

/** Socket Mode: Slack is reached over a WebSocket opened with the app-level token; no public URL. */
export function createSocketBolt(slack: ConfiguredSlack, appToken: string, logger: Logger): App {
  return new App({
    socketMode: true,
    appToken,
    authorize: authorizeWith(slack.botToken),
    clientOptions: webClientOptions(slack, logger),
    logger: boltLogger(logger),
  });
}
