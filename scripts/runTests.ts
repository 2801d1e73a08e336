// `vitest run`, made honest: a skipped or todo test, or a run with no tests at all, fails the run
// just like a failing test does (vitest alone reports those as success). Prints a closing
// "N passed, N failed" line. Extra arguments go to vitest (e.g. a file filter).
//
//   tsx scripts/runTests.ts [vitest args...]     run the tests, then check the results
//   tsx scripts/runTests.ts --summary-only        re-print the last run's closing line (for CI)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const RESULTS = fileURLToPath(new URL('../artifacts/vitest-results.json', import.meta.url));

// The fields of vitest's JSON report this script relies on.
const Results = z.object({
  numTotalTests: z.number(),
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
  numFailedTestSuites: z.number(),
  success: z.boolean(),
});
type Results = z.infer<typeof Results>;

function readResults(): Results | undefined {
  if (!existsSync(RESULTS)) return undefined;
  return Results.parse(JSON.parse(readFileSync(RESULTS, 'utf8')));
}

function summaryLine(r: Results | undefined): string {
  return r === undefined ? '0 passed, 0 failed' : `${r.numPassedTests} passed, ${r.numFailedTests} failed`;
}

/** Reasons the run is not a pass, beyond vitest's own exit code. */
function problems(r: Results): string[] {
  const found: string[] = [];
  if (r.numPendingTests > 0) found.push(`${r.numPendingTests} skipped test(s): remove .skip or delete the test`);
  if (r.numTodoTests > 0) found.push(`${r.numTodoTests} todo test(s): write them or delete them`);
  if (r.numTotalTests === 0) found.push('no tests ran');
  // A file that fails to import has no failed tests, only a failed suite.
  if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) found.push(`${r.numFailedTestSuites} test file(s) failed to load (see above)`);
  return found;
}

const args = process.argv.slice(2);

if (args[0] === '--summary-only') {
  process.stdout.write(`${summaryLine(readResults())}\n`);
  process.exit(0);
}

mkdirSync(dirname(RESULTS), { recursive: true });
rmSync(RESULTS, { force: true });
const vitest = spawnSync(
  process.execPath,
  [
    fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url)),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${RESULTS}`,
    ...args,
  ],
  { stdio: 'inherit' },
);

const results = readResults();
const found = results === undefined ? ['vitest wrote no results (it crashed before reporting)'] : problems(results);
for (const line of found) process.stderr.write(`Not a pass: ${line}\n`);
process.stdout.write(`${summaryLine(results)}\n`);
process.exit(vitest.status === 0 && found.length === 0 ? 0 : 1);
