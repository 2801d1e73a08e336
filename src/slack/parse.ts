/**
 * Turns the text after `/budget` into a command, or into a one-line usage hint. Pure. Slack sends
 * mentions escaped (`<@U0123ABCD|name>`, or `<@U0123ABCD>`); a bare user id works too.
 */
import { MAX_LIMIT_MICROS, usdToMicros, type Micros } from '../domain/money.js';
import { reasonSchema } from '../domain/validation.js';
import { BREAKDOWN_RANGES, type BreakdownRange } from '../services/breakdown.js';
import { escapeText } from './blocks/format.js';

export const PERMISSIONS = ['visible', 'modify', 'reset'] as const;
export type PermissionName = (typeof PERMISSIONS)[number];

export type BudgetCommand =
  | { name: 'status' }
  | { name: 'usage'; range: BreakdownRange }
  | { name: 'history' }
  | { name: 'reset'; reason: string }
  | { name: 'limit'; amountMicros: Micros }
  | { name: 'token' }
  | { name: 'help' }
  | { name: 'admin-help' }
  | { name: 'admin-list' }
  | { name: 'admin-show'; userId: string }
  | { name: 'admin-limit'; userId: string; amountMicros: Micros }
  | { name: 'admin-reset'; userId: string; reason: string }
  | { name: 'admin-permission'; userId: string; allow: boolean; permissions: PermissionName[] }
  | { name: 'admin-login' };

export type ParseResult = { ok: true; command: BudgetCommand } | { ok: false; hint: string };

/** How each command is written; also what help and the hints show. */
export const USAGE = {
  status: '/budget status',
  usage: '/budget usage [current|7d|30d]',
  history: '/budget history',
  reset: '/budget reset <reason>',
  limit: '/budget limit <amount>',
  token: '/budget token',
  help: '/budget help',
  adminList: '/budget admin list',
  adminShow: '/budget admin show @user',
  adminLimit: '/budget admin limit @user <amount>',
  adminReset: '/budget admin reset @user <reason>',
  adminAllow: '/budget admin allow @user visible|modify|reset',
  adminDeny: '/budget admin deny @user visible|modify|reset',
  adminLogin: '/budget admin login',
} as const;

const MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/;
const BARE_ID = /^[UW][A-Z0-9]{2,}$/;
// $25, 25, 25.5, 1,250.00 — cents at most; "usd" after it is fine too.
const AMOUNT = /^\$?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?:\s*usd)?$/i;

const hint = (line: string): ParseResult => ({ ok: false, hint: line });
const usageHint = (usage: string, example?: string): ParseResult =>
  hint(`Usage: \`${usage}\`${example ? ` — for example \`${example}\`` : ''}`);
const ok = (command: BudgetCommand): ParseResult => ({ ok: true, command });

/** Words with where each starts, so a reason keeps the spacing it was typed with. */
function words(text: string): { word: string; at: number }[] {
  // An escaped mention is one word even if its label has spaces in it.
  return [...text.matchAll(/<[^<>\s][^<>]*>|\S+/g)].map((m) => ({ word: m[0], at: m.index }));
}

export function parseMention(word: string | undefined): string | null {
  if (word === undefined) return null;
  const mention = MENTION.exec(word);
  if (mention?.[1]) return mention[1];
  return BARE_ID.test(word) ? word : null;
}

/** USD typed by a person → micro-dollars, or an explanation. Limits are $0 to $10,000. */
export function parseAmount(word: string | undefined): { ok: true; micros: Micros } | { ok: false; problem: string } {
  const match = word === undefined ? null : AMOUNT.exec(word.trim());
  if (!match?.[1]) return { ok: false, problem: 'an amount in dollars, like 75 or $120.50' };
  const usd = Number(`${match[1].replaceAll(',', '')}.${match[2] ?? '0'}`);
  const micros = usdToMicros(usd);
  if (micros > MAX_LIMIT_MICROS) return { ok: false, problem: 'an amount between $0 and $10,000' };
  return { ok: true, micros };
}

function parseReason(text: string, usage: string, example: string): { ok: true; reason: string } | { ok: false; result: ParseResult } {
  const reason = reasonSchema.safeParse(text);
  if (reason.success) return { ok: true, reason: reason.data };
  const issue = reason.error.issues[0];
  const problem =
    text.trim() === '' ? 'A reason is required' : issue?.code === 'too_small' ? 'The reason must be at least 3 characters' : `The reason ${issue?.message ?? 'is not valid'}`;
  return { ok: false, result: hint(`${problem}. Usage: \`${usage}\` — for example \`${example}\``) };
}

