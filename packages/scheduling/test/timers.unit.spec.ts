import { DEFAULT_SLA_CONFIGURATION } from '@lapor/domain';
import { WITA } from '@lapor/calendar';
import { plannedTimers, type PlannedTimer } from '../src';
import { at, calendar, Story, wita } from './story';

// Which timers a complaint's state calls for, stage by stage, and what they are called. The
// scheduler stores a timer under its key, so the same timer must come back under the same key,
// and a new clock (a new follow-up, a new Tunda) under a new one.

/** What an operator reads in the timer table: kind and stage. */
const watched = (timers: PlannedTimer[]): string[] => timers.map((timer) => `${timer.kind} ${timer.stage}`).sort();
const keys = (timers: PlannedTimer[]): string[] => timers.map((timer) => timer.key).sort();

// NTT (WITA). Received Monday 15 Dec 2025, verified and disposed to Dinas PUPR the next day.
const RECEIVED = wita('2025-12-15 09:00');
const AT_UNIT = wita('2025-12-16 10:00');
const atUnit = (name: string) => new Story(name, RECEIVED).withUnit('pupr', AT_UNIT);

describe('the timers of each stage', () => {
  it('given a complaint just received, then only the verification breach is watched, from the moment it arrived', () => {
    const story = new Story('baru masuk', RECEIVED);

    expect(watched(story.timers())).toEqual(['breach verification']);
    expect(story.timer('breach', 'verification')).toMatchObject({ complaintId: story.complaintId, clockStartedAt: RECEIVED, subjectId: null });
  });

  it('given a complaint verified in time but still with the admin, then nothing is watched until a unit has it', () => {
    const story = new Story('terverifikasi', RECEIVED).verify(wita('2025-12-16 10:00'));

    expect(story.timers()).toEqual([]);
  });

  it('given a complaint verified and disposed to a unit, then the unit’s first follow-up breach and its completion reminder and breach are watched, from the disposition', () => {
    const story = atUnit('di PUPR');

    expect(watched(story.timers())).toEqual(['breach completion', 'breach first_follow_up', 'reminder completion']);
    expect(new Set(story.timers().map((timer) => at(timer.clockStartedAt).toISOString()))).toEqual(new Set([AT_UNIT]));
  });

  it('given the unit followed up, then only the auto-close is watched: first follow-up and completion are met', () => {
    const story = atUnit('ditindaklanjuti').followUp('pupr', wita('2025-12-18 14:00'));

    expect(watched(story.timers())).toEqual(['auto_close quiet_after_follow_up']);
    expect(story.timer('auto_close')).toMatchObject({ subjectId: story.state.lastFollowUp!.followUpId, clockStartedAt: wita('2025-12-18 14:00') });
  });

  it('given a follow-up on Friday 13 March 2026, then the auto-close is due at the end of Monday 6 April, after Nyepi, Idul Fitri and Good Friday', () => {
    // Mar 16–17 (1–2); 18 cuti Nyepi, 19 Nyepi, 20 cuti, 23–24 cuti Idulfitri; 25–27 (3–5),
    // 30, 31 Mar, 1, 2 Apr (6–9); 3 Apr Wafat Yesus Kristus; Mon 6 Apr (10)
    const story = new Story('jelang lebaran 2026', wita('2026-03-09 09:00'))
      .withUnit('pupr', wita('2026-03-10 09:00'))
      .followUp('pupr', wita('2026-03-13 10:00'));

    expect(at(story.timer('auto_close').dueAt)).toEqual(at('2026-04-06T23:59:59.999+08:00'));
  });

  it('given the reporter replied to the follow-up, then the auto-close waits, and the unit owes an answer by its completion deadline again', () => {
    const story = atUnit('dibalas pelapor');
    const completionAtUnit = keys(story.timers().filter((timer) => timer.stage === 'completion'));
    story.followUp('pupr', wita('2025-12-18 14:00')).reply(wita('2025-12-19 08:00'));

    expect(watched(story.timers())).toEqual(['breach completion', 'reminder completion']);
    // the same completion clock as before the follow-up: it started when the unit received it
    expect(keys(story.timers())).toEqual(completionAtUnit);
  });

  it('given the unit answers the reply with a new follow-up, then a new auto-close is watched, under a new key, for the new follow-up', () => {
    const story = atUnit('percakapan').followUp('pupr', wita('2025-12-18 14:00'));
    const first = story.timer('auto_close');
    story.reply(wita('2025-12-19 08:00')).followUp('pupr', wita('2025-12-22 11:00'));
    const second = story.timer('auto_close');

    expect(second.key).not.toBe(first.key);
    expect(second.subjectId).toBe(story.state.lastFollowUp!.followUpId);
    expect(second.subjectId).not.toBe(first.subjectId);
    // Dec 23, 24, 29, 30, 31, Jan 2, 5, 6, 7, 8: Christmas, its cuti bersama and New Year skipped
    expect(at(second.dueAt)).toEqual(at('2026-01-08T23:59:59.999+08:00'));
  });

  it('given a Tunda on Wednesday 17 December 2025, then the auto-archive is watched for that request, due at the end of Monday 5 January 2026', () => {
    // Dec 18, 19, 22, 23, 24 (1–5), 25–26 off, 29, 30, 31 (6–8), 1 Jan off, 2 Jan (9), Mon 5 Jan (10)
    const story = new Story('tunda akhir tahun', RECEIVED).postpone(wita('2025-12-17 10:00'));

    expect(watched(story.timers())).toEqual(['auto_archive missing_data']);
    const archive = story.timer('auto_archive');
    expect(archive.subjectId).toBe(story.state.openRequest!.requestId);
    expect(at(archive.dueAt)).toEqual(at('2026-01-05T23:59:59.999+08:00'));
  });

  it('given the reporter supplied the data, then the auto-archive is no longer watched', () => {
    const story = new Story('data dilengkapi', RECEIVED).postpone(wita('2025-12-16 10:00')).supplyData(wita('2025-12-19 15:00'));

    expect(story.timers()).toEqual([]);
  });

  it('given a second Tunda after the data came, then a new auto-archive under a new key names the new request', () => {
    const story = new Story('tunda dua kali', RECEIVED).postpone(wita('2025-12-16 10:00'));
    const first = story.timer('auto_archive');
    story.supplyData(wita('2025-12-17 15:00')).postpone(wita('2025-12-18 10:00'));
    const second = story.timer('auto_archive');

    expect(second.key).not.toBe(first.key);
    expect(second.subjectId).not.toBe(first.subjectId);
    expect(second.subjectId).toBe(story.state.openRequest!.requestId);
  });

  it('given the unit returned the complaint (Bukan Wewenang), then its clocks stop; the next unit gets its own', () => {
    const story = atUnit('salah alamat');
    const atPupr = keys(story.timers());
    story.returnUp('pupr', wita('2025-12-17 09:00'));

    expect(story.timers()).toEqual([]);

    story.dispose('dikbud', wita('2025-12-17 13:00'));
    expect(watched(story.timers())).toEqual(['breach completion', 'breach first_follow_up', 'reminder completion']);
    expect(keys(story.timers()).filter((key) => atPupr.includes(key))).toEqual([]);
  });
});

