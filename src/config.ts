// The one place that reads configuration. It takes the environment as an argument (tests pass
// fixtures; main passes process.env after loading .env) and either returns a fully typed Config
// or throws a ConfigError listing every bad variable, one line each, so an operator can fix them
// all in one go. Defaults live here and only here, and none of them suits only one deployment.
import { randomBytes } from 'node:crypto';
import { IANAZone } from 'luxon';
import { z } from 'zod';

export type Env = Record<string, string | undefined>;

export const MONGO_ENGINES = ['auto', 'mongod', 'jongodb'] as const;
export type MongoEngineChoice = (typeof MONGO_ENGINES)[number];

export const ROLES = ['all', 'web', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/** Slack is either fully configured (HTTP events or Socket Mode) or off; never half-configured. */
export type SlackConfig =
  | {
      configured: false;
      apiUrl: string | undefined;
      alertChannel: string | undefined;
    }
  | {
      configured: true;
      /** 'socket' when SLACK_APP_TOKEN is set (no public URL needed), else 'http' (/slack/events). */
      mode: 'http' | 'socket';
      botToken: string;
      /** Required in 'http' mode; optional in Socket Mode. */
      signingSecret: string | undefined;
      appToken: string | undefined;
      /** Web API base URL override, e.g. a fake server in tests. */
      apiUrl: string | undefined;
      alertChannel: string | undefined;
    };

export interface Config {
  nodeEnv: NodeEnv;
  role: Role;
  log: { level: LogLevel };
  http: {
    port: number;
    host: string;
    /** Express "trust proxy": honour X-Forwarded-* from a load balancer. */
    trustProxy: boolean;
    /** Public base URL without a trailing slash (links in Slack messages, OAuth redirects). */
    publicUrl: string | undefined;
  };
  api: {
    /** REST API requests allowed per token per minute (per process). */
    rateLimitPerMinute: number;
  };
  mongo: {
    /** External server; when unset an embedded one is started (see src/db/launcher.ts). */
    uri: string | undefined;
    dbName: string;
    /** Which embedded engine to use when `uri` is unset. */
    engine: MongoEngineChoice;
  };
  slack: SlackConfig;
  admin: {
    slackUserIds: string[];
    apiToken: string | undefined;
  };
  session: {
    secret: string;
    /** True when no SESSION_SECRET was given and a random one was made for this process. */
    generated: boolean;
  };
  budget: {
    retentionDays: number;
    defaultLimitUsd: number;
    defaultTimezone: string;
    defaultFallbackModel: string;
  };
}

export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  ${p.variable}: ${p.message}`);
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
// MongoDB forbids these characters in database names (and limits them to 63 bytes).
const DB_NAME = /^[^/\\. "$*<>:|?]{1,63}$/;

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number between ${min} and ${max}` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: `must be a whole number between ${min} and ${max}` });

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

// Keys are the variable names, so every issue's path[0] names the variable to fix.
const schema = z.object({
  NODE_ENV: oneOf(NODE_ENVS).default('development'),
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: oneOf(LOG_LEVELS).default('info'),
  ROLE: oneOf(ROLES).default('all'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, { error: 'must be a mongodb:// or mongodb+srv:// connection string' })
    .optional(),
  MONGODB_DB_NAME: z
    .string()
    .regex(DB_NAME, { error: 'must be 1-63 characters without / \\ . space " $ * < > : | ?' })
    .default('budget_bot'),
  MONGO_ENGINE: oneOf(MONGO_ENGINES).default('auto'),
  ADMIN_SLACK_USER_IDS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    )
    .superRefine((ids, ctx) => {
      const bad = ids.filter((id) => !SLACK_USER_ID.test(id));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `not Slack user ids (like U0123ABCD): ${bad.join(', ')}`,
        });
      }
    })
    .default([]),
  ADMIN_API_TOKEN: z.string().min(24, { error: 'must be at least 24 characters' }).optional(),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', { error: 'must be a bot token starting with xoxb-' }).optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', { error: 'must be an app-level token starting with xapp-' }).optional(),
  SLACK_API_URL: httpUrl.optional(),
  SLACK_ALERT_CHANNEL: z.string().optional(),
  SESSION_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  PUBLIC_URL: httpUrl.optional(),
  RETENTION_DAYS: integer(1, 36500).default(400),
  DEFAULT_LIMIT_USD: z
    .string()
    .regex(/^\d+(\.\d{1,6})?$/, { error: 'must be a number of dollars between 0 and 10000' })
    .transform(Number)
    .refine((n) => n <= 10_000, { error: 'must be a number of dollars between 0 and 10000' })
    .default(50),
  DEFAULT_TIMEZONE: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), { error: 'must be an IANA time zone such as UTC or Europe/Paris' })
    .default('UTC'),
  DEFAULT_FALLBACK_MODEL: z.string().default('ollama/llama3.1'),
  TRUST_PROXY: z.stringbool({ error: 'must be true or false' }).default(false),
  API_RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000).default(1200),
});

