// The Block Kit builders are pure: tested as data, without Slack.
import { describe, expect, it } from 'vitest';
import { newBudget, type BudgetRecord } from '../../../src/domain/budget.js';
import { budgetStatus } from '../../../src/domain/status.js';
import type { Breakdown } from '../../../src/services/breakdown.js';
import type { DirectoryPage } from '../../../src/services/userDirectory.js';
import type { Notification } from '../../../src/store/outbox.js';
import type { ResetEntry } from '../../../src/store/resetLog.js';
import { adminListMessage, adminShowMessage, permissionChangedMessage } from '../../../src/slack/blocks/admin.js';
import { adminChannelMessage, userAlertMessage } from '../../../src/slack/blocks/alerts.js';
import { escapeText, eventUsd, progressBar, slackDate, table, type Block, type SlackMessage } from '../../../src/slack/blocks/format.js';
import { helpMessage } from '../../../src/slack/blocks/help.js';
import { historyLine, historyMessage } from '../../../src/slack/blocks/history.js';
import { homeView } from '../../../src/slack/blocks/home.js';
import { HIDDEN_BUDGET_LINE } from '../../../src/slack/blocks/messages.js';
import { resetConfirmMessage } from '../../../src/slack/blocks/reset.js';
import { allowedActions, statusMessage } from '../../../src/slack/blocks/status.js';
import { dailyChart, usageMessage } from '../../../src/slack/blocks/usage.js';
import { decodeResetRequest, RESET_CANCEL_ACTION, RESET_CONFIRM_ACTION } from '../../../src/slack/resetRequest.js';

const USD = 1_000_000;
const NOW = new Date('2025-12-16T12:00:00Z');
const defaults = { limitMicros: 50 * USD, timezone: 'UTC', fallbackModel: 'ollama/llama3.1' };

function budget(overrides: Partial<BudgetRecord> = {}): BudgetRecord {
  return { ...newBudget('U0USER001', false, defaults, NOW), ...overrides };
}

/** All the text of a message: fallback, sections, fields, contexts. */
function allText(m: SlackMessage | { blocks: unknown[] }): string {
  return JSON.stringify(m);
}

function sectionTexts(blocks: Block[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'section') return [...(b.text ? [b.text.text] : []), ...(b.fields ?? []).map((f) => f.text)];
    if (b.type === 'context') return b.elements.map((e) => ('text' in e && typeof e.text === 'string' ? e.text : ''));
    return [];
  });
}

function breakdown(overrides: Partial<Breakdown> = {}): Breakdown {
  return {
    userId: 'U0USER001',
    range: '7d',
    from: new Date('2025-12-10T00:00:00Z'),
    to: NOW,
    timezone: 'UTC',
    totalMicros: 15_100_000,
    byProvider: [
      { key: 'openai', costMicros: 6_100_000, inputTokens: 0, outputTokens: 0, count: 3 },
      { key: 'anthropic', costMicros: 9 * USD, inputTokens: 0, outputTokens: 0, count: 2 },
    ],
    byModel: [
      { key: 'claude-sonnet-4-5', provider: 'anthropic', costMicros: 9 * USD, inputTokens: 0, outputTokens: 0, count: 2 },
      { key: 'gpt-4o', provider: 'openai', costMicros: 6 * USD, inputTokens: 0, outputTokens: 0, count: 2 },
      { key: 'gpt-4o-mini', provider: 'openai', costMicros: 100_000, inputTokens: 0, outputTokens: 0, count: 1 },
    ],
    daily: [
      { day: '2025-12-14', costMicros: 2 * USD, count: 1 },
      { day: '2025-12-15', costMicros: 0, count: 0 },
      { day: '2025-12-16', costMicros: 13_100_000, count: 4 },
    ],
    topOperations: [
      {
        id: 'e1',
        userId: 'U0USER001',
        idempotencyKey: 'k',
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        operation: 'code-review',
        inputTokens: 1,
        outputTokens: 1,
        costMicros: 5 * USD,
        costSource: 'reported',
        occurredAt: NOW,
        day: '2025-12-16',
        periodSeq: 0,
        placement: 'current',
        recordedAt: NOW,
      },
    ],
    ...overrides,
  };
}

