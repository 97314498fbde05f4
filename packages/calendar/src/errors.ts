// Every refusal carries a stable code. The scheduler keys on the class or the code, never on the
// message: "no data for 2028" must page an administrator, not fall back to weekends only.

export type CalendarErrorCode =
  | 'CALENDAR_YEAR_MISSING'
  | 'CALENDAR_DATA_INVALID'
  | 'CALENDAR_PUBLISHED_YEAR_CHANGED'
  | 'CALENDAR_YEAR_CONFLICT'
  | 'CALENDAR_VERSION_UNKNOWN'
  | 'CALENDAR_INVALID_INPUT';

export class CalendarError extends Error {
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Asked about a date in a year the calendar has no (or only provisional, excluded) data for. */
export class CalendarDataMissingError extends CalendarError {
  constructor(
    readonly year: number,
    readonly reason: 'no_data' | 'provisional_excluded',
  ) {
    super(
      'CALENDAR_YEAR_MISSING',
      reason === 'no_data'
        ? `No holiday data for ${year}: add data/${year}.json from the joint decree (SKB) before counting working days in it`
        : `Holiday data for ${year} is provisional (no SKB yet) and this calendar excludes provisional years`,
    );
  }
}

/** A year file does not match the schema or its own rules (dates outside the year, duplicates…). */
export class CalendarDataInvalidError extends CalendarError {
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super('CALENDAR_DATA_INVALID', `Invalid holiday data in ${source}: ${issues.join('; ')}`);
  }
}

/** A revision locked in a manifest was edited or removed: published data never changes in place. */
export class PublishedYearChangedError extends CalendarError {
  constructor(
    readonly year: number,
    readonly revision: number,
    detail: string,
  ) {
    super(
      'CALENDAR_PUBLISHED_YEAR_CHANGED',
      `Published holiday data for ${year} changed at revision ${revision} (${detail}); ` +
        'append an amendment revision naming the decree instead of editing a published one',
    );
  }
}

/** New data for a loaded year is not the loaded data plus appended revisions. */
export class YearConflictError extends CalendarError {
  constructor(
    readonly year: number,
    detail: string,
  ) {
    super('CALENDAR_YEAR_CONFLICT', `Holiday data for ${year} conflicts with the data already loaded: ${detail}`);
  }
}

/** A version string that this calendar's data cannot reproduce. */
export class UnknownCalendarVersionError extends CalendarError {
  constructor(
    readonly version: string,
    detail: string,
  ) {
    super('CALENDAR_VERSION_UNKNOWN', `Cannot reproduce calendar version ${version}: ${detail}`);
  }
}
