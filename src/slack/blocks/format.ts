/** Small pure helpers every Block Kit builder shares: text escaping, bars, levels, dates, tables. */
import type { types } from '@slack/bolt';
import type { AlertLevel } from '../../domain/levels.js';
import { formatUsd, MICROS_PER_USD, type Micros } from '../../domain/money.js';

export type Block = types.KnownBlock;

/** What a builder returns: blocks, and the plain text Slack shows in notifications and fallbacks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Slack's three control characters; user-typed text must not become a link or a mention. */
export function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** `██████░░░░░░` — full at 100 % and above. */
export function progressBar(percent: number, width = 20): string {
  const filled = Math.round((Math.min(Math.max(percent, 0), 100) / 100) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export const LEVEL_EMOJI: Record<AlertLevel, string> = {
  green: ':large_green_circle:',
  yellow: ':large_yellow_circle:',
  orange: ':large_orange_circle:',
  red: ':red_circle:',
  over: ':no_entry:',
};

export const LEVEL_LABEL: Record<AlertLevel, string> = {
  green: 'Green',
  yellow: 'Yellow',
  orange: 'Orange',
  red: 'Red',
  over: 'Over budget',
};

export function levelBadge(level: AlertLevel): string {
  return `${LEVEL_EMOJI[level]} ${LEVEL_LABEL[level]}`;
}

/** A date Slack shows in the reader's own time zone; the fallback is the UTC date. */
export function slackDate(at: Date, format = '{date_short_pretty}'): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${at.toISOString().slice(0, 10)}>`;
}

export function slackDateTime(at: Date): string {
  return slackDate(at, '{date_short_pretty} {time}');
}

export function mention(userId: string): string {
  return `<@${userId}>`;
}

/** A single call's cost: cents when that is exact, else up to 6 decimals ($0.000150). */
export function eventUsd(micros: Micros): string {
  if (micros % 10_000 === 0) return formatUsd(micros);
  return `$${(micros / MICROS_PER_USD).toFixed(6).replace(/0{1,4}$/, '')}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A monospaced table in a code block; columns padded, numbers right-aligned. */
export function table(head: string[], rows: string[][], rightAligned: number[] = []): string {
  const all = [head, ...rows];
  const widths = head.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, col) => (rightAligned.includes(col) ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0)))
      .join('  ')
      .trimEnd();
  return ['```', line(head), ...rows.map(line), '```'].join('\n');
}

/** Longer texts are cut: a section's text may hold 3,000 characters. */
export function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: text.length > 3000 ? `${text.slice(0, 2990)}…` : text } };
}

export function fields(...items: string[]): Block {
  return { type: 'section', fields: items.map((text) => ({ type: 'mrkdwn', text })) };
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: text.slice(0, 150), emoji: true } };
}

export function context(...texts: string[]): Block {
  return { type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text })) };
}

export const divider: Block = { type: 'divider' };

/** A one-line answer (hints, refusals, confirmations). */
export function line(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}