export function parseCommand(text: string): ParseResult {
  const all = words(text);
  const first = all[0]?.word.toLowerCase();
  const rest = (index: number) => (all[index] ? text.slice(all[index].at) : '');
  switch (first) {
    case undefined:
    case 'status':
      return all.length > 1 ? usageHint(USAGE.status) : ok({ name: 'status' });
    case 'usage': {
      const range = (all[1]?.word ?? 'current').toLowerCase();
      if (all.length > 2 || !(BREAKDOWN_RANGES as readonly string[]).includes(range)) return usageHint(USAGE.usage, '/budget usage 7d');
      return ok({ name: 'usage', range: range as BreakdownRange });
    }
    case 'history':
      return all.length > 1 ? usageHint(USAGE.history) : ok({ name: 'history' });
    case 'reset': {
      const reason = parseReason(rest(1), USAGE.reset, '/budget reset starting a new project');
      return reason.ok ? ok({ name: 'reset', reason: reason.reason }) : reason.result;
    }
    case 'limit': {
      const amount = parseAmount(all.length === 2 ? all[1]?.word : undefined);
      if (!amount.ok) return hint(`The limit must be ${amount.problem}. Usage: \`${USAGE.limit}\` — for example \`/budget limit 75\``);
      return ok({ name: 'limit', amountMicros: amount.micros });
    }
    case 'token':
      return all.length > 1 ? usageHint(USAGE.token) : ok({ name: 'token' });
    case 'help':
    case '?':
      return ok({ name: 'help' });
    case 'admin':
      return parseAdmin(all.slice(1), text);
    default:
      return hint(`I don't know \`/budget ${escapeText(all[0]?.word ?? '')}\`. Try \`${USAGE.help}\` to see what you can do.`);
  }
}

function parseAdmin(all: { word: string; at: number }[], text: string): ParseResult {
  const sub = all[0]?.word.toLowerCase();
  const rest = (index: number) => (all[index] ? text.slice(all[index].at) : '');
  const target = parseMention(all[1]?.word);
  const needsUser = (usage: string, example: string): ParseResult =>
    hint(
      all[1] === undefined
        ? `Name the user. Usage: \`${usage}\` — for example \`${example}\``
        : `I could not tell who \`${escapeText(all[1].word)}\` is: pick the person from Slack's @-mention list. Usage: \`${usage}\``,
    );
  switch (sub) {
    case undefined:
    case 'help':
      return ok({ name: 'admin-help' });
    case 'list':
      return all.length > 1 ? usageHint(USAGE.adminList) : ok({ name: 'admin-list' });
    case 'login':
      return all.length > 1 ? usageHint(USAGE.adminLogin) : ok({ name: 'admin-login' });
    case 'show':
      if (!target) return needsUser(USAGE.adminShow, '/budget admin show @alex');
      return all.length > 2 ? usageHint(USAGE.adminShow) : ok({ name: 'admin-show', userId: target });
    case 'limit': {
      if (!target) return needsUser(USAGE.adminLimit, '/budget admin limit @alex 100');
      const amount = parseAmount(all.length === 3 ? all[2]?.word : undefined);
      if (!amount.ok) return hint(`The limit must be ${amount.problem}. Usage: \`${USAGE.adminLimit}\` — for example \`/budget admin limit @alex 100\``);
      return ok({ name: 'admin-limit', userId: target, amountMicros: amount.micros });
    }
    case 'reset': {
      if (!target) return needsUser(USAGE.adminReset, '/budget admin reset @alex new quarter');
      const reason = parseReason(rest(2), USAGE.adminReset, '/budget admin reset @alex new quarter');
      return reason.ok ? ok({ name: 'admin-reset', userId: target, reason: reason.reason }) : reason.result;
    }
    case 'allow':
    case 'deny': {
      const usage = sub === 'allow' ? USAGE.adminAllow : USAGE.adminDeny;
      if (!target) return needsUser(usage, `/budget admin ${sub} @alex modify`);
      const names = all.slice(2).map((w) => w.word.toLowerCase().replace(/,$/, ''));
      const unknown = names.filter((n) => !(PERMISSIONS as readonly string[]).includes(n));
      if (names.length === 0 || unknown.length > 0) return hint(`Say which permission: visible, modify or reset. Usage: \`${usage}\``);
      const permissions = [...new Set(names)] as PermissionName[];
      return ok({ name: 'admin-permission', userId: target, allow: sub === 'allow', permissions });
    }
    default:
      return hint(`I don't know \`/budget admin ${escapeText(all[0]?.word ?? '')}\`. Try \`/budget admin help\`.`);
  }
}
