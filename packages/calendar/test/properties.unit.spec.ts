import fc from 'fast-check';
import { DateTime } from 'luxon';
import { Calendar, CalendarDataMissingError, INDONESIAN_ZONES, loadCalendar, WITA, type IndonesianZone, type LocalDate } from '../src';
import { countWorkingDates } from '../src/working-days';
import { libur, cuti, officialBase, yearFile } from './support';

// The counting rule as properties, over the bundled SKB data and over random holiday sets.

const calendar = loadCalendar();
const zone = fc.constantFrom<IndonesianZone>(...INDONESIAN_ZONES);
const count = fc.integer({ min: 0, max: 60 });
// Instants whose local dates and whose +60 working days all stay inside 2024-2026.
const instant = (min = '2024-01-01T00:00:00Z', max = '2026-09-01T00:00:00Z') => fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true });

const localIsoDate = (at: Date, in_: IndonesianZone) => DateTime.fromJSDate(at, { zone: in_ }).toISODate() as string;

describe('working-day properties on the SKB data', () => {
  it('a deadline always lands at the end of a working day in the instansi zone', () => {
    fc.assert(
      fc.property(instant(), fc.integer({ min: 1, max: 60 }), zone, (receivedAt, n, z) => {
        const deadline = calendar.deadline(receivedAt, n, z);
        expect(calendar.isWorkingDay(deadline, z)).toBe(true);
        expect(deadline.zoneName).toBe(z);
        expect(deadline.toFormat('HH:mm:ss.SSS')).toBe('23:59:59.999');
        expect(deadline > DateTime.fromJSDate(receivedAt)).toBe(true);
      }),
    );
  });

  it('the deadline and a reminder written as text are what the DateTimes write', () => {
    fc.assert(
      fc.property(
        instant('2024-02-01T00:00:00Z'), // a reminder counts back: not into 2023, which has no data
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 23 }),
        zone,
        (receivedAt, n, before, hour, z) => {
          const deadline = calendar.deadline(receivedAt, n, z);
          expect(calendar.deadlineIso(receivedAt, n, z)).toBe(deadline.toISO());
          expect(calendar.deadlineRecord(receivedAt, n, z).dueAt).toBe(deadline.toISO());
          expect(calendar.subtractWorkingDaysIso(deadline.toISO()!, before, z, hour)).toBe(
            calendar.subtractWorkingDays(deadline, before, z).plus({ hours: hour }).toISO(),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('a step took at most n working days exactly when it was done by its n-day deadline', () => {
    fc.assert(
      fc.property(instant(), fc.integer({ min: 0, max: 30 * 86_400_000 }), fc.integer({ min: 1, max: 20 }), zone, (start, elapsedMs, n, z) => {
        const done = new Date(start.getTime() + elapsedMs);
        const onTime = DateTime.fromJSDate(done) <= calendar.deadline(start, n, z);
        expect(calendar.workingDaysTaken(start, done, z) <= n).toBe(onTime);
      }),
    );
  });

  it('a step done on a weekend after the nth working day took n + 1 (its n-day deadline had passed)', () => {
    // Monday 3 March 2025 to Saturday 8 March: four working days between, but a 4-day deadline
    // ended on Friday night
    expect(calendar.workingDaysBetween('2025-03-03T10:00:00+08:00', '2025-03-08T10:00:00+08:00', WITA)).toBe(4);
    expect(calendar.workingDaysTaken('2025-03-03T10:00:00+08:00', '2025-03-08T10:00:00+08:00', WITA)).toBe(5);
    expect(calendar.workingDaysTaken('2025-03-03T10:00:00+08:00', '2025-03-03T18:00:00+08:00', WITA)).toBe(0);
  });

  it('adding n working days then counting gives back n', () => {
    fc.assert(
      fc.property(instant(), count, zone, (start, n, z) => {
        expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, n, z), z)).toBe(n);
        expect(calendar.workingDaysBetween(start, calendar.deadline(start, Math.max(n, 1), z), z)).toBe(Math.max(n, 1));
      }),
    );
  });

  it('is strictly monotonic in n', () => {
    fc.assert(
      fc.property(instant(), count, count, zone, (start, a, b, z) => {
        fc.pre(a !== b);
        const [low, high] = a < b ? [a, b] : [b, a];
        expect(calendar.addWorkingDays(start, low, z) < calendar.addWorkingDays(start, high, z)).toBe(true);
      }),
    );
  });

  it('the zone matters only through the local date', () => {
    fc.assert(
      fc.property(instant(), count, zone, zone, (start, n, z1, z2) => {
        const localDate = localIsoDate(start, z1);
        expect(calendar.addWorkingDays(start, n, z1).toISODate()).toBe(calendar.addWorkingDays(localDate, n, z2).toISODate());
        expect(calendar.isWorkingDay(start, z1)).toBe(calendar.isWorkingDay(localDate, z2));
      }),
    );
  });

  it('counting back from a working day and forward again returns to it (reminders)', () => {
    fc.assert(
      fc.property(instant('2024-06-01T00:00:00Z'), count, fc.integer({ min: 1, max: 20 }), zone, (start, n, k, z) => {
        const day = calendar.addWorkingDays(start, k, z);
        const before = calendar.subtractWorkingDays(day, n, z);
        expect(calendar.isWorkingDay(before, z) || n === 0).toBe(true);
        expect(calendar.workingDaysBetween(before, day, z)).toBe(n);
        expect(calendar.addWorkingDays(before, n, z).toISO()).toBe(day.toISO());
      }),
    );
  });

  it('counting is antisymmetric', () => {
    fc.assert(
      fc.property(instant(), instant(), zone, (a, b, z) => {
        expect(calendar.workingDaysBetween(a, b, z) + calendar.workingDaysBetween(b, a, z)).toBe(0);
        expect(Object.is(calendar.workingDaysBetween(a, b, z), -0)).toBe(false);
      }),
    );
  });
});

describe('working-day properties on arbitrary holiday sets', () => {
  // Random days of 2030 as holidays, 2031 without any: the rule must hold whatever the SKB says.
  const dayOf2030 = fc.integer({ min: 0, max: 364 }).map((offset) => DateTime.utc(2030, 1, 1).plus({ days: offset }).toISODate() as string);
  const holidays = fc.uniqueArray(fc.tuple(dayOf2030, fc.boolean()), { maxLength: 120, selector: ([date]) => date });
  const randomCalendar = holidays.map((days) =>
    Calendar.fromYearFiles([yearFile(2030, officialBase(days.map(([date, isCuti]) => (isCuti ? cuti(date) : libur(date))))), yearFile(2031, officialBase([]))]),
  );
  const start = fc
    .integer({ min: 0, max: 364 })
    .map((offset) => DateTime.fromObject({ year: 2030, month: 1, day: 1 }, { zone: 'Asia/Jakarta' }).plus({ days: offset }));

  it('add-then-count gives n, and every deadline is a working day that is not a holiday', () => {
    fc.assert(
      fc.property(randomCalendar, start, count, zone, (cal, from, n, z) => {
        const deadline = cal.deadline(from, Math.max(n, 1), z);
        expect(cal.isWorkingDay(deadline, z)).toBe(true);
        expect(cal.holidayOn(deadline, z)).toBeUndefined();
        expect(cal.workingDaysBetween(from, cal.addWorkingDays(from, n, z), z)).toBe(n);
      }),
    );
  });

  it('counting by year tables gives what counting date by date gives, and fails alike for a year without data', () => {
    // from late 2029 (no data) to early 2032 (no data): spans inside a year, across years, into the unknown
    const date = fc.integer({ min: 0, max: 760 }).map((offset) => DateTime.utc(2029, 12, 20).plus({ days: offset }).toISODate() as string);
    const outcome = (count: () => number): number | string => {
      try {
        return count();
      } catch (error) {
        return error instanceof CalendarDataMissingError ? `missing ${error.year}` : String(error);
      }
    };
    fc.assert(
      fc.property(randomCalendar, date, date, zone, (cal, from, to, z) => {
        const oracle = { isWorkingDate: (day: string) => cal.isWorkingDay(day, z) };
        expect(outcome(() => cal.workingDaysBetween(from, to, z))).toEqual(outcome(() => countWorkingDates(oracle, from as LocalDate, to as LocalDate)));
      }),
    );
  });
});
