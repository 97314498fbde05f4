import { DateTime } from 'luxon';
import { CalendarDataMissingError, loadCalendar, WIB, WIT, WITA } from '../src';

// Worked examples on the hard edges, checked by hand against the SKB lists in data/.

const calendar = loadCalendar();
const iso = (value: DateTime) => value.toISO();

describe('Idul Fitri with its cuti bersama', () => {
  it('2025: a complaint received the Thursday before Nyepi and Lebaran counts from Tuesday 8 April', () => {
    // 28 Mar cuti Nyepi, 29 Nyepi, 31 Mar-1 Apr Idulfitri, 2-4 and 7 Apr cuti bersama
    expect(iso(calendar.deadline('2025-03-27T10:00:00+07:00', 1, WIB))).toBe('2025-04-08T23:59:59.999+07:00');
    expect(iso(calendar.deadline('2025-03-27T10:00:00+07:00', 5, WIB))).toBe('2025-04-14T23:59:59.999+07:00');
    expect(calendar.workingDaysBetween('2025-03-27', '2025-04-07', WIB)).toBe(0);
    expect(calendar.holidayOn('2025-03-31', WIB)).toMatchObject({ kind: 'libur_nasional', name: 'Idulfitri 1446 Hijriah' });
    expect(calendar.holidayOn('2025-04-07', WIB)).toMatchObject({ kind: 'cuti_bersama' });
  });

  it('2026: Nyepi and Idul Fitri in one week; day 1 is Wednesday 25 March', () => {
    // 18 cuti Nyepi, 19 Nyepi, 20 cuti, 21-22 Idulfitri (a weekend), 23-24 cuti
    expect(iso(calendar.nextWorkingDay('2026-03-17T09:00:00+07:00', WIB))).toBe('2026-03-25T00:00:00.000+07:00');
    expect(iso(calendar.deadline('2026-03-17T09:00:00+07:00', 3, WIB))).toBe('2026-03-27T23:59:59.999+07:00');
    for (const date of ['2026-03-18', '2026-03-19', '2026-03-20', '2026-03-23', '2026-03-24']) {
      expect(calendar.isWorkingDay(date, WIB)).toBe(false);
    }
  });

  it('2024: cuti bersama on both sides of 10-11 April; day 1 is Tuesday 16 April', () => {
    expect(iso(calendar.addWorkingDays('2024-04-05T14:00:00+07:00', 1, WIB))).toBe('2024-04-16T00:00:00.000+07:00');
  });
});

describe('Christmas, cuti bersama and the turn of the year', () => {
  it('24 Dec 2025: Natal, cuti bersama 26 Dec and New Year push a 5-day deadline to 5 January', () => {
    expect(iso(calendar.deadline('2025-12-24T08:00:00+07:00', 5, WIB))).toBe('2026-01-05T23:59:59.999+07:00');
    expect(calendar.workingDaysBetween('2025-12-24', '2026-01-05', WIB)).toBe(5);
    expect(calendar.holidayOn('2025-12-26', WIB)).toMatchObject({ kind: 'cuti_bersama' });
  });

  it('2026: cuti bersama falls on 24 December, before Natal', () => {
    expect(calendar.isWorkingDay('2026-12-24', WIB)).toBe(false);
    expect(iso(calendar.nextWorkingDay('2026-12-23', WIB))).toBe('2026-12-28T00:00:00.000+07:00');
  });

  it('a deadline crossing into a year with no SKB throws instead of guessing weekends only', () => {
    // 31 Dec 2026 is day 1; day 2 needs 2027, which only has a provisional estimate
    expect(() => calendar.deadline('2026-12-30', 5, WIB)).toThrow(CalendarDataMissingError);
    expect(() => calendar.deadline('2026-12-30', 5, WIB)).toThrow(expect.objectContaining({ year: 2027, reason: 'provisional_excluded' }));
    expect(iso(calendar.deadline('2026-12-30', 1, WIB))).toBe('2026-12-31T23:59:59.999+07:00');
  });

  it('counts into 2027 only when provisional data is asked for', () => {
    const withEstimates = loadCalendar({ includeProvisional: true });
    // 1 Jan holiday, 4-5 Jan, 6 Jan Isra Mikraj (estimate), 7-8 Jan
    expect(iso(withEstimates.deadline('2026-12-30', 5, WIB))).toBe('2027-01-08T23:59:59.999+07:00');
    expect(withEstimates.version).not.toBe(calendar.version);
    expect(() => withEstimates.isWorkingDay('2028-01-03', WIB)).toThrow(expect.objectContaining({ year: 2028, reason: 'no_data' }));
  });

  it('a year before the data starts throws too', () => {
    expect(() => calendar.isWorkingDay('2023-12-29', WIB)).toThrow(expect.objectContaining({ code: 'CALENDAR_YEAR_MISSING', year: 2023 }));
    expect(() => calendar.holidaysIn(2023)).toThrow(CalendarDataMissingError);
  });
});

