import type { DateTime } from 'luxon';
import { HolidayArchive } from './archive';
import { CalendarDataMissingError, CalendarError, UnknownCalendarVersionError } from './errors';
import {
  addDays,
  dayOfYear,
  END_OF_DAY_MS,
  endOfLocalDay,
  isWeekend,
  localDateOf,
  localTimeIso,
  startOfLocalDay,
  yearOf,
  type DateInput,
  type LocalDate,
} from './local-date';
import { formatVersion, parseVersion, type Selection } from './version';
import { nthWorkingDateAfter, nthWorkingDateBefore, type WorkingDayOracle } from './working-days';
import { holidaysAfter, isProvisional, parseYearFile, type Holiday, type YearData } from './year';
import type { IndonesianZone } from './zones';

// ===== Deadlines already computed must not move ==============================================
// A Calendar is an immutable snapshot: given the same inputs it gives the same answer forever.
// Its `version` names the exact revisions it was built from. The scheduler computes a deadline
// once, when the clock starts, and stores it together with `calendar.version`; it never
// recomputes a stored deadline with a newer calendar. New data (a new year, an amending decree)
// only ever produces a NEW calendar with a new version (withYear, or a reload); the old snapshot
// is untouched, and `forVersion(storedVersion)` rebuilds it from newer data whenever a stored
// deadline has to be explained or a related date (a reminder) derived with the same rules.
// Published years cannot be edited in place (manifest.ts), so an old version stays reproducible.
// ============================================================================================

export interface CalendarOptions {
  /** Count with provisional (estimated) years too. Off by default: an estimate is not a decree. */
  includeProvisional?: boolean;
}

/** What a scheduler stores when it starts a clock: the deadline and the calendar that set it. */
export interface DeadlineRecord {
  /** End of the last working day, ISO 8601 with the instansi's offset. */
  dueAt: string;
  calendarVersion: string;
  workingDays: number;
  zone: IndonesianZone;
}

export interface YearSummary {
  year: number;
  status: 'official' | 'provisional';
  /** Revisions known, and how many this calendar uses (0 when the year is excluded). */
  revisions: number;
  revisionsInUse: number;
  lockedRevisions: number;
  /** The decrees behind the revisions, oldest first. */
  decrees: string[];
  source: string;
}

export class Calendar {
  readonly version: string;
  private readonly holidays: ReadonlyMap<number, ReadonlyMap<LocalDate, Holiday>>;
  /** Per year: its working days among its first k days, k = 0 … the days of the year (built on first use). */
  private readonly workingDaysInto = new Map<number, Uint16Array>();
  private readonly oracle: WorkingDayOracle = {
    isWorkingDate: (date) => {
      const holidays = this.holidaysOf(yearOf(date)); // first, so a missing year throws even on a weekend
      return !isWeekend(date) && !holidays.has(date);
    },
  };

  private constructor(
    private readonly archive: HolidayArchive,
    private readonly selection: Selection,
    private readonly includeProvisional: boolean,
  ) {
    this.holidays = new Map([...selection].map(([year, count]) => [year, holidaysAfter(this.data(year), count)]));
    this.version = formatVersion(selection, (year, count) => this.data(year).hashes.slice(0, count));
    Object.freeze(this);
  }

  /** The latest revision of every year in the archive (provisional years only if asked for). */
  static fromArchive(archive: HolidayArchive, options: CalendarOptions = {}): Calendar {
    const includeProvisional = options.includeProvisional ?? false;
    const selection = new Map<number, number>();
    for (const year of archive.years) {
      const data = archive.get(year);
      if (data && (includeProvisional || !isProvisional(data.revisions))) selection.set(year, data.revisions.length);
    }
    return new Calendar(archive, selection, includeProvisional);
  }

  /** A calendar from raw year files (JSON values), validated; mainly for tests and tools. */
  static fromYearFiles(files: readonly unknown[], options: CalendarOptions = {}): Calendar {
    const archive = files.reduce<HolidayArchive>((built, file, index) => built.with(parseYearFile(file, `yearFiles[${index}]`)), HolidayArchive.EMPTY);
    return Calendar.fromArchive(archive, options);
  }

  /** Years this calendar can count in. */
  get years(): readonly number[] {
    return [...this.selection.keys()].sort((a, b) => a - b);
  }

