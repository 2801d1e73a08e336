// Where a CPU profile's time went: self time by package (node_modules/<pkg>, node's own modules,
// our dist/ files, GC, idle) and by function, as shares of the busy (non-idle) time. For a profile
// written by `node --cpu-prof` (see README, Performance).
//
//   npx tsx scripts/bench/profileSummary.ts <file.cpuprofile>...     (ROWS=40 for more rows)
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const Profile = z.object({
  nodes: z.array(z.object({ id: z.number(), callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }) })),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: tsx scripts/bench/profileSummary.ts <file.cpuprofile>...\n');
  process.exit(2);
}
const rows = Number(process.env.ROWS ?? 25);

/** "express", "node:http", "app:store/budgets.js", or V8's own "(garbage collector)", "(idle)". */
function packageOf(frame: { functionName: string; url: string }): string {
  if (frame.url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (inModules?.[1]) return inModules[1];
  if (frame.url.startsWith('node:')) return `node:${frame.url.slice(5).replace(/^internal\//, '').split('/')[0] ?? ''}`;
  const ours = /\/dist\/(.+)$/.exec(frame.url);
  return ours?.[1] ? `app:${ours[1]}` : frame.url;
}

for (const file of files) process.stdout.write(summary(file));

function summary(file: string): string {
  const profile = Profile.parse(JSON.parse(readFileSync(file, 'utf8')));
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id);
    const micros = profile.timeDeltas[i] ?? 0;
    if (!frame) return;
    total += micros;
    if (frame.functionName === '(idle)') {
      idle += micros;
      return;
    }
    const pkg = packageOf(frame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
    const fn = `${frame.functionName || '(anonymous)'}  ${pkg}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
  });

  const busy = total - idle;
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, rows)
      .map(([name, micros]) => `${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  return `${file}\nbusy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled\n\nself time by package\n${top(byPackage)}\n\nself time by function\n${top(byFunction)}\n\n`;
}
