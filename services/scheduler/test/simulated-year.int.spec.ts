import { loadCalendar } from '@lapor/calendar';
import { complaintStream } from '@lapor/domain';
import fc from 'fast-check';
import { admin, liaison, reporter, schedulerWorld, tree, uuidFrom, type SchedulerWorld } from './support';

// A year of complaints in seconds: the clock moves day by day through 2025, people act on the days
// their plans say, and the scheduler sweeps. What the rules demand is worked out from the plans
// alone (the calendar's deadlines, not the scheduler's timers); the log must hold exactly that.

const calendar = loadCalendar();
const ZONE = 'Asia/Makassar';
const HOUR = 3_600_000;

interface Plan {
  readonly receivedOn: number; // working days after 2 January 2025
  readonly verifyAfter: number | null; // working days after receipt; null: Tunda instead
  readonly suppliedAfter: number | null; // Tunda: working days until the data comes; null: never
  readonly followUpAfter: number | null; // working days after disposition; null: never
  readonly replyAfter: number | null; // working days after the follow-up; null: no reply
  readonly secondFollowUpAfter: number | null; // working days after the reply; null: never
}

const PlanArbitrary: fc.Arbitrary<Plan> = fc.record({
  receivedOn: fc.integer({ min: 0, max: 200 }),
  verifyAfter: fc.option(fc.integer({ min: 0, max: 6 }), { freq: 5 }),
  suppliedAfter: fc.option(fc.integer({ min: 0, max: 14 }), { freq: 2 }),
  followUpAfter: fc.option(fc.integer({ min: 0, max: 9 }), { freq: 5 }),
  replyAfter: fc.option(fc.integer({ min: 1, max: 12 }), { freq: 1 }),
  secondFollowUpAfter: fc.option(fc.integer({ min: 0, max: 6 }), { freq: 3 }),
});

/** 10:00 local on the working day `n` working days after `from` (0: that day). */
const workingDayAt = (from: string, n: number): string => calendar.addWorkingDays(new Date(from), n, ZONE).plus({ hours: 10 }).toUTC().toISO()!;
const deadline = (from: string, n: number): string => calendar.deadline(new Date(from), n, ZONE).toUTC().toISO()!;
const reminderAt = (due: string, before: number): string => calendar.subtractWorkingDays(new Date(due), before, ZONE).plus({ hours: 8 }).toUTC().toISO()!;

type Step = { at: string; complaint: number; action: 'submit' | 'verify' | 'postpone' | 'supply' | 'followUp' | 'reply' | 'followUpAgain' };
type Expected = string[]; // "<event type>:<stage>" for everything the scheduler must have done

/** What the rules demand of one plan, and when its people act. */
function work(plan: Plan, index: number): { steps: Step[]; expected: Expected } {
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

  const firstDue = deadline(verified, 5);
  const completionDue = deadline(verified, 14);
  const remindAt = reminderAt(completionDue, 8);
  const followUp = plan.followUpAfter === null ? null : workingDayAt(verified, plan.followUpAfter);
  if (followUp === null || followUp > firstDue) expected.push('SlaBreachRecorded:first_follow_up');
  if (followUp === null) {
    expected.push('SlaReminderRecorded:completion', 'SlaBreachRecorded:completion');
    return { steps, expected };
  }
  steps.push({ at: followUp, complaint: index, action: 'followUp' });
  const reply = plan.replyAfter === null ? null : workingDayAt(followUp, plan.replyAfter);
  const closesAt = deadline(followUp, 10);
  if (reply === null || reply > closesAt) {
    expected.push('ComplaintCompleted:quiet_after_follow_up');
    if (followUp > remindAt) expected.push('SlaReminderRecorded:completion');
    if (followUp > completionDue) expected.push('SlaBreachRecorded:completion');
    return { steps, expected };
  }
  steps.push({ at: reply, complaint: index, action: 'reply' });
  const second = plan.secondFollowUpAfter === null ? null : workingDayAt(reply, plan.secondFollowUpAfter);
  if (second !== null) steps.push({ at: second, complaint: index, action: 'followUpAgain' });
  // the completion stage is open until the first follow-up, and again from the reply to the second
  const openAt = (moment: string): boolean => moment < followUp || (moment >= reply && (second === null || moment < second));
  if (openAt(remindAt) || (reply > remindAt && reply < completionDue)) expected.push('SlaReminderRecorded:completion');
  if (openAt(completionDue) || reply > completionDue) expected.push('SlaBreachRecorded:completion');
  if (second !== null) expected.push('ComplaintCompleted:quiet_after_follow_up');
  return { steps, expected };
}

describe('a simulated year of complaints', () => {
  let world: SchedulerWorld;
  beforeAll(async () => {
    world = await schedulerWorld('simulated-year');
  });
  afterAll(async () => {
    await world.close();
  });

  it('given a year of plans, when the clock moves day by day, then every breach, reminder, archive and auto-close the rules demand happens, once, and nothing else', async () => {
    const plans = fc.sample(PlanArbitrary, { numRuns: 120, seed: 2025 });
    const worked = plans.map(work);
    const steps = worked.flatMap((entry) => entry.steps).sort((a, b) => a.at.localeCompare(b.at) || a.complaint - b.complaint);
    const ids = plans.map((_, index) => uuidFrom(`simulated-year-plan-${index}`));
    const nthFollowUp = new Map<number, number>();

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
              data: { complaintId, slaClass: 'tanpa_pengawasan', category: 'UMUM', anonymous: false, confidential: false, note: null },
            },
            admin,
          );
          return world.act({ type: 'DisposeComplaint', data: { complaintId, to: tree.nodeRef('pupr'), tembusan: [], slaClass: null, note: null } }, admin);
        case 'postpone':
          return world.act({ type: 'RequestMissingData', data: { complaintId, requestId: uuidFrom(`${complaintId}-req`), message: 'lengkapi' } }, admin);
        case 'supply':
          return world.act({ type: 'SupplyMissingData', data: { complaintId, message: 'ini', attachmentIds: [] } }, who);
        case 'followUp':
        case 'followUpAgain': {
          const n = (nthFollowUp.get(step.complaint) ?? 0) + 1;
          nthFollowUp.set(step.complaint, n);
          return world.act(
            { type: 'PostFollowUp', data: { complaintId, followUpId: uuidFrom(`${complaintId}-fu-${n}`), message: 'ditindaklanjuti', attachmentIds: [] } },
            liaison('pupr'),
          );
        }
        case 'reply':
          return world.act(
            { type: 'ReplyToFollowUp', data: { complaintId, replyId: uuidFrom(`${complaintId}-reply`), message: 'belum', attachmentIds: [] } },
            who,
          );
      }
    };

    // the clock: every local day from 2 January 2025 to the end of March 2026, sweeping after
    // midnight (yesterday's deadlines) and at 08:30 (reminders), people acting at 10:00
    const sweeper = world.sweeper();
    let next = 0;
    for (let day = Date.parse('2025-01-01T16:00:00Z'); day < Date.parse('2026-03-31T16:00:00Z'); day += 24 * HOUR) {
      for (const sweepAt of [day + 0.5 * HOUR, day + 8.5 * HOUR]) {
        world.clock.now = new Date(sweepAt);
        await world.planned();
        await sweeper.sweep();
      }
      while (next < steps.length && Date.parse(steps[next]!.at) < day + 24 * HOUR) await act(steps[next++]!);
    }
    expect(next).toBe(steps.length);

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
  }, 300_000);
});
