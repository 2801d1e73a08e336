import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig, type Env } from '../../src/config.js';

const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const SESSION_SECRET = 'a-session-secret-that-is-long-enough-123';

function problemsOf(env: Env): Record<string, string> {
  try {
    loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return Object.fromEntries(err.problems.map((p) => [p.variable, p.message]));
  }
  throw new Error('expected a ConfigError');
}

function expectOnlyProblem(env: Env, variable: string, message: RegExp): void {
  const problems = problemsOf(env);
  expect(Object.keys(problems)).toEqual([variable]);
  expect(problems[variable]).toMatch(message);
}

describe('loadConfig: good environments', () => {
  it('an empty environment gives the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      role: 'all',
      log: { level: 'info' },
      http: { port: 3000, host: '0.0.0.0', trustProxy: false, publicUrl: undefined },
      mongo: { uri: undefined, dbName: 'budget_bot', engine: 'auto' },
      slack: { configured: false },
      admin: { slackUserIds: [], apiToken: undefined },
      session: { generated: true },
      budget: { retentionDays: 400, defaultLimitUsd: 50, defaultTimezone: 'UTC', defaultFallbackModel: 'ollama/llama3.1' },
    });
    expect(config.session.secret).toMatch(/^[0-9a-f]{64}$/);
  });

  it('each process gets its own generated session secret', () => {
    expect(loadConfig({}).session.secret).not.toBe(loadConfig({}).session.secret);
  });

  it('parses a full production environment into grouped camelCase fields', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MONGODB_URI: 'mongodb+srv://app:pw@cluster0.example.net/?retryWrites=true',
      MONGODB_DB_NAME: 'budgets',
      MONGO_ENGINE: 'jongodb',
      ROLE: 'web',
      ADMIN_SLACK_USER_IDS: ' U0123ABCD, W9XYZ12 ,',
      ADMIN_API_TOKEN: 'x'.repeat(24),
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      SLACK_ALERT_CHANNEL: 'C0ALERTS',
      SESSION_SECRET,
      PUBLIC_URL: 'https://budget.example.com/',
      RETENTION_DAYS: '30',
      DEFAULT_LIMIT_USD: '12.5',
      DEFAULT_TIMEZONE: 'Europe/Paris',
      DEFAULT_FALLBACK_MODEL: 'ollama/mistral',
      TRUST_PROXY: 'true',
      API_RATE_LIMIT_PER_MINUTE: '600',
    });
    expect(config).toEqual({
      nodeEnv: 'production',
      role: 'web',
      log: { level: 'warn' },
      http: { port: 8080, host: '127.0.0.1', trustProxy: true, publicUrl: 'https://budget.example.com' },
      mongo: { uri: 'mongodb+srv://app:pw@cluster0.example.net/?retryWrites=true', dbName: 'budgets', engine: 'jongodb' },
      api: { rateLimitPerMinute: 600 },
      slack: {
        configured: true,
        mode: 'http',
        botToken: 'xoxb-1-2-abc',
        signingSecret: SIGNING_SECRET,
        appToken: undefined,
        apiUrl: 'http://127.0.0.1:9999/api/',
        alertChannel: 'C0ALERTS',
      },
      admin: { slackUserIds: ['U0123ABCD', 'W9XYZ12'], apiToken: 'x'.repeat(24) },
      session: { secret: SESSION_SECRET, generated: false },
      budget: { retentionDays: 30, defaultLimitUsd: 12.5, defaultTimezone: 'Europe/Paris', defaultFallbackModel: 'ollama/mistral' },
    });
  });

  it('bot token + app token is Socket Mode, no signing secret needed', () => {
    const { slack } = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(slack).toMatchObject({ configured: true, mode: 'socket', botToken: 'xoxb-1', appToken: 'xapp-1' });
  });

  it('treats empty and blank values as unset (a copied .env.example works)', () => {
    const config = loadConfig({ PORT: '', SLACK_BOT_TOKEN: '  ', MONGODB_URI: '', TRUST_PROXY: '' });
    expect(config.http.port).toBe(3000);
    expect(config.slack.configured).toBe(false);
    expect(config.mongo.uri).toBeUndefined();
  });

  it('accepts the edges of the ranges', () => {
    expect(loadConfig({ DEFAULT_LIMIT_USD: '0' }).budget.defaultLimitUsd).toBe(0);
    expect(loadConfig({ DEFAULT_LIMIT_USD: '10000' }).budget.defaultLimitUsd).toBe(10_000);
    expect(loadConfig({ PORT: '0' }).http.port).toBe(0);
    expect(loadConfig({ TRUST_PROXY: 'FALSE' }).http.trustProxy).toBe(false);
  });
});

