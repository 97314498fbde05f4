import { DateTime } from 'luxon';
import { CalendarError } from './errors';
import { assertIndonesianZone, type IndonesianZone } from './zones';

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
  const value = toDateTime(input, zone);
  const date = value.setZone(zone).toISODate();
  if (!date) throw invalid(`Cannot read a date from ${String(input)}`);
  return date as LocalDate;
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

/** Saturday and Sunday: the five-day week of the civil service. */
export function isWeekend(date: LocalDate): boolean {
  const weekday = new Date(epochDay(date) * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}
