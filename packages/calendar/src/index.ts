// @lapor/calendar: working days in an instansi's time zone, minus national holidays and cuti
// bersama from the yearly joint decree (SKB). See README.md for the counting rule and for why a
// calendar is an immutable, versioned snapshot.

export { WIB, WITA, WIT, INDONESIAN_ZONES, ZONE_LABELS, ZONE_BY_LABEL, ZONE_OFFSET_MS, zoneOffsetText, isIndonesianZone } from './zones';
export type { IndonesianZone, ZoneLabel } from './zones';
export type { DateInput, LocalDate } from './local-date';
export { Calendar } from './calendar';
export type { CalendarOptions, DeadlineRecord, YearSummary } from './calendar';
export type { Holiday } from './year';
export { HolidayKind, HolidayEntry, Decree, Revision, YearFile, Manifest } from './data-schema';
export { BUNDLED_DATA_DIR, CALENDAR_DIR_VARIABLE, loadCalendar, loadArchive, readDataDirectory } from './load';
export type { LoadOptions } from './load';
export { lockDirectory } from './lock';
export { HolidayArchive } from './archive';
export { CalendarSource, CALENDAR_STREAM } from './recorded';
export {
  CalendarError,
  CalendarDataMissingError,
  CalendarDataInvalidError,
  PublishedYearChangedError,
  YearConflictError,
  UnknownCalendarVersionError,
} from './errors';
export type { CalendarErrorCode } from './errors';