describe('closed complaints', () => {
  it('given a complaint completed after a follow-up in time, then nothing is watched any more', () => {
    const story = atUnit('selesai').followUp('pupr', wita('2025-12-18 14:00'));
    story.fire(story.timer('auto_close'));

    expect(story.state.status).toBe('SELESAI');
    expect(story.timers()).toEqual([]);
  });

  it('given a complaint archived within the 3 verification days, then nothing is watched', () => {
    const story = new Story('spam', RECEIVED).archive(wita('2025-12-18 09:00'));

    expect(story.timers()).toEqual([]);
  });

  it('given a complaint archived on day 5 of its 3 verification days, then the verification breach is still watched until it is recorded', () => {
    // received Mon 15 Dec 2025: day 3 is Thu 18 Dec, archived Mon 22 Dec (day 5)
    const story = new Story('arsip terlambat', RECEIVED).archive(wita('2025-12-22 09:00'));

    expect(watched(story.timers())).toEqual(['breach verification']);
    expect(at(story.timer('breach', 'verification').dueAt)).toEqual(at('2025-12-18T23:59:59.999+08:00'));

    story.fire(story.timer('breach', 'verification'), new Date(wita('2025-12-22 09:05')));
    expect(story.timers()).toEqual([]);
  });

  it('given a complaint completed after a follow-up that came too late, then the late first follow-up and completion breaches are still watched', () => {
    // 5-day class, at the unit Tue 16 Dec 2025: both deadlines Tue 23 Dec. Followed up Wed 7 Jan 2026.
    const story = new Story('selesai terlambat', RECEIVED).withUnit('pupr', AT_UNIT, 'informasi_normatif').followUp('pupr', wita('2026-01-07 10:00'));
    story.fire(story.timer('auto_close'));

    expect(story.state.status).toBe('SELESAI');
    expect(watched(story.timers())).toEqual(['breach completion', 'breach first_follow_up']);
    expect(story.timers().map((timer) => timer.deadlineAt)).toEqual(['2025-12-23T23:59:59.999+08:00', '2025-12-23T23:59:59.999+08:00']);
  });
});

