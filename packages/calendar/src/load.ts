import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HolidayArchive } from './archive';
import { Calendar, type CalendarOptions } from './calendar';
import { Manifest } from './data-schema';
import { CalendarDataInvalidError, CalendarError } from './errors';
import { assertNoLockedYearMissing, lockedRevisionCount, MANIFEST_FILE } from './manifest';
import { parseYearFile, type YearData } from './year';

// Holiday data comes from two places: the directory shipped with this package, and optionally a
// directory an administrator maintains (configured by the caller, conventionally from
// LAPOR_CALENDAR_DIR). A new year's SKB, or an amending decree, dropped into the second directory
// takes effect on the next start without a release. Each directory may carry its own manifest.

/** The data shipped with the package. */
export const BUNDLED_DATA_DIR = resolve(__dirname, '..', 'data');

/** The environment variable callers conventionally read the extra directory from. */
export const CALENDAR_DIR_VARIABLE = 'LAPOR_CALENDAR_DIR';

const YEAR_FILE = /^(\d{4})\.json$/;

export interface LoadOptions extends CalendarOptions {
  /** Replaces the bundled directory (tests, tools). */
  dataDir?: string;
  /** An administrator's directory whose years and amendments are added to the bundled ones. */
  extraDir?: string;
}

/** Reads and validates every <year>.json in `dir`, checking them against the directory's manifest. */
export function readDataDirectory(dir: string): YearData[] {
  if (!existsSync(dir)) throw new CalendarError('CALENDAR_INVALID_INPUT', `Holiday data directory not found: ${dir}`);
  const manifest = readManifest(dir);
  const years = readdirSync(dir)
    .filter((name) => YEAR_FILE.test(name))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const data = parseYearFile(readJson(path), path);
      if (`${data.year}.json` !== name) throw new CalendarDataInvalidError(path, [`the file holds year ${data.year}`]);
      return Object.freeze({ ...data, lockedRevisions: lockedRevisionCount(data, manifest) });
    });
  assertNoLockedYearMissing(years, manifest);
  return years;
}

export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  const parsed = Manifest.safeParse(readJson(path));
  if (!parsed.success)
    throw new CalendarDataInvalidError(
      path,
      parsed.error.issues.map((issue) => issue.message),
    );
  return parsed.data;
}

/** Everything known: the bundled years, then the extra directory's years and amendments on top. */
export function loadArchive(options: Pick<LoadOptions, 'dataDir' | 'extraDir'> = {}): HolidayArchive {
  let archive = readDataDirectory(options.dataDir ?? BUNDLED_DATA_DIR).reduce<HolidayArchive>((built, data) => built.with(data), HolidayArchive.EMPTY);
  if (options.extraDir !== undefined) {
    // A stale copy of a bundled year (fewer revisions) is ignored; a rewrite of one is refused.
    for (const data of readDataDirectory(options.extraDir)) archive = archive.with(data, { acceptOlder: true });
  }
  return archive;
}

/** The calendar the scheduler uses: latest revisions of every year, provisional years left out unless asked for. */
export function loadCalendar(options: LoadOptions = {}): Calendar {
  return Calendar.fromArchive(loadArchive(options), options);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CalendarDataInvalidError(path, [error instanceof Error ? error.message : String(error)]);
  }
}
