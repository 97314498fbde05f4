import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDataDirectory, readManifest } from './load';
import { lockRevisions, MANIFEST_FILE } from './manifest';

/**
 * Locks every revision of every year in `dir` into its manifest. Existing locks are verified
 * first and never rewritten, so this cannot launder an in-place edit of a published year.
 * Returns the revisions newly locked, per year.
 */
export function lockDirectory(dir: string): { year: number; newlyLocked: number }[] {
  const years = readDataDirectory(dir); // throws if a locked revision changed
  const manifest = lockRevisions(years, readManifest(dir));
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return years.map((data) => ({ year: data.year, newlyLocked: data.revisions.length - data.lockedRevisions })).filter((entry) => entry.newlyLocked > 0);
}
