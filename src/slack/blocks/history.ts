/** `/budget history`: the last resets with who, when, why and the spend before. Pure. */
import { formatUsd } from '../../domain/money.js';
import type { ResetEntry } from '../../store/resetLog.js';
import { context, escapeText, mention, section, slackDateTime, type SlackMessage } from './format.js';

function who(entry: ResetEntry): string {
  if (entry.kind === 'automatic') return 'automatic, the period ended';
  if (entry.actorKind === 'user') return `by ${mention(entry.actorId)}`;
  if (entry.actorKind === 'admin') return 'by an admin (API key)';
  return `by ${escapeText(entry.actorId)}`;
}

export function historyLine(entry: ResetEntry): string {
  const late = entry.lateSpentMicros > 0 ? ` (+${formatUsd(entry.lateSpentMicros)} reported late)` : '';
  const reason = entry.kind === 'manual' && entry.reason ? ` · “${escapeText(entry.reason)}”` : '';
  return `• ${slackDateTime(entry.resetAt)} · ${who(entry)}${reason} · spent ${formatUsd(entry.before.spentMicros)} of ${formatUsd(entry.before.limitMicros)}${late}`;
}

export function historyMessage(entries: ResetEntry[], hasMore: boolean): SlackMessage {
  if (entries.length === 0) {
    return { text: 'No resets yet.', blocks: [section('*Reset history*\nNo resets yet: this is your first period.')] };
  }
  const blocks = [section(`*Reset history* (newest first)\n${entries.map(historyLine).join('\n')}`)];
  if (hasMore) blocks.push(context('Older resets are on the admin page and in the API (`GET /api/v1/budget/history`).'));
  return { text: entries.length === 1 ? 'Your last budget reset.' : `Your last ${entries.length} budget resets.`, blocks };
}
