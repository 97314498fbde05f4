import { DateTime } from 'luxon';
import { CalendarError } from './errors';
import { assertIndonesianZone, ZONE_OFFSET_MS, zoneOffsetText, type IndonesianZone } from './zones';

// Working days are a property of a local calendar date, not of an instant. Everything below the
// public API works on LocalDate ('YYYY-MM-DD'); the zone is used exactly twice: to find the local
// date of an incoming instant, and to turn a resulting date back into an instant. That is what
// makes "the zone matters only through the local date" true by construction.

declare const localDateBrand: unique symbol;
/** A calendar date without a zone, 'YYYY-MM-DD'. Lexical order is chronological order. */
export type LocalDate = string & { readonly [localDateBrand]: true };

/** An instant (luxon DateTime, JS Date, ISO string with offset) or an ISO date ('2025-03-31'). */
export type DateInput = DateTime | Date | string;

const DAY_MS = 86_400_000;

const invalid = (message: string) => new CalendarError('CALENDAR_INVALID_INPUT', message);

/**
 * The date on the wall calendar of `zone` at the given input. A DateTime, Date or ISO string with
 * a time is an instant and is converted; a bare ISO date is taken as that date in `zone`.
 */
export function localDateOf(input: DateInput, zone: IndonesianZone): LocalDate {
  assertIndonesianZone(zone);
  const instant = plainInstantMs(input);
  if (instant !== undefined && instant >= FIXED_OFFSETS_SINCE && instant < FIXED_OFFSETS_UNTIL) {
    return new Date(instant + ZONE_OFFSET_MS[zone]).toISOString().slice(0, 10) as LocalDate;
  }
  const value = toDateTime(input, zone);
  const date = value.setZone(zone).toISODate();
  if (!date) throw invalid(`Cannot read a date from ${String(input)}`);
  return date as LocalDate;
}

// The three zones have kept these offsets since 1964 (tz database), so the local date of a later
// instant is plain arithmetic. Luxon finds a zone's offset through Intl for every conversion, which
// was most of the scheduler's CPU when firing timers; it still answers everything else (earlier
// instants, DateTimes, strings that are not plain ISO instants) and refuses what is invalid.
const FIXED_OFFSETS_SINCE = Date.UTC(1970, 0, 1);
const FIXED_OFFSETS_UNTIL = Date.UTC(9000, 0, 1);
/** '2025-03-03T09:00:00.000+08:00' or '…Z'; seconds and fraction optional. */
const PLAIN_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch of a JS Date or a plain ISO instant whose every part is in range; else undefined. */
function plainInstantMs(input: DateInput): number | undefined {
  if (input instanceof Date) {
    const ms = input.getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (typeof input !== 'string') return undefined;
  const parts = PLAIN_INSTANT.exec(input);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const fraction = Number((parts[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const offsetMinutes = parts[8] === undefined ? 0 : (parts[8] === '-' ? -1 : 1) * (Number(parts[9]) * 60 + Number(parts[10]));
  const inRange =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= new Date(Date.UTC(year, month, 0)).getUTCDate() &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    Math.abs(offsetMinutes) < 24 * 60 &&
    Number(parts[10] ?? 0) <= 59;
  return inRange ? Date.UTC(year, month - 1, day, hour, minute, second, fraction) - offsetMinutes * 60_000 : undefined;
}

function toDateTime(input: DateInput, zone: IndonesianZone): DateTime {
  let value: DateTime;
  if (DateTime.isDateTime(input)) value = input;
  else if (input instanceof Date) value = DateTime.fromJSDate(input, { zone });
  else if (typeof input === 'string') value = DateTime.fromISO(input, { zone });
  else throw invalid(`Expected a DateTime, Date or ISO string, got ${typeof input}`);
  if (!value.isValid) throw invalid(`Invalid date or time ${String(input)}: ${value.invalidExplanation ?? value.invalidReason}`);
  return value;
}

const FIXED_OFFSETS_FROM_DATE = new Date(FIXED_OFFSETS_SINCE).toISOString().slice(0, 10);

/**
 * `msIntoDay` after 00:00 of `date` in `zone`, written as luxon's `toISO()` writes it
 * ('2025-03-06T23:59:59.999+08:00'), from the zone's fixed offset: what a timer stores, without
 * luxon's Intl lookup. `msIntoDay` stays within the day (0 ≤ msIntoDay < DAY_MS).
 */
export function localTimeIso(date: LocalDate, msIntoDay: number, zone: IndonesianZone): string {
  if (date < FIXED_OFFSETS_FROM_DATE) return startOfLocalDay(date, zone).plus({ milliseconds: msIntoDay }).toISO()!;
  return `${date}T${new Date(msIntoDay).toISOString().slice(11, 23)}${zoneOffsetText(zone)}`;
}

/** The last millisecond of a day, 23:59:59.999, in milliseconds after its start. */
export const END_OF_DAY_MS = DAY_MS - 1;

/** 00:00:00.000 of `date` in `zone`. Indonesia has no DST, so every local day exists whole. */
export const startOfLocalDay = (date: LocalDate, zone: IndonesianZone): DateTime => DateTime.fromISO(date, { zone }).startOf('day');

/** 23:59:59.999 of `date` in `zone`: the last instant a deadline on that day is still met. */
export const endOfLocalDay = (date: LocalDate, zone: IndonesianZone): DateTime => DateTime.fromISO(date, { zone }).endOf('day');

// Day stepping happens thousands of times in a property test; plain UTC arithmetic on the date
// keeps it cheap and free of any zone.
const epochDay = (date: LocalDate): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

const fromEpochDay = (day: number): LocalDate => new Date(day * DAY_MS).toISOString().slice(0, 10) as LocalDate;

export const addDays = (date: LocalDate, days: number): LocalDate => fromEpochDay(epochDay(date) + days);

export const yearOf = (date: LocalDate): number => Number(date.slice(0, 4));

/** The day of its year a date is, 1 for 1 January. */
export const dayOfYear = (date: LocalDate): number => epochDay(date) - Date.UTC(yearOf(date), 0, 1) / DAY_MS + 1;

/** Saturday and Sunday: the five-day week of the civil service. */
export function isWeekend(date: LocalDate): boolean {
  const weekday = new Date(epochDay(date) * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}