  /** The holidays (libur nasional and cuti bersama) of a year, in date order. */
  holidaysIn(year: number): readonly Holiday[] {
    return [...this.holidaysOf(year).values()];
  }

  /** The holiday on the local date of `date` in `zone`, if any. */
  holidayOn(date: DateInput, zone: IndonesianZone): Holiday | undefined {
    const local = localDateOf(date, zone);
    return this.holidaysOf(yearOf(local)).get(local);
  }

  isWorkingDay(date: DateInput, zone: IndonesianZone): boolean {
    return this.oracle.isWorkingDate(localDateOf(date, zone));
  }

  /** Start (00:00 local) of the first working day after the local date of `date`. */
  nextWorkingDay(date: DateInput, zone: IndonesianZone): DateTime {
    return this.addWorkingDays(date, 1, zone);
  }

  /** Start (00:00 local) of the last working day before the local date of `date`. */
  previousWorkingDay(date: DateInput, zone: IndonesianZone): DateTime {
    return this.subtractWorkingDays(date, 1, zone);
  }

  /** Start (00:00 local) of the nth working day after the local date of `start`; n = 0 is that date. */
  addWorkingDays(start: DateInput, n: number, zone: IndonesianZone): DateTime {
    return startOfLocalDay(nthWorkingDateAfter(this.oracle, localDateOf(start, zone), n), zone);
  }

  /** Start (00:00 local) of the nth working day before the local date of `from`, e.g. a reminder. */
  subtractWorkingDays(from: DateInput, n: number, zone: IndonesianZone): DateTime {
    return startOfLocalDay(nthWorkingDateBefore(this.oracle, localDateOf(from, zone), n), zone);
  }

  /** Working days after the local date of `a` up to and including that of `b` (negative if b < a). */
  workingDaysBetween(a: DateInput, b: DateInput, zone: IndonesianZone): number {
    return this.countBetween(localDateOf(a, zone), localDateOf(b, zone));
  }

  /**
   * The working days a step from `a` to `b` took, counted the way a deadline is: the least n with
   * `b` at or before `deadline(a, n)`. A step done on a Saturday after the fifth working day took
   * six, because its five-day deadline ended on Friday night; `workingDaysBetween` says five.
   * So "within N working days" (a report's column) and "not breached" (the scheduler's timer)
   * are the same question: `workingDaysTaken(a, b) <= N` exactly when `b <= deadline(a, N)`.
   */
  workingDaysTaken(a: DateInput, b: DateInput, zone: IndonesianZone): number {
    const between = this.workingDaysBetween(a, b, zone);
    return between >= 0 && !this.isWorkingDay(b, zone) && localDateOf(a, zone) !== localDateOf(b, zone) ? between + 1 : between;
  }

