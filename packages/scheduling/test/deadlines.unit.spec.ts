import { WIB, WIT, WITA } from '@lapor/calendar';
import { at, calendar, Story, wita } from './story';

// Deadlines an officer can check on a wall calendar: the SKB holiday lists for 2025 and 2026
// (packages/calendar/data), counted by hand. The day a clock starts never counts; day 1 is the
// next working day, and the deadline is the END of day n in the instansi's own time zone.

describe('the verification deadline (3 working days from receipt)', () => {
  it('given a complaint received on Thursday 27 March 2025, then Idul Fitri and its cuti bersama push the deadline to Thursday 10 April', () => {
    // 28 Mar cuti Nyepi, 31 Mar–1 Apr Idulfitri, 2–4 and 7 Apr cuti bersama:
    // day 1 Tue 8 Apr, day 2 Wed 9 Apr, day 3 Thu 10 Apr
    const story = new Story('jalan rusak sebelum lebaran', wita('2025-03-27 10:00'));

    const breach = story.timer('breach', 'verification');

    expect(at(breach.dueAt)).toEqual(at('2025-04-10T23:59:59.999+08:00'));
    expect(breach.deadlineAt).toBe(breach.dueAt);
  });

  it('given a complaint received on a Friday at 23:30 WITA, then that Friday does not count and the deadline is the end of Wednesday', () => {
    // Fri 17 Oct 2025 23:30 WITA: day 1 Mon 20, day 2 Tue 21, day 3 Wed 22 Oct
    const story = new Story('laporan larut malam', wita('2025-10-17 23:30'));

    expect(at(story.timer('breach', 'verification').dueAt)).toEqual(at('2025-10-22T23:59:59.999+08:00'));
  });

  it('given a Friday 23:30 WITA receipt before a Waisak Monday and its cuti bersama Tuesday, then day 1 is Wednesday', () => {
    // Fri 9 May 2025; 12 May Waisak, 13 May cuti bersama: day 1 Wed 14, day 3 Fri 16 May
    const story = new Story('laporan sebelum waisak', wita('2025-05-09 23:30'));

    expect(at(story.timer('breach', 'verification').dueAt)).toEqual(at('2025-05-16T23:59:59.999+08:00'));
  });
});

describe('the same instant for instansi in other zones', () => {
  // Friday 17 October 2025 23:30 WITA is 22:30 Friday in WIB and 00:30 Saturday in WIT.
  const received = wita('2025-10-17 23:30');

  it('given an instansi in WIB, then the local date is still Friday and the deadline is the end of Wednesday in WIB', () => {
    const story = new Story('laporan larut malam DKI', received, 'dki');

    expect(at(story.timer('breach', 'verification').dueAt)).toEqual(at('2025-10-22T23:59:59.999+07:00'));
  });

  it('given an instansi in WIT, then the local date is Saturday, which is no working day either: the deadline is the end of Wednesday in WIT', () => {
    const story = new Story('laporan larut malam Papua', received, 'papua');

    expect(calendar.isWorkingDay(received, WIT)).toBe(false);
    expect(at(story.timer('breach', 'verification').dueAt)).toEqual(at('2025-10-22T23:59:59.999+09:00'));
  });

  it('given a Thursday 23:30 WITA receipt, then in WIT it is already Friday and the deadline there is a working day later', () => {
    // Thu 16 Oct 2025 23:30 WITA = Fri 17 Oct 00:30 WIT.
    // WITA: day 1 Fri 17, day 3 Tue 21. WIT: day 1 Mon 20, day 3 Wed 22.
    const thursdayNight = wita('2025-10-16 23:30');

    expect(at(new Story('kamis malam NTT', thursdayNight, 'ntt').timer('breach', 'verification').dueAt)).toEqual(at('2025-10-21T23:59:59.999+08:00'));
    expect(at(new Story('kamis malam Papua', thursdayNight, 'papua').timer('breach', 'verification').dueAt)).toEqual(at('2025-10-22T23:59:59.999+09:00'));
  });

  it('given a Monday 00:30 WITA receipt, then in WIB it is still Sunday, so Monday is day 1 there', () => {
    // Mon 20 Oct 2025 00:30 WITA = Sun 19 Oct 23:30 WIB.
    // WITA: day 1 Tue 21, day 3 Thu 23. WIB: day 1 Mon 20, day 3 Wed 22.
    const mondayAfterMidnight = wita('2025-10-20 00:30');

    expect(at(new Story('senin dini hari NTT', mondayAfterMidnight, 'ntt').timer('breach', 'verification').dueAt)).toEqual(at('2025-10-23T23:59:59.999+08:00'));
    expect(at(new Story('senin dini hari DKI', mondayAfterMidnight, 'dki').timer('breach', 'verification').dueAt)).toEqual(at('2025-10-22T23:59:59.999+07:00'));
  });

  it('writes every deadline with the instansi’s own offset, as its officers read it', () => {
    expect(new Story('offset NTT', received, 'ntt').timer('breach', 'verification').dueAt).toBe('2025-10-22T23:59:59.999+08:00');
    expect(new Story('offset DKI', received, 'dki').timer('breach', 'verification').dueAt).toBe('2025-10-22T23:59:59.999+07:00');
    expect(new Story('offset Papua', received, 'papua').timer('breach', 'verification').dueAt).toBe('2025-10-22T23:59:59.999+09:00');
  });
});

