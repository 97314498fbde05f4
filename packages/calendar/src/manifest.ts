import type { Manifest } from './data-schema';
import { PublishedYearChangedError } from './errors';
import type { YearData } from './year';

// Why a manifest: deadlines already computed must not move, so a year that has been published
// may not change in place. The manifest records, per year, the sha256 of every revision that was
// published. Loading checks that each locked revision is still there, unchanged and in the same
// position. The only way to change a published year is to append a revision naming the decree
// that changed it; `lockRevisions` then locks the new revision too (it never rewrites old hashes).

export const MANIFEST_FILE = 'manifest.json';

export const MANIFEST_ABOUT =
  'sha256 of each published revision of each year, in order. Published revisions never change: ' +
  'a change comes as a new amendment revision naming its decree. Lock new revisions with ' +
  '`pnpm --filter @lapor/calendar lock` (it only appends).';

/** How many revisions of `data` the manifest locks; throws if a locked revision was edited or dropped. */
export function lockedRevisionCount(data: YearData, manifest: Manifest | undefined): number {
  const locked = manifest?.years[String(data.year)] ?? [];
  locked.forEach((hash, index) => {
    const actual = data.hashes[index];
    if (actual === undefined) throw new PublishedYearChangedError(data.year, index + 1, 'the revision was removed');
    if (actual !== hash) throw new PublishedYearChangedError(data.year, index + 1, 'its content differs from the manifest');
  });
  return locked.length;
}

/** Throws when the manifest locks a year whose file is gone. */
export function assertNoLockedYearMissing(years: readonly YearData[], manifest: Manifest | undefined): void {
  for (const year of Object.keys(manifest?.years ?? {})) {
    if (!years.some((data) => String(data.year) === year)) {
      throw new PublishedYearChangedError(Number(year), 1, 'the year file was removed');
    }
  }
}

/** The manifest that locks every revision of `years`, after checking the existing locks still hold. */
export function lockRevisions(years: readonly YearData[], previous: Manifest | undefined): Manifest {
  assertNoLockedYearMissing(years, previous);
  const locked: Record<string, string[]> = {};
  for (const data of [...years].sort((a, b) => a.year - b.year)) {
    lockedRevisionCount(data, previous);
    locked[String(data.year)] = [...data.hashes];
  }
  return { about: MANIFEST_ABOUT, years: locked };
}