  /** End (23:59:59.999 local) of the nth working day after receipt, n >= 1. Store it with `version`. */
  deadline(receivedAt: DateInput, n: number, zone: IndonesianZone): DateTime {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new CalendarError('CALENDAR_INVALID_INPUT', `A deadline is at least 1 working day away, got ${n}`);
    }
    return endOfLocalDay(nthWorkingDateAfter(this.oracle, localDateOf(receivedAt, zone), n), zone);
  }

  /**
   * `deadline(...).toISO()`, written without building a luxon DateTime: the planner stores one
   * or more for every event it applies, and luxon's zone lookups were most of its CPU.
   */
  deadlineIso(receivedAt: DateInput, n: number, zone: IndonesianZone): string {
    if (!Number.isSafeInteger(n) || n < 1) return this.deadline(receivedAt, n, zone).toISO()!;
    return localTimeIso(nthWorkingDateAfter(this.oracle, localDateOf(receivedAt, zone), n), END_OF_DAY_MS, zone);
  }

  /** `subtractWorkingDays(from, n, zone).plus({ hours: atHour }).toISO()`, without luxon (a reminder's moment). */
  subtractWorkingDaysIso(from: DateInput, n: number, zone: IndonesianZone, atHour = 0): string {
    return localTimeIso(nthWorkingDateBefore(this.oracle, localDateOf(from, zone), n), atHour * 3_600_000, zone);
  }

  /** `deadline`, packaged with this calendar's version so the two are stored together. */
  deadlineRecord(receivedAt: DateInput, n: number, zone: IndonesianZone): DeadlineRecord {
    const dueAt = this.deadlineIso(receivedAt, n, zone);
    return { dueAt, calendarVersion: this.version, workingDays: n, zone };
  }

  /**
   * A NEW calendar that also has `file` (a year file's JSON): a year not loaded yet, or the loaded
   * year plus appended amendment revisions. Anything that rewrites loaded revisions is refused.
   * This calendar is unchanged.
   */
  withYear(file: unknown, source = 'withYear'): Calendar {
    const data = parseYearFile(file, source);
    const archive = this.archive.with(data);
    if (archive === this.archive) return this;
    if (isProvisional(data.revisions) && !this.includeProvisional) {
      throw new CalendarError('CALENDAR_INVALID_INPUT', `${data.year} is provisional and this calendar excludes provisional years`);
    }
    return new Calendar(archive, new Map([...this.selection, [data.year, data.revisions.length]]), this.includeProvisional);
  }

  /** The calendar a stored version string names, rebuilt from this calendar's (newer) data. */
  forVersion(version: string): Calendar {
    if (version === this.version) return this;
    const selection = parseVersion(version);
    if (!selection) throw new UnknownCalendarVersionError(version, 'not a calendar version');
    for (const [year, count] of selection) {
      const known = this.archive.get(year)?.revisions.length ?? 0;
      if (known < count) throw new UnknownCalendarVersionError(version, `${year} has ${known} revision(s) here, the version uses ${count}`);
    }
    const rebuilt = new Calendar(this.archive, selection, this.includeProvisional);
    if (rebuilt.version !== version) {
      throw new UnknownCalendarVersionError(version, 'the revisions it names have different content in this data');
    }
    return rebuilt;
  }

  /** What the calendar is built from, for an administrator's screen or a startup log. */
  describe(): YearSummary[] {
    return this.archive.years.map((year) => {
      const data = this.data(year);
      return {
        year,
        status: isProvisional(data.revisions) ? 'provisional' : 'official',
        revisions: data.revisions.length,
        revisionsInUse: this.selection.get(year) ?? 0,
        lockedRevisions: data.lockedRevisions,
        decrees: data.revisions.map((revision) =>
          revision.type === 'base' && revision.status === 'provisional'
            ? 'perkiraan (belum ada SKB)'
            : `${revision.decree.type.toUpperCase()} ${revision.decree.number} (${revision.decree.signedOn})`,
        ),
        source: data.source,
      };
    });
  }

  /**
   * `countWorkingDates` (the rule, date by date) from a table per year: a statistics rebuild counts
   * spans of months for every complaint, and stepping through each date was a tenth of its CPU.
   * The years are looked at in order, so a span into a year without data throws for the first such
   * year, as the date-by-date count does.
   */
  private countBetween(from: LocalDate, to: LocalDate): number {
    if (to < from) return 0 - this.countBetween(to, from); // 0 - x, not -x: never return -0
    if (to === from) return 0;
    const first = addDays(from, 1);
    const [firstYear, lastYear] = [yearOf(first), yearOf(to)];
    let count = 0;
    for (let year = firstYear; year <= lastYear; year++) {
      const into = this.workingDaysIntoYear(year);
      if (year === firstYear) count -= into[dayOfYear(first) - 1]!;
      count += year === lastYear ? into[dayOfYear(to)]! : into[into.length - 1]!;
    }
    return count;
  }

  private workingDaysIntoYear(year: number): Uint16Array {
    const known = this.workingDaysInto.get(year);
    if (known) return known;
    const holidays = this.holidaysOf(year); // throws for a year without data
    const days = dayOfYear(`${year}-12-31` as LocalDate);
    const into = new Uint16Array(days + 1);
    let date = `${year}-01-01` as LocalDate;
    for (let day = 1; day <= days; day++, date = addDays(date, 1)) {
      into[day] = into[day - 1]! + (isWeekend(date) || holidays.has(date) ? 0 : 1);
    }
    this.workingDaysInto.set(year, into);
    return into;
  }

  private holidaysOf(year: number): ReadonlyMap<LocalDate, Holiday> {
    const holidays = this.holidays.get(year);
    if (holidays) return holidays;
    const known = this.archive.get(year);
    throw new CalendarDataMissingError(year, known && isProvisional(known.revisions) ? 'provisional_excluded' : 'no_data');
  }

  private data(year: number): YearData {
    const data = this.archive.get(year);
    if (!data) throw new CalendarDataMissingError(year, 'no_data');
    return data;
  }
}
