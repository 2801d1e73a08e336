// The benchmark's one table, and its JSON twin under artifacts/bench/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Row {
  /** The --only keyword of the scenario (check, status, usage, batch, slack, ceiling). */
  key: string;
  name: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Counted in a separate run (countingApp.ts): per request, and by command name over that run. */
  dbCommands: { perRequest: number; byName: Record<string, number> } | null;
  peakRssMb: number | null;
  /** CPU the server process spent per request (µs): steadier than req/s on a shared machine. */
  cpuMicrosPerRequest: number | null;
  baselineRequestsPerSec: number | null;
  /** CPU the raw driver spent per operation in the baseline (µs). */
  baselineCpuMicrosPerRequest: number | null;
  /** App ÷ baseline throughput: the median of the rounds' ratios, and the lowest and highest. */
  ratio: { median: number; low: number; high: number } | null;
  /** Measured rounds (each: the app's load, then the baseline's). */
  rounds: number;
}

export interface ScalingRow {
  name: string;
  small: { label: string; p50Ms: number; p99Ms: number };
  large: { label: string; p50Ms: number; p99Ms: number };
  /** The raw driver's p50 doing the same at each size, where the engine's own growth matters. */
  baselineP50Ms?: { small: number; large: number };
}

export interface Target {
  what: string;
  wanted: string;
  seen: string;
  /** null: the run did not measure it (see --only). */
  met: boolean | null;
}

const fixed = (n: number | null, digits = 1): string => (n === null ? '-' : n.toFixed(digits));

const LEGEND = [
  'req/s: requests over all rounds ÷ their time; p50/p99: the median round\'s; CPU: the server process\'s (baseline: the driver\'s) per request.',
  'app ÷ baseline: the median of the rounds\' ratios (each round: the app\'s load, then the baseline\'s), with the lowest and highest in brackets.',
].join('\n');

/** "0.38 (0.35-0.41)": the median of the rounds, with their range when there were several. */
function ratioText(r: Row): string {
  if (!r.ratio) return '-';
  const { median, low, high } = r.ratio;
  return r.rounds > 1 ? `${median.toFixed(2)} (${low.toFixed(2)}-${high.toFixed(2)})` : median.toFixed(2);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function render(rows: Row[], scaling: ScalingRow[], targets: Target[], context: string): string {
  const main = table(
    ['route', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'db cmds/req', 'peak RSS MB', 'CPU µs/req', 'baseline req/s', 'baseline CPU µs/req', 'app ÷ baseline'],
    rows.map((r) => [
      r.name,
      fixed(r.requestsPerSec, r.requestsPerSec < 10 ? 2 : 0),
      fixed(r.p50Ms),
      fixed(r.p99Ms),
      String(r.errors),
      fixed(r.dbCommands?.perRequest ?? null, 2),
      fixed(r.peakRssMb, 0),
      fixed(r.cpuMicrosPerRequest, 0),
      fixed(r.baselineRequestsPerSec, (r.baselineRequestsPerSec ?? 0) < 10 ? 2 : 0),
      fixed(r.baselineCpuMicrosPerRequest, 0),
      ratioText(r),
    ]),
  );
  const scale = table(
    ['scaling', 'small', 'p50 ms', 'p99 ms', 'large', 'p50 ms', 'p99 ms', 'p50 large ÷ small', 'baseline p50 large ÷ small'],
    scaling.map((s) => [
      s.name,
      s.small.label,
      fixed(s.small.p50Ms),
      fixed(s.small.p99Ms),
      s.large.label,
      fixed(s.large.p50Ms),
      fixed(s.large.p99Ms),
      (s.large.p50Ms / Math.max(s.small.p50Ms, 0.01)).toFixed(2),
      s.baselineP50Ms ? `${(s.baselineP50Ms.large / Math.max(s.baselineP50Ms.small, 0.01)).toFixed(2)} (${fixed(s.baselineP50Ms.small)} → ${fixed(s.baselineP50Ms.large)} ms)` : '-',
    ]),
  );
  const goals = table(
    ['target', 'wanted', 'seen', 'met'],
    targets.map((t) => [t.what, t.wanted, t.seen, t.met === null ? 'not run' : t.met ? 'yes' : 'NO']),
  );
  return [context, `${main}\n${LEGEND}`, ...(scaling.length > 0 ? [scale] : []), goals].join('\n\n') + '\n';
}

export function save(directory: string, data: unknown): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