type Parsed = z.infer<typeof schema>;

/** Every variable loadConfig reads; .env.example and the README table must list exactly these. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/**
 * Parse and validate the environment. Empty values count as unset, so a copied .env.example
 * with blank lines behaves like a missing variable (and picks up the default).
 */
export function loadConfig(env: Env): Config {
  const raw = normalise(env);
  const problems = new Map<string, string>();
  const note = (variable: string, message: string) => {
    if (!problems.has(variable)) problems.set(variable, message);
  };

  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const variable = issue.path[0];
      if (typeof variable === 'string') note(variable, issue.message);
    }
  }
  for (const p of crossFieldProblems(raw)) note(p.variable, p.message);

  if (!result.success || problems.size > 0) {
    throw new ConfigError([...problems].map(([variable, message]) => ({ variable, message })));
  }
  return toConfig(result.data);
}

function normalise(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key]?.trim();
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

// Rules that involve more than one variable; checked on the raw strings so they are reported
// together with the per-variable problems instead of only after those are fixed.
function crossFieldProblems(raw: Record<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const bot = raw.SLACK_BOT_TOKEN !== undefined;
  const secret = raw.SLACK_SIGNING_SECRET !== undefined;
  const app = raw.SLACK_APP_TOKEN !== undefined;
  if (bot && !secret && !app) {
    problems.push({
      variable: 'SLACK_SIGNING_SECRET',
      message: 'required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN to use Socket Mode)',
    });
  }
  if (!bot && (secret || app)) {
    const given = [secret && 'SLACK_SIGNING_SECRET', app && 'SLACK_APP_TOKEN'].filter(Boolean).join(' and ');
    problems.push({ variable: 'SLACK_BOT_TOKEN', message: `required when ${given} is set` });
  }
  if (raw.NODE_ENV === 'production' && raw.SESSION_SECRET === undefined) {
    problems.push({
      variable: 'SESSION_SECRET',
      message: 'required when NODE_ENV=production (at least 32 random characters)',
    });
  }
  const role = raw.ROLE ?? 'all';
  if (role !== 'all' && raw.MONGODB_URI === undefined) {
    // Separate web and worker processes must share one database; each would get its own
    // private embedded one otherwise, and silently disagree.
    problems.push({ variable: 'ROLE', message: `ROLE=${role} needs MONGODB_URI (an embedded database is private to one process)` });
  }
  return problems;
}

function toConfig(p: Parsed): Config {
  const base = { apiUrl: p.SLACK_API_URL, alertChannel: p.SLACK_ALERT_CHANNEL };
  const slack: SlackConfig =
    p.SLACK_BOT_TOKEN !== undefined && (p.SLACK_SIGNING_SECRET !== undefined || p.SLACK_APP_TOKEN !== undefined)
      ? {
          configured: true,
          mode: p.SLACK_APP_TOKEN !== undefined ? 'socket' : 'http',
          botToken: p.SLACK_BOT_TOKEN,
          signingSecret: p.SLACK_SIGNING_SECRET,
          appToken: p.SLACK_APP_TOKEN,
          ...base,
        }
      : { configured: false, ...base };

  return {
    nodeEnv: p.NODE_ENV,
    role: p.ROLE,
    log: { level: p.LOG_LEVEL },
    http: {
      port: p.PORT,
      host: p.HOST,
      trustProxy: p.TRUST_PROXY,
      publicUrl: p.PUBLIC_URL?.replace(/\/+$/, ''),
    },
    mongo: { uri: p.MONGODB_URI, dbName: p.MONGODB_DB_NAME, engine: p.MONGO_ENGINE },
    slack,
    api: { rateLimitPerMinute: p.API_RATE_LIMIT_PER_MINUTE },
    admin: { slackUserIds: p.ADMIN_SLACK_USER_IDS, apiToken: p.ADMIN_API_TOKEN },
    session:
      p.SESSION_SECRET !== undefined
        ? { secret: p.SESSION_SECRET, generated: false }
        : // Outside production a per-process secret is fine: sessions just end at restart.
          { secret: randomBytes(32).toString('hex'), generated: true },
    budget: {
      retentionDays: p.RETENTION_DAYS,
      defaultLimitUsd: p.DEFAULT_LIMIT_USD,
      defaultTimezone: p.DEFAULT_TIMEZONE,
      defaultFallbackModel: p.DEFAULT_FALLBACK_MODEL,
    },
  };
}
