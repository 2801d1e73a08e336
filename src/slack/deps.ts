/** What the Slack surface is given: the app's configuration, logger and services (never the store). */
import type { Config, SlackConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';

export interface SlackDeps {
  config: Config;
  logger: Logger;
  services: Services;
}

export type ConfiguredSlack = Extract<SlackConfig, { configured: true }>;
