// Remembers that downloading a mongod failed, so that on an offline machine only the first start
// pays the ~7 s download attempt; later starts (and every test run) go straight to jongodb.
// The memory expires after a day so a machine that comes online gets a real mongod again.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAILURE_MEMORY_MS = 24 * 60 * 60 * 1000;

/**
 * node_modules/.cache is where tools keep per-checkout caches (mongodb-memory-server keeps its
 * binaries there too); a fresh `npm ci` clears it, which is the right moment to retry.
 * The path is resolved from this file (src/db or dist/db), not from the working directory.
 */
export function defaultEngineCacheFile(): string {
  return fileURLToPath(new URL('../../node_modules/.cache/budget-bot/mongo-engine.json', import.meta.url));
}

interface CacheEntry {
  mongodDownloadFailedAt: number;
  reason: string;
}

/** The remembered failure if it is younger than FAILURE_MEMORY_MS, else undefined. */
export async function recentMongodFailure(file: string, now = Date.now()): Promise<CacheEntry | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined; // no memory yet
  }
  const entry = parseEntry(text);
  if (entry === undefined) return undefined;
  const age = now - entry.mongodDownloadFailedAt;
  return age >= 0 && age < FAILURE_MEMORY_MS ? entry : undefined;
}

export async function rememberMongodFailure(file: string, reason: string, now = Date.now()): Promise<void> {
  const entry: CacheEntry = { mongodDownloadFailedAt: now, reason };
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(entry, null, 2)}\n`);
  } catch {
    // A read-only install just retries next time; not worth failing a start for.
  }
}

function parseEntry(text: string): CacheEntry | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (
      typeof value === 'object' &&
      value !== null &&
      'mongodDownloadFailedAt' in value &&
      typeof value.mongodDownloadFailedAt === 'number' &&
      'reason' in value &&
      typeof value.reason === 'string'
    ) {
      return { mongodDownloadFailedAt: value.mongodDownloadFailedAt, reason: value.reason };
    }
  } catch {
    // corrupt file: behave as if there were none
  }
  return undefined;
}