describe('the unit’s deadlines, from the moment the unit received it', () => {
  it('given a unit that received a complaint on Thursday 27 March 2025, then its first follow-up is due by the end of Monday 14 April', () => {
    // day 1 Tue 8 Apr … day 4 Fri 11 Apr, day 5 Mon 14 Apr
    const story = new Story('disposisi sebelum lebaran', wita('2025-03-26 09:00')).withUnit('pupr', wita('2025-03-27 10:00'));

    expect(at(story.timer('breach', 'first_follow_up').dueAt)).toEqual(at('2025-04-14T23:59:59.999+08:00'));
  });

  it('given a 14-day complaint received by the unit on Monday 15 December 2025, then Christmas, its cuti bersama and New Year push completion to Wednesday 7 January 2026', () => {
    // Dec 16–19 (1–4), 22–24 (5–7), 25 Christmas, 26 cuti bersama, 29–31 (8–10), 1 Jan New Year,
    // Fri 2 Jan (11), Mon 5 (12), Tue 6 (13), Wed 7 Jan 2026 (14)
    const story = new Story('akhir tahun', wita('2025-12-12 09:00')).withUnit('pupr', wita('2025-12-15 10:00'), 'tanpa_pengawasan');

    const breach = story.timer('breach', 'completion');
    const reminder = story.timer('reminder', 'completion');

    expect(at(breach.dueAt)).toEqual(at('2026-01-07T23:59:59.999+08:00'));
    // 8 working days before 7 Jan: 6, 5, 2 Jan, 31, 30, 29, 24, 23 Dec
    expect(at(reminder.dueAt)).toEqual(at('2025-12-23T08:00:00.000+08:00'));
    expect(reminder.deadlineAt).toBe(breach.deadlineAt);
  });

  it('given a 60-day complaint received by the unit on Monday 3 March 2025, then completion is due Monday 16 June and the reminder comes 35 working days before, on Wednesday 16 April', () => {
    // Counted by hand through Nyepi, Idul Fitri, Good Friday, 1 May, Waisak, Ascension and
    // Iduladha with their cuti bersama: day 25 is Wed 16 Apr, day 60 is Mon 16 Jun 2025
    const story = new Story('jembatan', wita('2025-02-28 09:00')).withUnit('pupr', wita('2025-03-03 10:00'), 'pengawasan_lapangan');

    expect(at(story.timer('breach', 'completion').dueAt)).toEqual(at('2025-06-16T23:59:59.999+08:00'));
    expect(at(story.timer('reminder', 'completion').dueAt)).toEqual(at('2025-04-16T08:00:00.000+08:00'));
  });

  it('given a 5-day complaint whose deadline falls just after Idul Fitri, then the reminder 3 working days before goes out before the holidays, not on a cuti bersama', () => {
    // Received by the unit Tue 25 Mar 2025: day 1 Wed 26, day 2 Thu 27 Mar, day 3 Tue 8 Apr,
    // day 4 Wed 9, day 5 Thu 10 Apr. Three working days before 10 Apr: 9, 8 Apr, 27 Mar.
    // (Three calendar days before would be Mon 7 Apr, a cuti bersama nobody reads mail on.)
    const story = new Story('informasi sebelum lebaran', wita('2025-03-24 09:00')).withUnit('pupr', wita('2025-03-25 10:00'), 'informasi_normatif');

    expect(at(story.timer('breach', 'completion').dueAt)).toEqual(at('2025-04-10T23:59:59.999+08:00'));
    expect(at(story.timer('reminder', 'completion').dueAt)).toEqual(at('2025-03-27T08:00:00.000+08:00'));
  });

  it('given a 14-day complaint in WIT, then the reminder is at 08:00 WIT, not 08:00 WITA', () => {
    const story = new Story('akhir tahun Papua', wita('2025-12-12 09:00'), 'papua').withUnit('papua-kesehatan', wita('2025-12-15 10:00'), 'tanpa_pengawasan');

    expect(at(story.timer('reminder', 'completion').dueAt)).toEqual(at('2025-12-23T08:00:00.000+09:00'));
    expect(at(story.timer('breach', 'completion').dueAt)).toEqual(at('2026-01-07T23:59:59.999+09:00'));
  });
});

