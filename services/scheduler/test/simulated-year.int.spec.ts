import { loadCalendar } from '@lapor/calendar';
import { complaintStream, DEFAULT_SLA_CONFIGURATION, slaPolicyFor, type SlaClass } from '@lapor/domain';
import fc from 'fast-check';
import { CalendarSource } from '@lapor/calendar';
import { admin, calendarUpTo, liaison, reporter, schedulerWorld, tree, uuidFrom, yearFile, type SchedulerWorld } from './support';

// A year of complaints in seconds: the clock moves through 2025 into 2026, people act on the days
// their plans say, and the scheduler sweeps when it gets to. What the rules demand is worked out
// from the plans and the sweeps alone (the calendar's deadlines, not the scheduler's timers); the
// log must hold exactly that. The 2026 decree is recorded only after the year has begun, so
// deadlines around the new year wait for it; an information request's first follow-up and
// completion fall due at one instant; a scheduler that is behind finds several of one
// complaint's timers due in one sweep.

const calendar = loadCalendar();
const ZONE = 'Asia/Makassar';
const HOUR = 3_600_000;

interface Plan {
  readonly receivedOn: number; // working days after 2 January 2025
  readonly slaClass: SlaClass;
  readonly verifyAfter: number | null; // working days after receipt; null: Tunda instead
  readonly suppliedAfter: number | null; // Tunda: working days until the data comes; null: never
  readonly followUpAfter: number | null; // working days after disposition; null: never
  readonly replyAfter: number | null; // working days after the follow-up; null: no reply
  readonly secondFollowUpAfter: number | null; // working days after the reply; null: never
}

const PlanArbitrary: fc.Arbitrary<Plan> = fc.record({
  // up to the first days of 2026, so some deadlines fall in a year not recorded yet
  receivedOn: fc.integer({ min: 0, max: 248 }),
  // an information request's first follow-up and completion deadlines are one instant
  slaClass: fc.constantFrom<SlaClass>('tanpa_pengawasan', 'tanpa_pengawasan', 'informasi_normatif'),
  verifyAfter: fc.option(fc.integer({ min: 0, max: 6 }), { freq: 5 }),
  suppliedAfter: fc.option(fc.integer({ min: 0, max: 14 }), { freq: 2 }),
  followUpAfter: fc.option(fc.integer({ min: 0, max: 9 }), { freq: 5 }),
  replyAfter: fc.option(fc.integer({ min: 1, max: 12 }), { freq: 1 }),
  secondFollowUpAfter: fc.option(fc.integer({ min: 0, max: 6 }), { freq: 3 }),
});

// Received in the last days of 2025, each stage late: deadlines in 2025 whose breach is seen in
// 2026, and deadlines in 2026, both before the 2026 decree is recorded.
const YEAR_END: Plan[] = [231, 232, 233, 234, 235].map((receivedOn, k) => ({
  receivedOn,
  slaClass: k % 2 === 0 ? 'tanpa_pengawasan' : 'informasi_normatif',
  verifyAfter: 6,
  suppliedAfter: null,
  followUpAfter: k === 4 ? null : 8,
  replyAfter: null,
  secondFollowUpAfter: null,
}));

/** 10:00 local on the working day `n` working days after `from` (0: that day). */
const workingDayAt = (from: string, n: number): string => calendar.addWorkingDays(new Date(from), n, ZONE).plus({ hours: 10 }).toUTC().toISO()!;
const deadline = (from: string, n: number): string => calendar.deadline(new Date(from), n, ZONE).toUTC().toISO()!;
const reminderAt = (due: string, before: number): string => calendar.subtractWorkingDays(new Date(due), before, ZONE).plus({ hours: 8 }).toUTC().toISO()!;

type Step = { at: string; complaint: number; action: 'submit' | 'verify' | 'postpone' | 'supply' | 'followUp' | 'reply' | 'followUpAgain' };
type Expected = string[]; // "<event type>:<stage>" for everything the scheduler must have done

/** How the scheduler runs: when it sweeps, and when the 2026 decree is recorded. */
interface Schedule {
  readonly sweeps: readonly number[];
  readonly year2026RecordedAt: number;
}

const YEAR_2026 = Date.parse('2026-01-01T00:00:00+08:00');