describe('loadConfig: bad environments name each bad variable', () => {
  it.each([
    ['PORT', 'abc', /whole number between 0 and 65535/],
    ['PORT', '70000', /whole number between 0 and 65535/],
    ['LOG_LEVEL', 'loud', /one of fatal, error, warn, info/],
    ['NODE_ENV', 'staging', /one of development, production, test/],
    ['MONGODB_URI', 'http://localhost:27017', /mongodb:\/\//],
    ['MONGODB_DB_NAME', 'my.db', /1-63 characters/],
    ['MONGO_ENGINE', 'postgres', /one of auto, mongod, jongodb/],
    ['ROLE', 'both', /one of all, web, worker/],
    ['ADMIN_SLACK_USER_IDS', 'U0123ABCD,alice,C999', /alice, C999/],
    ['ADMIN_API_TOKEN', 'short', /at least 24 characters/],
    ['SLACK_API_URL', 'not a url', /http\(s\) URL/],
    ['SESSION_SECRET', 'too-short', /at least 32 characters/],
    ['PUBLIC_URL', 'ftp://example.com', /http\(s\) URL/],
    ['RETENTION_DAYS', '0', /whole number between 1 and/],
    ['DEFAULT_LIMIT_USD', '10000.01', /between 0 and 10000/],
    ['DEFAULT_LIMIT_USD', '-1', /between 0 and 10000/],
    ['DEFAULT_LIMIT_USD', 'fifty', /between 0 and 10000/],
    ['DEFAULT_TIMEZONE', 'Mars/Olympus', /IANA time zone/],
    ['TRUST_PROXY', 'maybe', /true or false/],
    ['API_RATE_LIMIT_PER_MINUTE', '0', /whole number between 1 and/],
  ])('%s=%j', (variable, value, message) => {
    expectOnlyProblem({ [variable]: value }, variable, message);
  });

  it('a malformed Slack token is named', () => {
    expectOnlyProblem({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: SIGNING_SECRET }, 'SLACK_BOT_TOKEN', /xoxb-/);
    expectOnlyProblem({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' }, 'SLACK_APP_TOKEN', /xapp-/);
  });

  it('half a Slack configuration names the missing half', () => {
    expectOnlyProblem({ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET', /required when SLACK_BOT_TOKEN is set/);
    expectOnlyProblem({ SLACK_SIGNING_SECRET: SIGNING_SECRET }, 'SLACK_BOT_TOKEN', /required when SLACK_SIGNING_SECRET is set/);
    expectOnlyProblem({ SLACK_APP_TOKEN: 'xapp-1' }, 'SLACK_BOT_TOKEN', /required when SLACK_APP_TOKEN is set/);
  });

  it('production requires SESSION_SECRET', () => {
    expectOnlyProblem({ NODE_ENV: 'production' }, 'SESSION_SECRET', /required when NODE_ENV=production/);
  });

  it('a split web/worker deployment needs a shared MONGODB_URI', () => {
    expectOnlyProblem({ ROLE: 'worker' }, 'ROLE', /needs MONGODB_URI/);
  });

  it('reports every bad variable at once, one line each, without echoing secrets', () => {
    const env = { PORT: 'x', DEFAULT_TIMEZONE: 'Nowhere', ADMIN_API_TOKEN: 'secret-but-short', SLACK_BOT_TOKEN: 'xoxb-1' };
    let message = '';
    try {
      loadConfig(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      message = err.message;
    }
    const lines = message.split('\n');
    expect(lines[0]).toBe('Invalid configuration (4 problems):');
    expect(lines.slice(1).map((l) => l.trim().split(':')[0])).toEqual([
      'PORT',
      'ADMIN_API_TOKEN',
      'DEFAULT_TIMEZONE',
      'SLACK_SIGNING_SECRET',
    ]);
    expect(message).not.toContain('secret-but-short');
  });
});

describe('documentation of the variables', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const example = parse(readFileSync(new URL('../../.env.example', import.meta.url), 'utf8'));

  it('.env.example lists exactly the variables loadConfig reads, and loads as is', () => {
    expect(Object.keys(example).sort()).toEqual([...CONFIG_VARIABLES].sort());
    expect(() => loadConfig(example)).not.toThrow();
  });

  it('the README configuration table has a row for every variable', () => {
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect([...new Set(rows)].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
