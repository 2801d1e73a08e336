// The targets, checked against the rows of a run. A target whose row the run did not
// measure (see --only) is "not run", never a miss or a pass.
import type { Row, Target } from './report.js';

export function targetsFor(rows: Row[]): Target[] {
  const find = (key: string) => rows.find((r) => r.key === key);
  /** `value` is null when the run did not measure it. */
  const t = (what: string, wanted: string, value: number | null | undefined, show: (v: number) => string, met: (v: number) => boolean): Target =>
    value === null || value === undefined ? { what, wanted, seen: '-', met: null } : { what, wanted, seen: show(value), met: met(value) };
  const times = (v: number) => v.toFixed(2);
  const ms = (v: number) => `${v} ms`;
  const [check, status, record, slack] = [find('check'), find('status'), find('usage'), find('slack')];
  const rss = rows.flatMap((r) => (r.peakRssMb === null ? [] : [r.peakRssMb]));
  return [
    t('check throughput', '≥ 0.6 × baseline', check?.ratio?.median, times, (v) => v >= 0.6),
    t('check p99', '≤ 20 ms', check?.p99Ms, ms, (v) => v <= 20),
    t('status throughput', '≥ 0.6 × baseline', status?.ratio?.median, times, (v) => v >= 0.6),
    t('status p99', '≤ 20 ms', status?.p99Ms, ms, (v) => v <= 20),
    t('usage (1 event) throughput', '≥ 0.5 × baseline', record?.ratio?.median, times, (v) => v >= 0.5),
    t('db commands: check', '1', check?.dbCommands?.perRequest, times, (v) => v <= 1.01),
    t('db commands: status', '1', status?.dbCommands?.perRequest, times, (v) => v <= 1.01),
    t('db commands: usage (1 event)', '≤ 4', record?.dbCommands?.perRequest, times, (v) => v <= 4.01),
    t('Slack ack p99', '≤ 100 ms', slack?.p99Ms, ms, (v) => v <= 100),
    t('peak RSS', '≤ 200 MB', rss.length > 0 ? Math.max(...rss) : null, (v) => `${v.toFixed(0)} MB`, (v) => v <= 200),
  ];
}