describe('the instansi zone decides the local date', () => {
  // One instant: 22:30 WIB Friday = 23:30 WITA Friday = 00:30 WIT Saturday.
  const fridayNight = '2025-03-07T15:30:00Z';

  it('gives different local dates in WIB, WITA and WIT', () => {
    expect(calendar.isWorkingDay(fridayNight, WIB)).toBe(true);
    expect(calendar.isWorkingDay(fridayNight, WITA)).toBe(true);
    expect(calendar.isWorkingDay(fridayNight, WIT)).toBe(false);
    expect(iso(calendar.addWorkingDays(fridayNight, 0, WITA))).toBe('2025-03-07T00:00:00.000+08:00');
    expect(iso(calendar.addWorkingDays(fridayNight, 0, WIT))).toBe('2025-03-08T00:00:00.000+09:00');
  });

  it('received late on Friday counts from Monday, each zone ending the day on its own clock', () => {
    expect(iso(calendar.deadline(fridayNight, 1, WIB))).toBe('2025-03-10T23:59:59.999+07:00');
    expect(iso(calendar.deadline(fridayNight, 1, WITA))).toBe('2025-03-10T23:59:59.999+08:00');
    expect(iso(calendar.deadline(fridayNight, 1, WIT))).toBe('2025-03-10T23:59:59.999+09:00');
  });

  it('received late on Thursday: WIT is already on Friday, so its day 1 is a working day later', () => {
    const thursdayNight = '2025-03-06T15:30:00Z';
    expect(iso(calendar.deadline(thursdayNight, 1, WIB))).toBe('2025-03-07T23:59:59.999+07:00');
    expect(iso(calendar.deadline(thursdayNight, 1, WITA))).toBe('2025-03-07T23:59:59.999+08:00');
    expect(iso(calendar.deadline(thursdayNight, 1, WIT))).toBe('2025-03-10T23:59:59.999+09:00');
  });

  it('23:30 WITA on a Friday before a Monday holiday counts from Tuesday', () => {
    // 1 June 2026 (Monday) is Hari Lahir Pancasila
    const received = DateTime.fromISO('2026-05-29T23:30:00', { zone: WITA });
    expect(iso(calendar.nextWorkingDay(received, WITA))).toBe('2026-06-02T00:00:00.000+08:00');
    expect(iso(calendar.nextWorkingDay(received.toJSDate(), WIT))).toBe('2026-06-02T00:00:00.000+09:00');
  });

  it('switches date exactly at local midnight', () => {
    expect(calendar.isWorkingDay('2025-03-07T16:59:59.999Z', WIB)).toBe(true); // 23:59:59.999 WIB Friday
    expect(calendar.isWorkingDay('2025-03-07T17:00:00.000Z', WIB)).toBe(false); // 00:00 WIB Saturday
    expect(calendar.isWorkingDay('2025-03-07T15:59:59.999Z', WITA)).toBe(true);
    expect(calendar.isWorkingDay('2025-03-07T16:00:00.000Z', WITA)).toBe(false);
  });

  it('refuses a zone that is not WIB, WITA or WIT', () => {
    expect(() => calendar.isWorkingDay('2025-03-07', 'UTC' as never)).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID_INPUT' }));
  });
});

describe('reminders and other counts', () => {
  it('a 14-day deadline and its reminder 8 working days before', () => {
    // 17 Aug (Proklamasi) and 25 Aug 2026 (Maulid) are skipped
    const deadline = calendar.deadline('2026-08-10T11:00:00+07:00', 14, WIB);
    expect(iso(deadline)).toBe('2026-09-01T23:59:59.999+07:00');
    const reminder = calendar.subtractWorkingDays(deadline, 8, WIB);
    expect(iso(reminder)).toBe('2026-08-19T00:00:00.000+07:00');
    expect(calendar.workingDaysBetween(reminder, deadline, WIB)).toBe(8);
  });

  it('the 2025 amending decree made 18 August a cuti bersama', () => {
    expect(calendar.holidayOn('2025-08-18', WIB)).toMatchObject({ kind: 'cuti_bersama' });
    expect(iso(calendar.previousWorkingDay('2025-08-19', WIB))).toBe('2025-08-15T00:00:00.000+07:00');
  });

  it('2024 voting days declared by Keppres are not working days', () => {
    expect(calendar.isWorkingDay('2024-02-14', WIB)).toBe(false);
    expect(calendar.isWorkingDay('2024-11-27', WIT)).toBe(false);
  });

  it('counts backwards as a negative number', () => {
    expect(calendar.workingDaysBetween('2025-04-14', '2025-03-27', WIB)).toBe(-5);
    expect(calendar.workingDaysBetween('2025-04-14', '2025-04-14', WIB)).toBe(0);
  });

  it('accepts luxon DateTimes, JS Dates and ISO strings alike', () => {
    const asDateTime = DateTime.fromISO('2025-06-05T10:00:00', { zone: WIB });
    const expected = '2025-06-10T23:59:59.999+07:00'; // 6 Jun Iduladha, 9 Jun cuti bersama
    expect(iso(calendar.deadline(asDateTime, 1, WIB))).toBe(expected);
    expect(iso(calendar.deadline(asDateTime.toJSDate(), 1, WIB))).toBe(expected);
    expect(iso(calendar.deadline('2025-06-05T03:00:00Z', 1, WIB))).toBe(expected);
  });

  it('rejects nonsense counts and dates', () => {
    expect(() => calendar.addWorkingDays('2025-06-05', -1, WIB)).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID_INPUT' }));
    expect(() => calendar.addWorkingDays('2025-06-05', 1.5, WIB)).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID_INPUT' }));
    expect(() => calendar.deadline('2025-06-05', 0, WIB)).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID_INPUT' }));
    expect(() => calendar.isWorkingDay('2025-02-30', WIB)).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID_INPUT' }));
    expect(() => calendar.isWorkingDay(new Date(Number.NaN), WIB)).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID_INPUT' }));
  });
});
