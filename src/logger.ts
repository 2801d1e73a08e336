// One pino logger for the process, created in main and passed down (no global logger).
// JSON lines on stdout: what log collectors on Heroku-like platforms expect.
import { pino, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from './config.js';

export type Logger = PinoLogger;

// Secrets must never reach the logs, even when a whole request or config object is logged.
// Paths are pino's redaction syntax; "*" matches one level of nesting.
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'token',
  'password',
  'secret',
  '*.authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.apiToken',
  '*.signingSecret',
  '*.secret',
  '*.password',
  'config.slack.botToken',
  'config.slack.appToken',
  'config.slack.signingSecret',
  'config.admin.apiToken',
  'config.session.secret',
  'config.mongo.uri',
];

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'budget-bot' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