describe('format helpers', () => {
  it('draws a 20-character progress bar, full from 100 %', () => {
    expect(progressBar(0)).toBe('░'.repeat(20));
    expect(progressBar(46.9)).toBe('█'.repeat(9) + '░'.repeat(11));
    expect(progressBar(100)).toBe('█'.repeat(20));
    expect(progressBar(250)).toBe('█'.repeat(20));
    expect(progressBar(-3)).toBe('░'.repeat(20));
  });

  it('shows single calls to the micro-dollar and whole cents as cents', () => {
    expect(eventUsd(5 * USD)).toBe('$5.00');
    expect(eventUsd(1_230_000)).toBe('$1.23');
    expect(eventUsd(150)).toBe('$0.00015');
    expect(eventUsd(1)).toBe('$0.000001');
    expect(eventUsd(1_234_567)).toBe('$1.234567');
  });

  it('escapes what Slack would turn into links or mentions', () => {
    expect(escapeText('<!channel> & <@U1>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });

  it('formats dates for the reader’s own time zone, with a UTC fallback', () => {
    expect(slackDate(new Date('2026-01-14T00:00:00Z'))).toBe('<!date^1768348800^{date_short_pretty}|2026-01-14>');
  });

  it('lines up table columns, numbers on the right', () => {
    expect(table(['Model', 'Cost'], [['gpt-4o', '$6.00'], ['o3', '$12.50']], [1])).toBe('```\nModel     Cost\ngpt-4o   $6.00\no3      $12.50\n```');
  });
});

describe('status', () => {
  it('shows spend, bar, level, remaining, days left, projection and the period', () => {
    const s = budgetStatus(budget({ spentMicros: 23_450_000 }), false, NOW);
    const m = statusMessage(s);
    expect(m.text).toBe('Your budget: $23.45 of $50.00 used (46.9%), yellow.');
    const [head, facts] = sectionTexts(m.blocks);
    expect(head).toBe('*Your LLM budget*\n*$23.45* of *$50.00* used · 46.9%\n`█████████░░░░░░░░░░░`  :large_yellow_circle: Yellow');
    expect(facts).toBe('*Remaining*\n$26.55');
    expect(allText(m)).toContain('*Days left*\\n16 days (ends <!date^1767225600^');
    expect(allText(m)).toContain('*Projected this period*\\n$46.90');
    expect(allText(m)).toContain('Monthly, since <!date^1764547200^');
  });

  it('lists only the actions the owner may take', () => {
    expect(allowedActions({ canView: true, canModifyLimit: false, canReset: false })).toEqual(['/budget usage', '/budget history', '/budget help']);
    expect(allowedActions({ canView: true, canModifyLimit: true, canReset: true })).toEqual([
      '/budget usage',
      '/budget history',
      '/budget limit <amount>',
      '/budget reset <reason>',
      '/budget help',
    ]);
  });

  it('warns when over budget, saying whether calls are blocked', () => {
    const over = budget({ spentMicros: 60 * USD });
    expect(allText(statusMessage(budgetStatus(over, false, NOW)))).toContain('Over budget: LLM calls are now blocked or sent to the fallback model.');
    expect(allText(statusMessage(budgetStatus({ ...over, enforceBudget: false }, false, NOW)))).toContain('not enforced, so calls are still allowed');
    expect(allText(statusMessage(budgetStatus(over, false, NOW)))).toContain(':warning: above the limit');
  });

  it('names the owner and leaves out "you can" when an admin looks', () => {
    const m = statusMessage(budgetStatus(budget(), false, NOW), { ownerId: 'U0USER001' });
    expect(m.text).toContain('Budget of <@U0USER001>');
    expect(allText(m)).not.toContain('You can');
  });
});

describe('usage', () => {
  it('has provider and model tables, a daily chart and the top calls', () => {
    const m = usageMessage(breakdown());
    const texts = sectionTexts(m.blocks).join('\n');
    expect(texts).toContain('*Your usage in the last 7 days* (since <!date^1765324800^');
    expect(texts).toContain('Total *$15.10* in 5 calls');
    expect(texts).toContain('```\nProvider    Cost  Calls\nopenai     $6.10      3\nanthropic  $9.00      2\n```');
    expect(texts).toContain('claude-sonnet-4-5  anthropic  $9.00      2');
    expect(texts).toContain('*Most expensive calls*\n1. *$5.00* · anthropic/claude-sonnet-4-5 · code-review');
  });

  it('scales the daily bars to the busiest day, with a sliver for tiny days', () => {
    const chart = dailyChart([
      { day: '2025-12-14', costMicros: 10 * USD, count: 1 },
      { day: '2025-12-15', costMicros: 0, count: 0 },
      { day: '2025-12-16', costMicros: 5 * USD, count: 1 },
      { day: '2025-12-17', costMicros: 1, count: 1 },
    ]);
    expect(chart.split('\n')).toEqual([
      '```',
      `12-14  ${'█'.repeat(20)}  $10.00`,
      `12-15  ${' '.repeat(20)}  $0.00`,
      `12-16  ${'█'.repeat(10).padEnd(20)}  $5.00`,
      `12-17  ${'▏'.padEnd(20)}  $0.00`,
      '```',
    ]);
  });

  it('says so when nothing was spent', () => {
    const m = usageMessage(breakdown({ totalMicros: 0, byProvider: [], byModel: [], topOperations: [] }));
    expect(allText(m)).toContain('No LLM calls recorded in this range yet.');
  });

  it('stays inside Slack’s limits for a year-long custom period and a hundred models', () => {
    const daily = Array.from({ length: 366 }, (_, i) => ({ day: `2025-${String((i % 12) + 1).padStart(2, '0')}-01`, costMicros: i * 1000, count: 1 }));
    const byModel = Array.from({ length: 100 }, (_, i) => ({ key: `model-${i}`, provider: 'openai', costMicros: USD, inputTokens: 0, outputTokens: 0, count: 1 }));
    const m = usageMessage(breakdown({ daily, byModel }));
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    for (const text of sectionTexts(m.blocks)) expect(text.length).toBeLessThanOrEqual(3000);
    expect(allText(m)).toContain('…and 90 more models');
  });
});

describe('help', () => {
  it('shows each user only what they may use', () => {
    const regular = allText(helpMessage({ canView: true, canModifyLimit: false, canReset: false, isAdmin: false }));
    expect(regular).toContain('/budget status');
    expect(regular).not.toContain('/budget limit');
    expect(regular).not.toContain('/budget admin');
    const hidden = allText(helpMessage({ canView: false, canModifyLimit: false, canReset: false, isAdmin: false }));
    expect(hidden).not.toContain('/budget status');
    expect(hidden).toContain(HIDDEN_BUDGET_LINE);
    const admin = allText(helpMessage({ canView: true, canModifyLimit: true, canReset: true, isAdmin: true }));
    expect(admin).toContain('/budget limit <amount>');
    expect(admin).toContain('/budget admin allow @user visible|modify|reset');
  });
});

describe('reset', () => {
  it('asks with a danger button that carries whose budget, why and the period seen', () => {
    const m = resetConfirmMessage({ request: { userId: 'U0USER001', reason: 'new <project>', periodSeq: 3 }, spentMicros: 12 * USD, limitMicros: 50 * USD, self: true });
    expect(allText(m)).toContain('Reason: “new &lt;project&gt;”');
    const actions = m.blocks.find((b) => b.type === 'actions');
    if (actions?.type !== 'actions') throw new Error('no buttons');
    const [confirm, cancel] = actions.elements;
    expect(confirm).toMatchObject({ type: 'button', action_id: RESET_CONFIRM_ACTION, style: 'danger' });
    expect(cancel).toMatchObject({ type: 'button', action_id: RESET_CANCEL_ACTION });
    const value = confirm?.type === 'button' ? confirm.value : undefined;
    expect(decodeResetRequest(value)).toEqual({ userId: 'U0USER001', reason: 'new <project>', periodSeq: 3 });
  });

  it('refuses button values it did not make', () => {
    for (const value of [undefined, '', 'not json', '{}', '{"u":"U1","r":"ok","s":0}', '{"u":"U0USER001","r":"fine reason","s":-1}', '{"u":"$where","r":"fine reason","s":0}']) {
      expect(decodeResetRequest(value), String(value)).toBeNull();
    }
  });
});

describe('history', () => {
  const entry = (overrides: Partial<ResetEntry>): ResetEntry => ({
    id: '1',
    userId: 'U0USER001',
    closedSeq: 0,
    kind: 'manual',
    actorKind: 'user',
    actorId: 'U0USER001',
    reason: 'new project',
    resetAt: new Date('2025-12-14T10:30:00Z'),
    before: { periodStart: NOW, periodEnd: NOW, spentMicros: 45_670_000, limitMicros: 50 * USD, alertLevel: 'red' },
    after: { periodStart: NOW, periodEnd: NOW, spentMicros: 0, limitMicros: 50 * USD, alertLevel: 'green' },
    lateSpentMicros: 0,
    ...overrides,
  });

  it('says who, when, why and the spend before', () => {
    expect(historyLine(entry({}))).toBe('• <!date^1765708200^{date_short_pretty} {time}|2025-12-14> · by <@U0USER001> · “new project” · spent $45.67 of $50.00');
    expect(historyLine(entry({ kind: 'automatic', actorKind: 'system', actorId: 'scheduler', reason: 'Period ended', lateSpentMicros: 1_500_000 }))).toBe(
      '• <!date^1765708200^{date_short_pretty} {time}|2025-12-14> · automatic, the period ended · spent $45.67 of $50.00 (+$1.50 reported late)',
    );
    expect(historyMessage([], false).text).toBe('No resets yet.');
  });
});

describe('alerts', () => {
  const n = (overrides: Partial<Notification>): Notification => ({
    id: 'n1',
    userId: 'U0USER001',
    kind: 'threshold',
    level: 'orange',
    periodSeq: 0,
    dedupeKey: 'U0USER001:0:orange',
    dmUser: true,
    spentMicros: 36 * USD,
    limitMicros: 50 * USD,
    periodEnd: new Date('2026-01-01T00:00:00Z'),
    status: 'pending',
    attempts: 1,
    nextAttemptAt: NOW,
    lockedUntil: null,
    lastError: null,
    createdAt: NOW,
    sentAt: null,
    ...overrides,
  });

  it('words each DM for the user', () => {
    expect(userAlertMessage(n({})).text).toBe(
      ':large_orange_circle: You have used 72% of your LLM budget: $36.00 of $50.00 (level orange). The period ends <!date^1767225600^{date_short_pretty}|2026-01-01>. `/budget usage` shows where it went.',
    );
    expect(userAlertMessage(n({ kind: 'over_budget', level: 'over', spentMicros: 51 * USD })).text).toContain(':no_entry: You are over your LLM budget: $51.00 of $50.00.');
    expect(userAlertMessage(n({ kind: 'reset', level: null, spentMicros: 45_670_000 })).text).toContain('Your LLM budget has reset. Last period you spent $45.67 of $50.00.');
  });

  it('names the user in the admin channel copy', () => {
    expect(adminChannelMessage(n({ dmUser: false })).text).toBe(':large_orange_circle: <@U0USER001> reached orange: $36.00 of $50.00 (72%).');
  });
});

describe('admin', () => {
  it('lists top spenders in order, with level and % used', () => {
    const entries = [budget({ userId: 'U0AAA', spentMicros: 45 * USD }), budget({ userId: 'U0BBB', spentMicros: 10 * USD })].map((b) => ({
      budget: b,
      status: budgetStatus(b, false, NOW),
      isAdmin: false,
    }));
    const page: DirectoryPage = { items: entries, total: 7, nextCursor: null };
    const m = adminListMessage(page);
    expect(sectionTexts(m.blocks)[0]).toBe('*Top spenders by % used* (2 of 7)\n1. <@U0AAA> :red_circle: *90%* · $45.00 of $50.00\n2. <@U0BBB> :large_green_circle: *20%* · $10.00 of $50.00');
    expect(adminListMessage({ items: [], total: 0, nextCursor: null }).text).toContain('No budgets yet');
  });

  it('shows every setting of one budget, escaping what people typed', () => {
    const b = budget({ adminNotes: 'VIP <@U0BOSS>', displayName: 'Alex', email: 'alex@example.com', userCanModifyLimit: true, limitCeilingMicros: 200 * USD });
    const text = allText(adminShowMessage(budgetStatus(b, false, NOW), b, false));
    expect(text).toContain('sees budget :white_check_mark:  changes limit :white_check_mark:  resets :x:');
    expect(text).toContain('(users may set up to $200.00)');
    expect(text).toContain('Notes: VIP &lt;@U0BOSS&gt;');
    expect(text).toContain('Alex · alex@example.com');
    expect(permissionChangedMessage('U0AAA', false, ['visible', 'reset']).text).toBe(':white_check_mark: <@U0AAA> may no longer see their budget, reset their own budget.');
  });
});

describe('App Home', () => {
  it('shows status and breakdown, or the hidden line, or a retry line', () => {
    const status = budgetStatus(budget({ spentMicros: 5 * USD }), false, NOW);
    const view = homeView({ kind: 'budget', status, breakdown: breakdown(), isAdmin: true }, NOW);
    expect(view.type).toBe('home');
    expect(allText(view)).toContain('*$5.00* of *$50.00* used');
    expect(allText(view)).toContain('*By provider*');
    expect(allText(view)).toContain('/budget admin help');
    expect(allText(homeView({ kind: 'hidden' }, NOW))).toContain(HIDDEN_BUDGET_LINE);
    expect(allText(homeView({ kind: 'unavailable' }, NOW))).toContain('could not be loaded');
  });
});