/** What the rules demand of one plan, and when its people act. */
function work(plan: Plan, index: number, schedule: Schedule): { steps: Step[]; expected: Expected } {
  const steps: Step[] = [];
  const expected: Expected = [];
  const received = workingDayAt('2025-01-02T02:00:00Z', plan.receivedOn);
  steps.push({ at: received, complaint: index, action: 'submit' });
  if (plan.verifyAfter === null) {
    // Tunda on the day it came in: archived 10 working days later unless the data came first
    steps.push({ at: received, complaint: index, action: 'postpone' });
    const archiveAt = deadline(received, 10);
    const supplied = plan.suppliedAfter === null ? null : workingDayAt(received, plan.suppliedAfter);
    if (supplied !== null && supplied < archiveAt) steps.push({ at: supplied, complaint: index, action: 'supply' });
    else expected.push('ComplaintArchived:missing_data');
    return { steps, expected };
  }
  const verified = workingDayAt(received, plan.verifyAfter);
  steps.push({ at: verified, complaint: index, action: 'verify' });
  if (verified > deadline(received, 3)) expected.push('SlaBreachRecorded:verification');

  const sla = slaPolicyFor(plan.slaClass, DEFAULT_SLA_CONFIGURATION);
  const firstDue = deadline(verified, 5);
  const completionDue = deadline(verified, sla.completionWorkingDays);
  const remindAt = reminderAt(completionDue, sla.reminderWorkingDaysBefore);
  // A reminder goes out at the first sweep after its moment while the stage is open, if that is
  // before the deadline (after it, it reminds nobody). A deadline in 2026 is known only once the
  // decree is.
  const knownAt = Date.parse(completionDue) >= YEAR_2026 ? schedule.year2026RecordedAt : 0;
  const reminded = (openAt: (moment: string) => boolean): boolean =>
    schedule.sweeps.some((sweep) => {
      const moment = new Date(sweep).toISOString();
      return sweep >= knownAt && moment >= remindAt && moment < completionDue && openAt(moment);
    });
  const followUp = plan.followUpAfter === null ? null : workingDayAt(verified, plan.followUpAfter);
  if (followUp === null || followUp > firstDue) expected.push('SlaBreachRecorded:first_follow_up');
  if (followUp === null) {
    if (reminded(() => true)) expected.push('SlaReminderRecorded:completion');
    expected.push('SlaBreachRecorded:completion');
    return { steps, expected };
  }
  steps.push({ at: followUp, complaint: index, action: 'followUp' });
  const reply = plan.replyAfter === null ? null : workingDayAt(followUp, plan.replyAfter);
  const closesAt = deadline(followUp, 10);
  if (reply === null || reply > closesAt) {
    expected.push('ComplaintCompleted:quiet_after_follow_up');
    if (reminded((moment) => moment < followUp)) expected.push('SlaReminderRecorded:completion');
    if (followUp > completionDue) expected.push('SlaBreachRecorded:completion');
    return { steps, expected };
  }
  steps.push({ at: reply, complaint: index, action: 'reply' });
  const second = plan.secondFollowUpAfter === null ? null : workingDayAt(reply, plan.secondFollowUpAfter);
  if (second !== null) steps.push({ at: second, complaint: index, action: 'followUpAgain' });
  // the completion stage is open until the first follow-up, and again from the reply to the second
  const openAt = (moment: string): boolean => moment < followUp || (moment >= reply && (second === null || moment < second));
  if (reminded(openAt)) expected.push('SlaReminderRecorded:completion');
  if (openAt(completionDue) || reply > completionDue) expected.push('SlaBreachRecorded:completion');
  if (second !== null) expected.push('ComplaintCompleted:quiet_after_follow_up');
  return { steps, expected };
}

const FIRST_DAY = Date.parse('2025-01-01T16:00:00Z'); // 2 January 2025, 00:00 WITA
const LAST_DAY = Date.parse('2026-03-31T16:00:00Z');

/** Sweeps on every `every`th local day from 2 January 2025 to the end of March 2026, at the given local hours. */
function sweepsEvery(every: number, hours: readonly number[]): number[] {
  const sweeps: number[] = [];
  for (let day = FIRST_DAY, n = 0; day < LAST_DAY; day += 24 * HOUR, n++) {
    if (n % every === 0) for (const hour of hours) sweeps.push(day + hour * HOUR);
  }
  return sweeps;
}

const SCHEDULES: { name: string; schedule: Schedule }[] = [
  {
    // after midnight (yesterday's deadlines) and at 08:30 (reminders); people act at 10:00
    name: 'a scheduler sweeping twice a day, the 2026 decree recorded on 5 January 2026',
    schedule: { sweeps: sweepsEvery(1, [0.5, 8.5]), year2026RecordedAt: Date.parse('2026-01-05T07:00:00+08:00') },
  },
  {
    // every fifth day in the afternoon: several of one complaint's timers are due in one sweep
    name: 'a scheduler that is behind (a sweep every fifth day), the 2026 decree recorded on 19 January 2026',
    schedule: { sweeps: sweepsEvery(5, [13]), year2026RecordedAt: Date.parse('2026-01-19T07:00:00+08:00') },
  },
];

