import { loadCalendar } from '@lapor/calendar';
import type { SlaClass } from '@lapor/domain';
import { commandFor, timerCommandId, timerOn, type PlannedTimer } from '@lapor/scheduling';
import { CalendarSource } from '@lapor/calendar';
import { prepareSchedulerTables } from '../src';
import { admin, calendarUpTo, liaison, reporter, schedulerWorld, tree, uuidFrom, wita, yearFile, type SchedulerWorld } from './support';

// Every timer the rules call for fires once, also where two of them meet: a deadline whose year
// was recorded late, two deadlines at one instant, a scheduler that was behind and finds several
// of one complaint's timers due in one sweep.

const calendar = loadCalendar();
const ZONE = 'Asia/Makassar';
const HOUR = 3_600_000;
/** The end of the nth working day after `from`, as the full calendar counts it. */
const deadline = (from: string, n: number): number => calendar.deadline(new Date(from), n, ZONE).toMillis();

describe('every timer fires once (PostgreSQL)', () => {
  let world: SchedulerWorld;
  beforeEach(async () => {
    world = await schedulerWorld(`every-timer-${expect.getState().currentTestName?.slice(0, 24) ?? 'test'}`);
  });
  afterEach(async () => {
    await world.close();
  });

  const at = (moment: string | number): void => {
    world.clock.now = new Date(moment);
  };
  const verifyAndDispose = async (complaintId: string, slaClass: SlaClass = 'tanpa_pengawasan'): Promise<void> => {
    await world.act({ type: 'VerifyComplaint', data: { complaintId, slaClass, category: 'UMUM', anonymous: false, confidential: false, note: null } }, admin);
    await world.act({ type: 'DisposeComplaint', data: { complaintId, to: tree.nodeRef('pupr'), tembusan: [], slaClass: null, note: null } }, admin);
  };
  const followUp = (complaintId: string) =>
    world.act(
      { type: 'PostFollowUp', data: { complaintId, followUpId: uuidFrom(`${complaintId}-fu`), message: 'ditindaklanjuti', attachments: [] } },
      liaison('pupr'),
    );
  const recorded = async (complaintId: string): Promise<string[]> =>
    (await world.store.readStream(`complaint-${complaintId}`))
      .filter((event) => (event.data as { by?: { role?: string } }).by?.role === 'system')
      .map((event) => `${event.type}${(event.data as { stage?: string }).stage ? `:${(event.data as { stage?: string }).stage}` : ''}`)
      .sort();
  const reminderOf = (timers: { kind: string; due_at: Date }[]): number => timers.find((timer) => timer.kind === 'reminder')!.due_at.getTime();
  const statuses = async (complaintId: string) => (await world.timers(complaintId)).map((timer) => `${timer.kind}:${timer.status}`).sort();

  describe('given the next year’s decree recorded only after the deadlines it sets', () => {
    let source: CalendarSource;
    beforeEach(async () => {
      source = await CalendarSource.open(world.store, calendarUpTo(2025));
      world.setCalendar(source.get());
    });
    /** Admin Nasional records 2026 (as `POST /scheduler/calendar/years` does), and the waiting timers are planned. */
    const record2026 = async (): Promise<void> => {
      world.setCalendar(await source.addYear(yearFile(2026), 'admin-nasional', world.clock.now.toISOString()));
      await world.replanWaiting();
    };

    it('when a follow-up on 22 December 2025 waited for it, then the complaint still closes itself (Selesai), its auto-close fired', async () => {
      at(wita('2025-12-15', 9));
      const complaintId = await world.submit('tutup-akhir-tahun');
      await verifyAndDispose(complaintId);
      at(wita('2025-12-22', 9));
      await followUp(complaintId);
      await world.planned();
      expect(await world.timers(complaintId)).toContainEqual(
        expect.objectContaining({ kind: 'auto_close', status: 'waiting', outcome: 'CALENDAR_YEAR_MISSING 2026' }),
      );

      at(deadline(wita('2025-12-22', 9), 10) + 2 * HOUR); // the quiet period is over; the decree comes only now
      await record2026();
      expect(await world.sweeper().sweep()).toMatchObject({ fired: 1, refused: 0 });

      expect(await world.status(complaintId)).toBe('SELESAI');
      expect(await recorded(complaintId)).toEqual(['ComplaintCompleted']);
      expect(await statuses(complaintId)).toContain('auto_close:fired');
    });

    it('when a verification due on 31 December 2025 is found late on 2 January, then its breach waits for the decree to count the days late, and is recorded once', async () => {
      at(wita('2025-12-24', 10));
      const complaintId = await world.submit('verifikasi-akhir-tahun');
      await world.planned();
      at(wita('2026-01-02', 1));
      expect(await world.sweeper().sweep()).toEqual({ fired: 0, stale: 0, refused: 0, failed: 0, waiting: 1 });
      expect(await world.timers(complaintId)).toEqual([expect.objectContaining({ kind: 'breach', status: 'waiting', outcome: 'CALENDAR_YEAR_MISSING 2026' })]);

      at(wita('2026-01-06', 9));
      await record2026();
      expect(await world.sweeper().sweep()).toMatchObject({ fired: 1, waiting: 0 });
      expect(await world.sweeper().sweep()).toMatchObject({ fired: 0 });
      const [breach] = (await world.store.readStream(`complaint-${complaintId}`)).filter((event) => event.type === 'SlaBreachRecorded');
      expect(breach?.data).toMatchObject({ stage: 'verification', workingDaysLate: 3 }); // 2, 5 and 6 January 2026
      expect(await statuses(complaintId)).toEqual(['breach:fired']);
    });

    it('when a completion reminder waited for it, was dropped by a follow-up and is wanted again by a reply after the decree, then it goes out at its own time, not at once', async () => {
      at(wita('2025-12-15', 9));
      const complaintId = await world.submit('balasan-akhir-tahun');
      await verifyAndDispose(complaintId); // completion in 14 working days: January 2026
      await world.planned();
      expect(await world.timers(complaintId)).toContainEqual(expect.objectContaining({ kind: 'reminder', status: 'waiting' }));
      at(wita('2025-12-16', 9));
      await followUp(complaintId); // the completion stage met: its reminder is dropped while it waits
      await world.planned();
      expect(await world.timers(complaintId)).toContainEqual(expect.objectContaining({ kind: 'reminder', status: 'dropped' }));

      at(wita('2025-12-17', 9));
      await record2026();
      await world.act(
        { type: 'ReplyToFollowUp', data: { complaintId, replyId: uuidFrom(`${complaintId}-reply`), message: 'belum beres', attachments: [] } },
        reporter('balasan-akhir-tahun'),
      );
      await world.planned(); // the reply reopens the stage: the reminder is wanted again, with its deadline now
      const remindAt = deadline(wita('2025-12-15', 9), 14 - 8);
      at(wita('2025-12-17', 11));
      expect(await world.sweeper().sweep()).toMatchObject({ fired: 0 });
      expect(reminderOf(await world.timers(complaintId))).toBeGreaterThan(world.clock.now.getTime());
      expect(await recorded(complaintId)).toEqual([]);

      at(remindAt + 12 * HOUR);
      expect(await world.sweeper().sweep()).toMatchObject({ fired: 1 });
      expect(await recorded(complaintId)).toEqual(['SlaReminderRecorded:completion']);
    });

    it('when a Tunda from 22 December 2025 waited for it, then the complaint is still archived, its auto-archive fired', async () => {
      at(wita('2025-12-22', 9));
      const complaintId = await world.submit('tunda-akhir-tahun');
      await world.act({ type: 'RequestMissingData', data: { complaintId, requestId: uuidFrom(`${complaintId}-req`), message: 'lengkapi KTP' } }, admin);
      await world.planned();
      expect(await world.timers(complaintId)).toContainEqual(expect.objectContaining({ kind: 'auto_archive', status: 'waiting' }));

      at(deadline(wita('2025-12-22', 9), 10) + 2 * HOUR);
      await record2026();
      expect(await world.sweeper().sweep()).toMatchObject({ fired: 1, refused: 0 });

      expect(await world.status(complaintId)).toBe('ARSIP');
      expect(await statuses(complaintId)).toContain('auto_archive:fired');
    });
  });

  it('given an information request nobody follows up, when its first follow-up and completion deadlines pass at one instant, then one sweep records both breaches', async () => {
    at(wita('2025-03-03', 9));
    const complaintId = await world.submit('serentak');
    await verifyAndDispose(complaintId, 'informasi_normatif');
    await world.planned();
    const due = deadline(world.clock.now.toISOString(), 5);
    const timers = await world.timers(complaintId);
    expect(timers.filter((timer) => timer.due_at.getTime() === due)).toHaveLength(2);
    at(reminderOf(timers) + HOUR); // the completion reminder, 3 working days before
    expect(await world.sweeper().sweep()).toMatchObject({ fired: 1 });
    await world.planned();
    // nobody plans again in between: what the sweep leaves undone stays undone
    await world.pausePlanner();

    at(due + HOUR);
    expect(await world.sweeper().sweep()).toEqual({ fired: 2, stale: 0, refused: 0, failed: 0, waiting: 0 });
    expect(await recorded(complaintId)).toEqual(['SlaBreachRecorded:completion', 'SlaBreachRecorded:first_follow_up', 'SlaReminderRecorded:completion']);
  });

  it('given a scheduler that was behind, when a late follow-up’s quiet period has run out too, then one sweep records both breaches and closes the complaint', async () => {
    at(wita('2025-03-03', 9));
    const complaintId = await world.submit('tertinggal');
    await verifyAndDispose(complaintId);
    const completionDue = deadline(world.clock.now.toISOString(), 14);
    at(completionDue + 10 * HOUR); // the morning after the completion deadline
    await followUp(complaintId);
    const followedUpAt = world.clock.now.toISOString();
    await world.planned();
    await world.pausePlanner();

    at(deadline(followedUpAt, 10) + HOUR); // the scheduler's first sweep since the disposition
    expect(await world.sweeper().sweep()).toEqual({ fired: 3, stale: 0, refused: 0, failed: 0, waiting: 0 });
    expect(await recorded(complaintId)).toEqual(['ComplaintCompleted', 'SlaBreachRecorded:completion', 'SlaBreachRecorded:first_follow_up']);
    expect(await world.status(complaintId)).toBe('SELESAI');
    expect((await statuses(complaintId)).filter((status) => /stale|pending/.test(status))).toEqual([]);
  });

  it('given a scheduler that was behind, when a completion reminder and a first follow-up breach are due in one sweep, then both are recorded', async () => {
    at(wita('2025-03-03', 9));
    const complaintId = await world.submit('pengingat-dan-pelanggaran');
    await verifyAndDispose(complaintId);
    await world.planned();
    const remindAt = reminderOf(await world.timers(complaintId));
    expect(remindAt).toBeGreaterThan(deadline(world.clock.now.toISOString(), 5)); // the first follow-up breach is due before it

    at(remindAt + HOUR);
    expect(await world.sweeper({ concurrency: 4 }).sweep()).toEqual({ fired: 2, stale: 0, refused: 0, failed: 0, waiting: 0 });
    expect(await recorded(complaintId)).toEqual(['SlaBreachRecorded:first_follow_up', 'SlaReminderRecorded:completion']);
  });

  it('given a timer an older sweeper marked stale for good, when the scheduler starts again, then it is due again and fires', async () => {
    at(wita('2025-03-03', 9));
    const complaintId = await world.submit('basi');
    await world.planned();
    await world.db.query(`UPDATE scheduler.timers SET status = 'stale', outcome = 'WRONG_EXPECTED_VERSION' WHERE complaint_id = $1`, [complaintId]);

    await prepareSchedulerTables(world.db);
    at(wita('2025-03-10', 9));
    expect(await world.sweeper().sweep()).toMatchObject({ fired: 1 });
    expect(await recorded(complaintId)).toEqual(['SlaBreachRecorded:verification']);
  });

  it('given the complaint moved while a sweeper that crashed after its append had decided again, then firing once more adds nothing', async () => {
    at(wita('2025-03-03', 9));
    const complaintId = await world.submit('jatuh-lagi');
    await verifyAndDispose(complaintId);
    await world.planned();
    await world.pausePlanner();
    at(wita('2025-03-14', 9)); // the first follow-up was due by the end of 10 March
    await followUp(complaintId);
    // what the crashed sweeper managed: it lost the race, loaded the complaint again and appended
    const [row] = await world.db.query<{ key: string; clock_started_at: Date; deadline_at: Date; due_at: Date }>(
      `SELECT key, clock_started_at, deadline_at, due_at FROM scheduler.timers WHERE complaint_id = $1 AND kind = 'breach' AND stage = 'first_follow_up'`,
      [complaintId],
    );
    const timer: PlannedTimer = {
      key: row!.key,
      complaintId,
      kind: 'breach',
      stage: 'first_follow_up',
      clockStartedAt: row!.clock_started_at.toISOString(),
      deadlineAt: row!.deadline_at.toISOString(),
      dueAt: row!.due_at.toISOString(),
      subjectId: null,
      stageEndedAt: null,
      zone: ZONE,
    };
    const loaded = await world.repository.load(complaintId);
    if (!loaded.state.submitted) throw new Error('not submitted');
    await world.repository.execute(
      commandFor(timerOn(timer, loaded.state), world.clock.now, calendar),
      { commandId: timerCommandId(timer), expectedVersion: loaded.version },
      loaded,
    );

    at(wita('2025-03-14', 10)); // restarted an hour later, the planner still behind
    expect(await world.sweeper().sweep()).toMatchObject({ fired: 1, stale: 0 });
    expect(await recorded(complaintId)).toEqual(['SlaBreachRecorded:first_follow_up']);
  });
});
