/**
 * Socket Mode (SLACK_APP_TOKEN set): Slack delivers commands, clicks and events over a WebSocket
 * this process opens, so no public URL is needed. main starts it after HTTP and stops it first.
 */
import type { SlackDeps } from './deps.js';
import { createSocketBolt } from './boltApp.js';
import { registerListeners } from './index.js';

export interface SocketModeHandle {
  stop(): Promise<void>;
}

export async function startSlackSocketMode(deps: SlackDeps): Promise<SocketModeHandle> {
  const slack = deps.config.slack;
  if (!slack.configured || slack.mode !== 'socket' || slack.appToken === undefined) {
    throw new Error('Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN');
  }
  const bolt = createSocketBolt(slack, slack.appToken, deps.logger);
  registerListeners(bolt, deps, slack);
  await bolt.start();
  deps.logger.info('Slack: connected in Socket Mode');
  return { stop: () => bolt.stop().then(() => undefined) };
}