describe.each(SCHEDULES)('a simulated year of complaints, with $name', ({ schedule }) => {
  let world: SchedulerWorld;
  beforeAll(async () => {
    world = await schedulerWorld('simulated-year');
  });
  afterAll(async () => {
    await world.close();
  });

  it('given a year of plans, when the clock moves day by day, then every breach, reminder, archive and auto-close the rules demand happens, once, and nothing else', async () => {
    const plans = [...fc.sample(PlanArbitrary, { numRuns: 120, seed: 2025 }), ...YEAR_END];
    const worked = plans.map((plan, index) => work(plan, index, schedule));
    const steps = worked.flatMap((entry) => entry.steps).sort((a, b) => a.at.localeCompare(b.at) || a.complaint - b.complaint);
    const ids = plans.map((_, index) => uuidFrom(`simulated-year-plan-${index}`));
    const nthFollowUp = new Map<number, number>();
    // the scheduler starts with the years decreed before 2026; 2026 comes late
    const calendarSource = await CalendarSource.open(world.store, calendarUpTo(2025));
    world.setCalendar(calendarSource.get());

    const act = async (step: Step): Promise<void> => {
      world.clock.now = new Date(step.at);
      const complaintId = ids[step.complaint]!;
      const who = reporter(`plan-${step.complaint}`);
      switch (step.action) {
        case 'submit':
          expect(await world.submit(`plan-${step.complaint}`)).toBe(complaintId);
          return;
        case 'verify':
          await world.act(
            {
              type: 'VerifyComplaint',
              data: { complaintId, slaClass: plans[step.complaint]!.slaClass, category: 'UMUM', anonymous: false, confidential: false, note: null },
            },
            admin,
          );
          return world.act({ type: 'DisposeComplaint', data: { complaintId, to: tree.nodeRef('pupr'), tembusan: [], slaClass: null, note: null } }, admin);
        case 'postpone':
          return world.act({ type: 'RequestMissingData', data: { complaintId, requestId: uuidFrom(`${complaintId}-req`), message: 'lengkapi' } }, admin);
        case 'supply':
          return world.act({ type: 'SupplyMissingData', data: { complaintId, message: 'ini', attachments: [] } }, who);
        case 'followUp':
        case 'followUpAgain': {
          const n = (nthFollowUp.get(step.complaint) ?? 0) + 1;
          nthFollowUp.set(step.complaint, n);
          return world.act(
            { type: 'PostFollowUp', data: { complaintId, followUpId: uuidFrom(`${complaintId}-fu-${n}`), message: 'ditindaklanjuti', attachments: [] } },
            liaison('pupr'),
          );
        }
        case 'reply':
          return world.act(
            { type: 'ReplyToFollowUp', data: { complaintId, replyId: uuidFrom(`${complaintId}-reply`), message: 'belum', attachments: [] } },
            who,
          );
      }
    };
    const record2026 = async (): Promise<void> => {
      world.clock.now = new Date(schedule.year2026RecordedAt);
      await world.planned();
      world.setCalendar(await calendarSource.addYear(yearFile(2026), 'admin-nasional', world.clock.now.toISOString()));
      await world.replanWaiting();
    };

    // the clock: people act, the decree is recorded and the scheduler sweeps, each in its turn
    const sweeper = world.sweeper();
    const totals = { fired: 0, stale: 0, refused: 0, failed: 0, waiting: 0 };
    const moments = [
      ...steps.map((step) => ({ at: Date.parse(step.at), run: () => act(step) })),
      { at: schedule.year2026RecordedAt, run: record2026 },
      ...schedule.sweeps.map((at) => ({
        at,
        run: async () => {
          world.clock.now = new Date(at);
          await world.planned();
          const result = await sweeper.sweep();
          for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += result[key];
        },
      })),
    ].sort((a, b) => a.at - b.at);
    for (const moment of moments) await moment.run();
    await world.planned();

    let checked = 0;
    for (const [index, complaintId] of ids.entries()) {
      const recorded = (await world.store.readStream(complaintStream(complaintId)))
        .filter((event) => (event.data as { by?: { role?: string } }).by?.role === 'system')
        .map(
          (event) =>
            `${event.type}:${(event.data as { stage?: string }).stage ?? (event.type === 'ComplaintArchived' ? 'missing_data' : 'quiet_after_follow_up')}`,
        );
      expect({ plan: index, recorded: recorded.sort() }).toEqual({ plan: index, recorded: [...worked[index]!.expected].sort() });
      checked += recorded.length;
    }
    expect(checked).toBeGreaterThan(150);
    // no timer lost a race to another, or failed
    expect(totals).toMatchObject({ stale: 0, failed: 0 });
    // nothing is left behind: no timer is still due, waiting for its year, or stale
    const [left] = await world.db.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM scheduler.timers WHERE status IN ('stale', 'waiting') OR (status = 'pending' AND due_at <= $1)`,
      [world.clock.now.toISOString()],
    );
    expect(left!.count).toBe('0');
  }, 300_000);
});