describe('records already made', () => {
  it('given the verification breach was recorded, then it is no longer watched', () => {
    const story = new Story('terlambat verifikasi', RECEIVED);
    story.fire(story.timer('breach', 'verification'));

    expect(story.state.slaRecords).toEqual([expect.objectContaining({ record: 'breach', stage: 'verification' })]);
    expect(story.timers()).toEqual([]);
  });

  it('given the completion reminder was recorded, then the reminder is no longer watched but the breach still is, under the same key', () => {
    const story = atUnit('sudah diingatkan');
    const breachKey = story.timer('breach', 'completion').key;
    story.fire(story.timer('reminder', 'completion'));

    expect(watched(story.timers())).toEqual(['breach completion', 'breach first_follow_up']);
    expect(story.timer('breach', 'completion').key).toBe(breachKey);
  });
});

describe('keys', () => {
  it('given the same state planned twice, then the keys are the same', () => {
    const story = atUnit('dua kali');

    expect(keys(story.timers())).toEqual(keys(story.timers()));
    expect(new Set(keys(story.timers())).size).toBe(3);
  });

  it('given the same clock written with another offset, then the key is the same', () => {
    const story = atUnit('offset');
    const timer = story.timer('breach', 'first_follow_up');
    const rewritten = { ...story.state, assignedAt: '2025-12-16T10:00:00+08:00', receivedAt: '2025-12-15T09:00:00.000+08:00' };

    expect(keys(plannedTimers(rewritten, { policy: DEFAULT_SLA_CONFIGURATION, calendar, zoneOf: () => WITA }))).toContain(timer.key);
  });

  it('given another policy, then a timer keeps its key, so a table that already holds it keeps its first deadline', () => {
    const story = new Story('kebijakan baru', RECEIVED);
    const before = story.timer('breach', 'verification');
    const [after] = plannedTimers(story.state, { policy: { ...DEFAULT_SLA_CONFIGURATION, verificationWorkingDays: 5 }, calendar, zoneOf: () => WITA });

    expect(after!.key).toBe(before.key);
    expect(after!.dueAt).not.toBe(before.dueAt);
  });
});

describe('a year without a decree yet (2027 is only an estimate)', () => {
  it('given a complaint received on Tuesday 29 December 2026, whose third working day is in 2027, then its timer waits for the decree instead of guessing', () => {
    const story = new Story('akhir 2026', wita('2026-12-29 09:00'));

    expect(story.timers()).toEqual([]);
    expect(story.plan().waiting).toEqual([expect.objectContaining({ kind: 'breach', stage: 'verification', reason: 'CALENDAR_YEAR_MISSING 2027' })]);
  });

  // One deadline in a year without an SKB must not take the complaint's other timers with it:
  // only the 60-day completion deadline is in 2027, and the auto-close in November 2026 stands.
  it('given a 60-day complaint at the unit from 15 October 2026 and followed up on 19 October, then the auto-close in 2026 is still planned', () => {
    const story = new Story('lapangan 2026', wita('2026-10-14 09:00'))
      .withUnit('pupr', wita('2026-10-15 10:00'), 'pengawasan_lapangan')
      .followUp('pupr', wita('2026-10-19 10:00'));

    expect(at(story.timer('auto_close').dueAt)).toEqual(at('2026-11-02T23:59:59.999+08:00'));
  });
});
