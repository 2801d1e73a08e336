/** `/budget usage`: by provider, by model, the daily trend as a text bar chart, the top 5 calls. Pure. */
import { formatUsd, type Micros } from '../../domain/money.js';
import type { Breakdown, BreakdownRange } from '../../services/breakdown.js';
import { context, escapeText, eventUsd, plural, section, slackDate, table, type Block, type SlackMessage } from './format.js';

const MODEL_ROWS = 10;
/** Slack cuts long sections; a month of days fits, longer custom periods show their last days. */
const CHART_DAYS = 31;
const CHART_WIDTH = 20;

const RANGE_TITLE: Record<BreakdownRange, string> = {
  current: 'this period',
  '7d': 'the last 7 days',
  '30d': 'the last 30 days',
};

/** One row per day: a bar scaled to the busiest day; any spend at all shows at least a sliver. */
export function dailyChart(days: Breakdown['daily']): string {
  const shown = days.slice(-CHART_DAYS);
  const max = Math.max(0, ...shown.map((d) => d.costMicros));
  const rows = shown.map((d) => {
    const width = max === 0 ? 0 : (d.costMicros / max) * CHART_WIDTH;
    const bar = d.costMicros > 0 && width < 1 ? '▏' : '█'.repeat(Math.round(width));
    return `${d.day.slice(5)}  ${bar.padEnd(CHART_WIDTH)}  ${formatUsd(d.costMicros)}`;
  });
  return ['```', ...rows, '```'].join('\n');
}

function cost(micros: Micros): string {
  return formatUsd(micros);
}

export function usageBlocks(b: Breakdown): Block[] {
  const calls = b.byProvider.reduce((sum, g) => sum + g.count, 0);
  const blocks: Block[] = [section(`*Your usage in ${RANGE_TITLE[b.range]}* (since ${slackDate(b.from)})\nTotal *${cost(b.totalMicros)}* in ${plural(calls, 'call')}`)];
  if (calls === 0) {
    blocks.push(context('No LLM calls recorded in this range yet.'));
    return blocks;
  }
  blocks.push(
    section(
      `*By provider*\n${table(
        ['Provider', 'Cost', 'Calls'],
        b.byProvider.map((g) => [escapeText(g.key), cost(g.costMicros), String(g.count)]),
        [1, 2],
      )}`,
    ),
  );
  const models = b.byModel.slice(0, MODEL_ROWS);
  const more = b.byModel.length - models.length;
  blocks.push(
    section(
      `*By model*\n${table(
        ['Model', 'Provider', 'Cost', 'Calls'],
        models.map((g) => [escapeText(g.key), escapeText(g.provider ?? ''), cost(g.costMicros), String(g.count)]),
        [2, 3],
      )}${more > 0 ? `\n…and ${plural(more, 'more model')}` : ''}`,
    ),
  );
  blocks.push(section(`*Daily spend*\n${dailyChart(b.daily)}`));
  if (b.topOperations.length > 0) {
    const top = b.topOperations.map(
      (e, i) => `${i + 1}. *${eventUsd(e.costMicros)}* · ${escapeText(e.provider)}/${escapeText(e.model)} · ${escapeText(e.operation)} · ${slackDate(e.occurredAt)}`,
    );
    blocks.push(section(`*Most expensive calls*\n${top.join('\n')}`));
  }
  return blocks;
}

export function usageMessage(b: Breakdown): SlackMessage {
  return { text: `Your usage in ${RANGE_TITLE[b.range]}: ${cost(b.totalMicros)}.`, blocks: usageBlocks(b) };
}
