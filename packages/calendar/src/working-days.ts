import { CalendarError } from './errors';
import { addDays, type LocalDate } from './local-date';

// ===== The counting rule =====================================================================
// Everything here works on local dates; the Calendar turns instants into local dates in the
// instansi's zone first.
//
// - A working day is Monday to Friday that is neither a libur nasional nor a cuti bersama.
// - The day something arrives never counts, whatever the hour: day 1 is the first working day
//   AFTER the local date of arrival. A complaint received at 23:30 WITA on a Friday (or at any
//   time on a Saturday) counts from Monday, or from Tuesday if that Monday is a holiday.
// - "n working days from d" is the nth working day after d; for n = 0 it is d itself.
// - A deadline is the END of that day (23:59:59.999 local), so work done on day n is on time.
// - "n working days before d" (reminders) is the nth working day before d; for n = 0 it is d.
// - workingDaysBetween(a, b) counts the working days in (a, b]: after a, up to and including b;
//   it is negative when b is before a. Hence, for every d and n >= 0:
//       countWorkingDates(d, nthWorkingDateAfter(d, n)) === n
//   and, for a working day d: nthWorkingDateAfter(nthWorkingDateBefore(d, n), n) === d.
// - A date in a year without data throws instead of being guessed (the oracle's job): a
//   scheduler must learn that a year's SKB is missing, not get a weekends-only deadline.
// ============================================================================================

/** Answers "is this local date a working day?", throwing for a year it has no data for. */
export interface WorkingDayOracle {
  isWorkingDate(date: LocalDate): boolean;
}

function assertCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CalendarError('CALENDAR_INVALID_INPUT', `A number of working days must be a whole number >= 0, got ${n}`);
  }
}

/** The nth working day after `from` (`from` itself when n = 0). */
export function nthWorkingDateAfter(oracle: WorkingDayOracle, from: LocalDate, n: number): LocalDate {
  assertCount(n);
  return step(oracle, from, n, 1);
}

/** The nth working day before `from` (`from` itself when n = 0). */
export function nthWorkingDateBefore(oracle: WorkingDayOracle, from: LocalDate, n: number): LocalDate {
  assertCount(n);
  return step(oracle, from, n, -1);
}

function step(oracle: WorkingDayOracle, from: LocalDate, n: number, direction: 1 | -1): LocalDate {
  let date = from;
  for (let remaining = n; remaining > 0;) {
    date = addDays(date, direction);
    if (oracle.isWorkingDate(date)) remaining -= 1;
  }
  return date;
}

/** Working days in (from, to]; negative when `to` is before `from`. */
export function countWorkingDates(oracle: WorkingDayOracle, from: LocalDate, to: LocalDate): number {
  if (to < from) return 0 - countWorkingDates(oracle, to, from); // 0 - x, not -x: never return -0
  let count = 0;
  for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) {
    if (oracle.isWorkingDate(date)) count += 1;
  }
  return count;
}
