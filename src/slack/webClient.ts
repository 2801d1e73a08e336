/**
 * Web API clients. Every client fails fast (no built-in retries, a timeout): the callers decide
 * what a failure means — the deliverer retries from the outbox with backoff, a profile lookup is
 * tried again later, App Home is refreshed the next time it is opened. SLACK_API_URL points them at
 * another server (tests use a fake on 127.0.0.1).
 */
import { webApi } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { ConfiguredSlack } from './deps.js';
import { boltLogger } from './logger.js';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface ClientTuning {
  timeoutMs?: number;
  /** Throw on HTTP 429 (with Retry-After) instead of waiting inside the call. */
  rejectRateLimitedCalls?: boolean;
}

export function webClientOptions(slack: Pick<ConfiguredSlack, 'apiUrl'>, logger: Logger, tuning: ClientTuning = {}): webApi.WebClientOptions {
  const options: webApi.WebClientOptions = {
    logger: boltLogger(logger),
    retryConfig: { retries: 0 },
    timeout: tuning.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    rejectRateLimitedCalls: tuning.rejectRateLimitedCalls ?? false,
  };
  if (slack.apiUrl !== undefined) options.slackApiUrl = slack.apiUrl.endsWith('/') ? slack.apiUrl : `${slack.apiUrl}/`;
  return options;
}

export function createWebClient(slack: ConfiguredSlack, logger: Logger, tuning: ClientTuning = {}): webApi.WebClient {
  return new webApi.WebClient(slack.botToken, webClientOptions(slack, logger, tuning));
}
