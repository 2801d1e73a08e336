// The Slack app manifest must name what the code listens for: the command, the one request URL
// path, the events, and the scopes the Web API calls need.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../../src/slack/boltApp.js';
import { BUDGET_COMMAND } from '../../../src/slack/commands/index.js';

const manifest = readFileSync(new URL('../../../slack-manifest.yml', import.meta.url), 'utf8');

describe('slack-manifest.yml', () => {
  it('declares the command, events and interactivity at the endpoint the app serves', () => {
    expect(manifest).toContain(`- command: ${BUDGET_COMMAND}\n`);
    expect(manifest.match(new RegExp(`url: https://budget\\.example\\.com${SLACK_EVENTS_PATH}\\n`, 'g'))).toHaveLength(3);
    expect(manifest).toContain('- app_home_opened');
    expect(manifest).toContain('should_escape: true');
    expect(manifest).toContain('home_tab_enabled: true');
  });

  it('asks for the scopes of every Web API method the bot calls', () => {
    // commands: /budget; chat.postMessage; conversations.open (DMs); users.info (+ email).
    for (const scope of ['commands', 'chat:write', 'im:write', 'users:read', 'users:read.email']) expect(manifest).toContain(`      - ${scope}\n`);
  });
});