describe('reminders across a whole year', () => {
  const classes = [
    { slaClass: 'informasi_normatif', days: 5, before: 3 },
    { slaClass: 'tanpa_pengawasan', days: 14, before: 8 },
    { slaClass: 'pengawasan_lapangan', days: 60, before: 35 },
  ] as const;

  it.each(classes)(
    'given a $slaClass complaint received by the unit on any day of 2025, then the reminder is at 08:00 on a working day, $before working days before the deadline',
    ({ slaClass, days, before }) => {
      for (let day = 0; day < 365; day++) {
        const receivedByUnit = new Date(Date.parse('2025-01-01T02:00:00Z') + day * 86_400_000).toISOString();
        const story = new Story(`${slaClass}-${day}`, receivedByUnit).withUnit('pupr', receivedByUnit, slaClass);
        const reminder = story.timer('reminder', 'completion');
        const breach = story.timer('breach', 'completion');

        expect(reminder.dueAt).toMatch(/T08:00:00\.000\+08:00$/);
        expect(calendar.isWorkingDay(reminder.dueAt, WITA)).toBe(true);
        expect(calendar.isWorkingDay(breach.dueAt, WITA)).toBe(true);
        expect(calendar.workingDaysBetween(reminder.dueAt, breach.dueAt, WITA)).toBe(before);
        expect(calendar.workingDaysBetween(receivedByUnit, breach.dueAt, WITA)).toBe(days);
      }
    },
  );

  it('given the same complaint planned in WIB, WITA and WIT, then each reminder is at 08:00 local time on a working day', () => {
    const story = new Story('tiga zona', wita('2025-12-12 09:00')).withUnit('pupr', wita('2025-12-15 10:00'));
    for (const [zone, offset] of [
      [WIB, '+07:00'],
      [WITA, '+08:00'],
      [WIT, '+09:00'],
    ] as const) {
      const reminder = story.timers(zone).find((timer) => timer.kind === 'reminder')!;
      expect(reminder.dueAt).toBe(`2025-12-23T08:00:00.000${offset}`);
    }
  });
});
