// The targets, checked against the rows of a run. A target whose row the run did not
// measure (see --only) is "not run", never a miss or a pass.
import type { Row, Target } from './report.js';

export function targetsFor(rows: Row[]): Target[] {
  const find = (key: string) => rows.find((r) => r.key === key);
  const t = (what: string, wanted: string, row: Row | undefined, value: (r: Row) => number | null, show: (v: number) => string, met: (v: number) => boolean): Target => {
    const v = row ? value(row) : null;
    return v === null ? { what, wanted, seen: '-', met: null } : { what, wanted, seen: show(v), met: met(v) };
  };
  const ratio = (r: Row) => r.ratio?.median ?? null;
  const commands = (r: Row) => r.dbCommands?.perRequest ?? null;
  const p99 = (r: Row) => r.p99Ms;
  const times = (v: number) => v.toFixed(2);
  const ms = (v: number) => `${v} ms`;
  const [check, status, record, slack] = [find('check'), find('status'), find('usage'), find('slack')];
  const measuredRss = rows.filter((r) => r.peakRssMb !== null);
  const peak = measuredRss.length > 0 ? Math.max(...measuredRss.map((r) => r.peakRssMb ?? 0)) : null;
  return [
    t('check throughput', '≥ 0.6 × baseline', check, ratio, times, (v) => v >= 0.6),
    t('check p99', '≤ 20 ms', check, p99, ms, (v) => v <= 20),
    t('status throughput', '≥ 0.6 × baseline', status, ratio, times, (v) => v >= 0.6),
    t('status p99', '≤ 20 ms', status, p99, ms, (v) => v <= 20),
    t('usage (1 event) throughput', '≥ 0.5 × baseline', record, ratio, times, (v) => v >= 0.5),
    t('db commands: check', '1', check, commands, times, (v) => v <= 1.01),
    t('db commands: status', '1', status, commands, times, (v) => v <= 1.01),
    t('db commands: usage (1 event)', '≤ 4', record, commands, times, (v) => v <= 4.01),
    t('Slack ack p99', '≤ 100 ms', slack, p99, ms, (v) => v <= 100),
    peak === null ? { what: 'peak RSS', wanted: '≤ 200 MB', seen: '-', met: null } : { what: 'peak RSS', wanted: '≤ 200 MB', seen: `${peak.toFixed(0)} MB`, met: peak <= 200 },
  ];
}
