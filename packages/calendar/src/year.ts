import { revisionHash } from './canonical';
import { YearFile, type HolidayKind, type Revision } from './data-schema';
import { CalendarDataInvalidError } from './errors';
import type { LocalDate } from './local-date';

// One year's data after validation: its revisions, their hashes, and how the days come out when
// the revisions are replayed in order.

export interface Holiday {
  readonly date: LocalDate;
  readonly kind: HolidayKind;
  readonly name: string;
  readonly note?: string;
}

export interface YearData {
  readonly year: number;
  readonly revisions: readonly Revision[];
  /** sha256 of each revision's canonical JSON, in order: what a manifest locks. */
  readonly hashes: readonly string[];
  /** Where it was read from (a file path, or "withYear"): for error messages and describe(). */
  readonly source: string;
  /** How many leading revisions a manifest has locked; the rest are appended amendments. */
  readonly lockedRevisions: number;
}

/** Validates raw JSON (schema, then a replay of every revision) into YearData. */
export function parseYearFile(raw: unknown, source: string, lockedRevisions = 0): YearData {
  const parsed = YearFile.safeParse(raw);
  if (!parsed.success) {
    throw new CalendarDataInvalidError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const { year, revisions } = parsed.data;
  replay(year, revisions, source); // throws on an amendment that does not fit what it amends
  return deepFreeze({ year, revisions, hashes: revisions.map(revisionHash), source, lockedRevisions });
}

/** The days in force after the first `count` revisions (all of them by default). */
export function holidaysAfter(data: YearData, count = data.revisions.length): ReadonlyMap<LocalDate, Holiday> {
  return replay(data.year, data.revisions.slice(0, count), data.source);
}

/** A year is provisional while its latest revision is an estimate rather than a decree. */
export function isProvisional(revisions: readonly Revision[]): boolean {
  const last = revisions[revisions.length - 1];
  return last?.type === 'base' && last.status === 'provisional';
}

function replay(year: number, revisions: readonly Revision[], source: string): Map<LocalDate, Holiday> {
  let days = new Map<LocalDate, Holiday>();
  const issues: string[] = [];
  revisions.forEach((revision, index) => {
    const at = `revisions.${index}`;
    if (revision.type === 'base') {
      days = new Map(revision.days.map((entry) => [entry.date as LocalDate, toHoliday(entry)]));
      return;
    }
    // Removals first, so an amendment can rename or re-kind a day by removing and re-adding it.
    for (const date of revision.remove) {
      if (!days.delete(date as LocalDate)) issues.push(`${at}: removes ${date}, which is not a holiday at that point`);
    }
    for (const entry of revision.add) {
      if (days.has(entry.date as LocalDate)) issues.push(`${at}: adds ${entry.date}, which is already a holiday`);
      days.set(entry.date as LocalDate, toHoliday(entry));
    }
  });
  if (issues.length > 0) throw new CalendarDataInvalidError(`${source} (${year})`, issues);
  return new Map([...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const toHoliday = (entry: { date: string; kind: HolidayKind; name: string; note?: string | undefined }): Holiday =>
  Object.freeze({
    date: entry.date as LocalDate,
    kind: entry.kind,
    name: entry.name,
    ...(entry.note === undefined ? {} : { note: entry.note }),
  });

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
