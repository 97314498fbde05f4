import { loadCalendar } from '@lapor/calendar';
import { commandFor, timerCommandId, workingDaysLate } from '@lapor/scheduling';
import type { ComplaintState, SlaClass } from '@lapor/domain';
import { admin, liaison, reporter, schedulerWorld, tree, uuidFrom, wita, type SchedulerWorld } from './support';
import { DEFAULT_SLA_CONFIGURATION } from '@lapor/domain';

// The scheduler against a real PostgreSQL: each timer fires once, however many sweepers run, across
// crashes and downtime; a timer whose complaint moved on is decided on the complaint as it stands.

describe('the scheduler (PostgreSQL)', () => {
  let world: SchedulerWorld;
  beforeEach(async () => {
    world = await schedulerWorld(`scheduler-${expect.getState().currentTestName?.slice(0, 20) ?? 'test'}`);
  });
  afterEach(async () => {
    await world.close();
  });

  const at = (iso: string): void => {
    world.clock.now = new Date(iso);
  };
  const verifyAndDispose = async (complaintId: string, unit = 'pupr', slaClass: SlaClass = 'tanpa_pengawasan'): Promise<void> => {
    await world.act({ type: 'VerifyComplaint', data: { complaintId, slaClass, category: 'UMUM', anonymous: false, confidential: false, note: null } }, admin);
    await world.act({ type: 'DisposeComplaint', data: { complaintId, to: tree.nodeRef(unit), tembusan: [], slaClass: null, note: null } }, admin);
  };
  const followUp = (complaintId: string, unit = 'pupr', name = 'fu-1') =>
    world.act(
      { type: 'PostFollowUp', data: { complaintId, followUpId: uuidFrom(`${complaintId}-${name}`), message: 'ditindaklanjuti', attachments: [] } },
      liaison(unit),
    );

  it('given a follow-up nobody answers, when 10 working days have passed, then the complaint closes, once', async () => {
    at(wita('2025-03-03', 9));
    const complaintId = await world.submit('diam');
    await verifyAndDispose(complaintId);
    at(wita('2025-03-04', 9));
    await followUp(complaintId);
    await world.planned();
    const sweeper = world.sweeper();

    at(wita('2025-03-18', 12)); // the 10th working day after the follow-up is not over yet
    expect(await sweeper.sweep()).toEqual({ fired: 0, stale: 0, refused: 0, failed: 0, waiting: 0 });
    at(wita('2025-03-19', 8));
    expect((await sweeper.sweep()).fired).toBe(1);
    await world.planned();
    expect((await sweeper.sweep()).fired).toBe(0);
    expect((await world.events(complaintId)).filter((type) => type === 'ComplaintCompleted')).toHaveLength(1);
  });

  it('given a reply to the follow-up, then the auto-close waits for the next follow-up and restarts from it', async () => {
    at(wita('2025-03-03', 9));
    const complaintId = await world.submit('membalas');
    await verifyAndDispose(complaintId);
    at(wita('2025-03-04', 9));
    await followUp(complaintId);
    at(wita('2025-03-10', 9));
    await world.act(
      { type: 'ReplyToFollowUp', data: { complaintId, replyId: uuidFrom(`${complaintId}-reply`), message: 'belum beres', attachments: [] } },
      reporter('membalas'),
    );
    await world.planned();
    at(wita('2025-03-19', 8)); // the first follow-up's quiet period would have ended
    await world.sweeper().sweep();
    // the reply reopened the completion stage: its reminder goes out, the complaint stays open
    expect(await world.events(complaintId)).toContain('SlaReminderRecorded');
    expect(await world.events(complaintId)).not.toContain('ComplaintCompleted');
    await followUp(complaintId, 'pupr', 'fu-2');
    await world.planned();
    at(wita('2025-04-30', 8));
    await world.sweeper().sweep();
    expect((await world.events(complaintId)).filter((type) => type === 'ComplaintCompleted')).toHaveLength(1);
  });

  it('given Tunda, then the complaint is archived after 10 working days without data, and supplying it cancels that', async () => {
    at(wita('2025-03-03', 9));
    const silent = await world.submit('tunda-diam');
    const answering = await world.submit('tunda-menjawab');
    for (const complaintId of [silent, answering]) {
      await world.act({ type: 'RequestMissingData', data: { complaintId, requestId: uuidFrom(`${complaintId}-req`), message: 'lengkapi KTP' } }, admin);
    }
    at(wita('2025-03-05', 9));
    await world.act({ type: 'SupplyMissingData', data: { complaintId: answering, message: 'ini datanya', attachments: [] } }, reporter('tunda-menjawab'));
    await world.planned();
    at(wita('2025-03-25', 9));
    await world.sweeper().sweep();
    expect(await world.events(silent)).toContain('ComplaintArchived');
    expect(await world.events(answering)).not.toContain('ComplaintArchived');
  });

  it('given two sweepers at once over many due timers, then each timer fires exactly once', async () => {
    at(wita('2025-03-03', 9));
    const complaints: string[] = [];
    for (let index = 0; index < 60; index++) complaints.push(await world.submit(`banyak-${index}`));
    await world.planned();
    at(wita('2025-03-10', 9)); // every verification deadline (end of 6 March) has passed
    const results = await Promise.all([world.sweeper({ batchSize: 7 }).sweep(), world.sweeper({ batchSize: 7 }).sweep()]);
    expect(results[0]!.fired + results[1]!.fired).toBe(60);
    expect(results[0]!.fired).toBeGreaterThan(0);
    expect(results[1]!.fired).toBeGreaterThan(0);
    for (const complaintId of complaints) expect((await world.events(complaintId)).filter((type) => type === 'SlaBreachRecorded')).toHaveLength(1);
  });

  it('given a crash after the append and before the timer was marked, then firing again adds nothing', async () => {
    at(wita('2025-03-03', 9));
    const complaintId = await world.submit('crash');
    await world.planned();
    await world.pausePlanner();
    at(wita('2025-03-10', 9));
    // what the crashed sweeper managed: the append, under the timer's command id
    const [timer] = await world.db.query<{
      key: string;
      kind: 'breach';
      stage: 'verification';
      clock_started_at: Date;
      deadline_at: Date;
      due_at: Date;
      planned_version: string;
    }>(
      `SELECT key, kind, stage, clock_started_at, deadline_at, due_at, planned_version::text AS planned_version FROM scheduler.timers WHERE complaint_id = $1 AND status = 'pending'`,
      [complaintId],
    );
    const [row] = await world.db.query<{ state: ComplaintState }>(`SELECT state FROM scheduler.complaint_state WHERE complaint_id = $1`, [complaintId]);
    const planned = {
      key: timer!.key,
      complaintId,
      kind: timer!.kind,
      stage: timer!.stage,
      subjectId: null,
      stageEndedAt: null,
      zone: 'Asia/Makassar' as const,
      clockStartedAt: timer!.clock_started_at.toISOString(),
      deadlineAt: timer!.deadline_at.toISOString(),
      dueAt: timer!.due_at.toISOString(),
    };
    const version = BigInt(timer!.planned_version);
    await world.repository.execute(
      commandFor(planned, world.clock.now, loadCalendar()),
      { commandId: timerCommandId(planned), expectedVersion: version },
      { state: row!.state, version, events: [] },
    );

    at(wita('2025-03-10', 10)); // restarted an hour later
    expect((await world.sweeper().sweep()).fired).toBe(1);
    expect((await world.events(complaintId)).filter((type) => type === 'SlaBreachRecorded')).toHaveLength(1);
    world.resumePlanner();
    await world.planned();
    expect(await world.timers(complaintId)).toEqual([expect.objectContaining({ key: timer!.key, status: 'fired' })]);
  });

  it('given downtime, then on start the overdue timers fire, oldest first', async () => {
    const received = ['2025-03-05', '2025-03-03', '2025-03-04'];
    const complaints: string[] = [];
    for (const [index, date] of received.entries()) {
      at(wita(date, 9));
      complaints.push(await world.submit(`lama-${index}`));
    }
    await world.planned();
    at(wita('2025-03-20', 9));
    expect((await world.sweeper({ concurrency: 1 }).sweep()).fired).toBe(3);
    const breaches = (await world.store.readGlobalLog({ transactionId: 0n, position: 0n }, 1000)).events.filter((event) => event.type === 'SlaBreachRecorded');
    expect(breaches.map((event) => event.streamId)).toEqual([complaints[1], complaints[2], complaints[0]].map((id) => `complaint-${id}`));
  });

  it('given a unit that followed up late while the planner was down, then the sweeper decides on the complaint as it stands: the breach is recorded, late until the follow-up, and the reminder refused', async () => {
    at(wita('2025-03-03', 9));
    const complaintId = await world.submit('telat');
    await verifyAndDispose(complaintId);
    await world.planned();
    await world.pausePlanner();
    at(wita('2025-03-14', 9)); // first follow-up was due by the end of 10 March
    await followUp(complaintId);
    const followedUpAt = world.clock.now;
    at(wita('2025-03-18', 9)); // the breach and the completion reminder were both planned before the follow-up
    expect(await world.sweeper().sweep()).toEqual({ fired: 1, stale: 0, refused: 1, failed: 0, waiting: 0 });
    const breach = (await world.store.readStream(`complaint-${complaintId}`)).find((event) => event.type === 'SlaBreachRecorded');
    expect(breach?.data).toMatchObject({ stage: 'first_follow_up', nodeId: 'pupr' });
    const { dueAt, workingDaysLate: late } = breach!.data as { dueAt: string; workingDaysLate: number };
    expect(late).toBe(workingDaysLate(dueAt, followedUpAt, loadCalendar(), 'Asia/Makassar'));
    expect(late).toBeLessThan(workingDaysLate(dueAt, world.clock.now, loadCalendar(), 'Asia/Makassar'));
    world.resumePlanner();
    await world.planned();
    expect((await world.sweeper().sweep()).fired).toBe(0);
    expect((await world.events(complaintId)).filter((type) => type.startsWith('Sla'))).toEqual(['SlaBreachRecorded']);
  });

  it('given a new calendar or policy while running, then timers planned before keep their deadline and say what set it', async () => {
    at(wita('2025-03-03', 9));
    const before = await world.submit('sebelum');
    await world.planned();
    const [old] = await world.timers(before);
    const newer = loadCalendar({ includeProvisional: true });
    expect(newer.version).not.toBe(old!.calendar_version);
    world.setCalendar(newer);
    world.setPolicy({ version: 1, configuration: { ...DEFAULT_SLA_CONFIGURATION, verificationWorkingDays: 5 }, changedAt: null, changedBy: null });
    const after = await world.submit('sesudah');
    await world.planned();
    const [unchanged] = await world.timers(before);
    const [planned] = await world.timers(after);
    expect(unchanged).toEqual(old);
    expect(planned).toMatchObject({ calendar_version: newer.version, policy_version: 1 });
    expect(planned!.due_at.getTime()).toBeGreaterThan(old!.due_at.getTime());
  });

  it('given a deadline in a year without a decree, then that timer waits, and gets its deadline when the year is added', async () => {
    at(wita('2026-12-29', 9)); // the third working day after is in 2027
    const complaintId = await world.submit('akhir-tahun');
    await world.planned();
    expect(await world.timers(complaintId)).toEqual([expect.objectContaining({ kind: 'breach', status: 'waiting', outcome: 'CALENDAR_YEAR_MISSING 2027' })]);
    world.setCalendar(loadCalendar({ includeProvisional: true })); // stands in for the 2027 SKB being loaded
    expect(await world.replanWaiting()).toBe(1);
    const [timer] = await world.timers(complaintId);
    expect(timer).toMatchObject({ status: 'pending', outcome: null });
    expect(timer!.due_at.getTime()).toBeGreaterThan(Date.parse('2027-01-01T00:00:00+08:00'));
  });
});
