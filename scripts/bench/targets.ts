// The targets, checked against the rows of a run.
import type { Row, Target } from './report.js';

export function targetsFor(rows: Row[]): Target[] {
  const find = (key: string) => rows.find((r) => r.key === key);
  const [check, status, record, slackRow] = [find('check'), find('status'), find('usage'), find('slack')];
  const ratio = (r: Row | undefined) => (r?.baselineRequestsPerSec ? r.requestsPerSec / r.baselineRequestsPerSec : 0);
  const peak = Math.max(...rows.map((r) => r.peakRssMb ?? 0));
  const cmds = (r: Row | undefined) => r?.dbCommands?.perRequest ?? Infinity;
  const t = (what: string, wanted: string, seen: string, met: boolean): Target => ({ what, wanted, seen, met });
  return [
    t('check throughput', '≥ 0.6 × baseline', ratio(check).toFixed(2), ratio(check) >= 0.6),
    t('check p99', '≤ 20 ms', `${check?.p99Ms ?? '-'} ms`, (check?.p99Ms ?? Infinity) <= 20),
    t('status throughput', '≥ 0.6 × baseline', ratio(status).toFixed(2), ratio(status) >= 0.6),
    t('status p99', '≤ 20 ms', `${status?.p99Ms ?? '-'} ms`, (status?.p99Ms ?? Infinity) <= 20),
    t('usage (1 event) throughput', '≥ 0.5 × baseline', ratio(record).toFixed(2), ratio(record) >= 0.5),
    t('db commands: check', '1', cmds(check).toFixed(2), cmds(check) <= 1.01),
    t('db commands: status', '1', cmds(status).toFixed(2), cmds(status) <= 1.01),
    t('db commands: usage (1 event)', '≤ 4', cmds(record).toFixed(2), cmds(record) <= 4.01),
    t('Slack ack p99', '≤ 100 ms', `${slackRow?.p99Ms ?? '-'} ms`, (slackRow?.p99Ms ?? Infinity) <= 100),
    t('peak RSS', '≤ 200 MB', `${peak.toFixed(0)} MB`, peak <= 200),
  ];
}
