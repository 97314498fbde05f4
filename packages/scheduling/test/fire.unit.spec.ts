import { WITA } from '@lapor/calendar';
import { complaintDecider, isDomainError, type Complaint, type ComplaintEvent } from '@lapor/domain';
import { commandFor, timerOn, workingDaysLate, type PlannedTimer } from '../src';
import { calendar, Story, wita } from './story';

// A due timer becomes a command, and the decider has the last word: at the timer's moment, on
// the state it was planned from, the command is accepted; once the complaint has moved on, it is
// refused with the rule that says why.

const fireAt = (timer: PlannedTimer, state: Complaint, now: Date = new Date(timer.dueAt)): ComplaintEvent[] =>
  complaintDecider.decide(commandFor(timer, now, calendar), state);

/** The domain error code decide refuses with, or null when it accepts. */
const refusal = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
};

const RECEIVED = wita('2025-12-15 09:00');
const AT_UNIT = wita('2025-12-16 10:00');

describe('a timer fired at its moment, on the state it was planned from', () => {
  it('given a unit holding a 14-day complaint, then its completion reminder records an SLA reminder for that unit, naming the deadline', () => {
    const story = new Story('pengingat', RECEIVED).withUnit('pupr', AT_UNIT);
    const reminder = story.timer('reminder', 'completion');

    const [event] = fireAt(reminder, story.state);

    expect(event).toMatchObject({ type: 'SlaReminderRecorded', data: { stage: 'completion', nodeId: 'pupr', dueAt: reminder.deadlineAt } });
  });

  it('given a verification nobody decided, then its breach records an SLA breach at least one working day late', () => {
    const story = new Story('tidak diverifikasi', RECEIVED);

    const [event] = fireAt(story.timer('breach', 'verification'), story.state);

    expect(event).toMatchObject({ type: 'SlaBreachRecorded', data: { stage: 'verification', workingDaysLate: 1 } });
  });

  it('given a Tunda nobody answered, then the auto-archive archives the complaint for MISSING_DATA_TIMEOUT, naming the request', () => {
    const story = new Story('tunda habis', RECEIVED).postpone(wita('2025-12-17 10:00'));

    const [event] = fireAt(story.timer('auto_archive'), story.state);

    expect(event).toMatchObject({
      type: 'ComplaintArchived',
      data: { reason: 'MISSING_DATA_TIMEOUT', missingDataRequestId: story.state.openRequest!.requestId },
    });
  });

  it('given a follow-up nobody answered, then the auto-close completes the complaint, naming that follow-up', () => {
    const story = new Story('sepi', RECEIVED).withUnit('pupr', AT_UNIT).followUp('pupr', wita('2025-12-18 14:00'));

    const [event] = fireAt(story.timer('auto_close'), story.state);

    expect(event).toMatchObject({ type: 'ComplaintCompleted', data: { completion: 'AUTO_CLOSE', lastFollowUpId: story.state.lastFollowUp!.followUpId } });
  });

  it('given complaints at every stage, then every planned timer is accepted at its moment', () => {
    const stories = [
      new Story('s1', RECEIVED),
      new Story('s2', RECEIVED).postpone(wita('2025-12-16 10:00')),
      new Story('s3', RECEIVED).withUnit('pupr', AT_UNIT, 'informasi_normatif'),
      new Story('s4', RECEIVED).withUnit('pupr', AT_UNIT, 'pengawasan_lapangan'),
      new Story('s5', RECEIVED).withUnit('pupr', AT_UNIT).followUp('pupr', wita('2025-12-18 14:00')),
      new Story('s6', RECEIVED).withUnit('pupr', AT_UNIT).followUp('pupr', wita('2025-12-18 14:00')).reply(wita('2025-12-19 08:00')),
      new Story('s7', RECEIVED).archive(wita('2025-12-22 09:00')),
      new Story('s8', RECEIVED, 'papua').withUnit('papua-kesehatan', AT_UNIT),
      new Story('s9', RECEIVED, 'dki').postpone(wita('2025-12-16 10:00')),
    ];
    const fired = stories.flatMap((story) =>
      story.timers().map((timer) => {
        const [event] = complaintDecider.decide(commandFor(timer, new Date(timer.dueAt), calendar), story.state);
        return `${timer.kind} ${timer.stage} → ${event!.type}`;
      }),
    );

    expect(new Set(fired)).toEqual(
      new Set([
        'breach verification → SlaBreachRecorded',
        'auto_archive missing_data → ComplaintArchived',
        'breach first_follow_up → SlaBreachRecorded',
        'breach completion → SlaBreachRecorded',
        'reminder completion → SlaReminderRecorded',
        'auto_close quiet_after_follow_up → ComplaintCompleted',
      ]),
    );
  });
});

describe('how late a breach is', () => {
  // verification deadline: end of Thursday 10 April 2025 (received Thu 27 March, Idul Fitri between)
  const story = new Story('hitung keterlambatan', wita('2025-03-27 10:00'));
  const breach = story.timer('breach', 'verification');
  const lateness = (now: string): number => workingDaysLate(breach.deadlineAt, new Date(now), calendar, WITA);

  it('given the scheduler fires the same night, then the breach is one working day late', () => {
    expect(lateness(breach.dueAt)).toBe(1);
  });

  it('given it fires on the Saturday, then only Friday has passed: one working day late', () => {
    expect(lateness(wita('2025-04-12 09:00'))).toBe(1);
  });

  it('given it fires on the Monday, then Friday and Monday have passed: two working days late', () => {
    expect(lateness(wita('2025-04-14 09:00'))).toBe(2);
  });

  it('given it fires on the Saturday after Good Friday, then Good Friday does not count: five working days late', () => {
    // Fri 11, Mon 14, Tue 15, Wed 16, Thu 17 April; Fri 18 April is Wafat Yesus Kristus
    expect(lateness(wita('2025-04-19 09:00'))).toBe(5);
  });

  it('given a deadline on Thursday 27 March 2025 and the scheduler firing on the cuti bersama Friday, then it still counts one day late', () => {
    const monday = new Story('cuti bersama nyepi', wita('2025-03-24 10:00')).timer('breach', 'verification');
    expect(monday.deadlineAt).toBe('2025-03-27T23:59:59.999+08:00');
    expect(workingDaysLate(monday.deadlineAt, new Date(wita('2025-03-28 09:00')), calendar, WITA)).toBe(1);
  });

  // A stage that already ended late was late until it ended: a scheduler that was down and
  // records the breach a week later must not make it look six days late.
  it('given a verification done one working day late and a breach recorded a week later, then the breach says one working day late', () => {
    const lateVerification = new Story('terlambat satu hari', wita('2025-03-27 10:00')).verify(wita('2025-04-11 10:00'));
    const [event] = fireAt(lateVerification.timer('breach', 'verification'), lateVerification.state, new Date(wita('2025-04-21 09:00')));

    expect(event).toMatchObject({ type: 'SlaBreachRecorded', data: { workingDaysLate: 1 } });
  });
});

describe('a timer whose moment has passed is refused by the decider', () => {
  const followedUp = () => new Story('percakapan', RECEIVED).withUnit('pupr', AT_UNIT).followUp('pupr', wita('2025-12-18 14:00'));

  it('given the reporter replied after the follow-up, then the auto-close is refused: REPLY_PENDING', () => {
    const story = followedUp();
    const autoClose = story.timer('auto_close');
    story.reply(wita('2025-12-19 08:00'));

    expect(refusal(() => fireAt(autoClose, story.state))).toBe('REPLY_PENDING');
  });

  it('given the unit answered the reply with a new follow-up, then the old auto-close is refused: STALE_FOLLOW_UP', () => {
    const story = followedUp();
    const autoClose = story.timer('auto_close');
    story.reply(wita('2025-12-19 08:00')).followUp('pupr', wita('2025-12-22 11:00'));

    expect(refusal(() => fireAt(autoClose, story.state))).toBe('STALE_FOLLOW_UP');
  });

  it('given the reporter supplied the data, then the auto-archive is refused: NOT_POSTPONED', () => {
    const story = new Story('data masuk', RECEIVED).postpone(wita('2025-12-16 10:00'));
    const autoArchive = story.timer('auto_archive');
    story.supplyData(wita('2025-12-19 15:00'));

    expect(refusal(() => fireAt(autoArchive, story.state))).toBe('NOT_POSTPONED');
  });

  it('given the data came and a new Tunda was opened, then the first auto-archive is refused: STALE_REQUEST', () => {
    const story = new Story('tunda lagi', RECEIVED).postpone(wita('2025-12-16 10:00'));
    const first = story.timer('auto_archive');
    story.supplyData(wita('2025-12-17 15:00')).postpone(wita('2025-12-18 10:00'));

    expect(refusal(() => fireAt(first, story.state))).toBe('STALE_REQUEST');
    expect(refusal(() => fireAt(story.timer('auto_archive'), story.state))).toBeNull();
  });

  it('given the unit followed up in time, then its first follow-up breach and completion reminder are refused: STAGE_ALREADY_MET', () => {
    const story = new Story('tepat waktu', RECEIVED).withUnit('pupr', AT_UNIT);
    const breach = story.timer('breach', 'first_follow_up');
    const reminder = story.timer('reminder', 'completion');
    story.followUp('pupr', wita('2025-12-18 14:00'));

    expect(refusal(() => fireAt(breach, story.state))).toBe('STAGE_ALREADY_MET');
    expect(refusal(() => fireAt(reminder, story.state))).toBe('STAGE_ALREADY_MET');
  });

  it('given the unit returned the complaint, then a timer of its clock cannot blame anyone: STALE_SLA_TIMER', () => {
    const story = new Story('dikembalikan', RECEIVED).withUnit('pupr', AT_UNIT);
    const breach = story.timer('breach', 'first_follow_up');
    story.returnUp('pupr', wita('2025-12-17 09:00')).dispose('dikbud', wita('2025-12-17 13:00'));

    expect(refusal(() => fireAt(breach, story.state))).toBe('STALE_SLA_TIMER');
  });

  it('given a breach already recorded, then firing it again is refused: ALREADY_RECORDED', () => {
    const story = new Story('dua kali dicatat', RECEIVED);
    const breach = story.timer('breach', 'verification');
    story.fire(breach);

    expect(refusal(() => fireAt(breach, story.state))).toBe('ALREADY_RECORDED');
  });

  it('given the complaint was completed, then a completion reminder is refused: COMPLAINT_CLOSED', () => {
    const story = new Story('sudah selesai', RECEIVED).withUnit('pupr', AT_UNIT);
    const reminder = story.timer('reminder', 'completion');
    story.followUp('pupr', wita('2025-12-18 14:00'));
    story.fire(story.timer('auto_close'));

    expect(refusal(() => fireAt(reminder, story.state))).toBe('COMPLAINT_CLOSED');
  });
});

describe('a timer as the complaint stands when it fires (timerOn)', () => {
  it('given an auto-close stored without the follow-up it belongs to (it waited for its calendar year), then it names that follow-up again and closes', () => {
    const story = new Story('menunggu tahun', RECEIVED).withUnit('pupr', AT_UNIT).followUp('pupr', wita('2025-12-18 14:00'));
    const lost = { ...story.timer('auto_close'), subjectId: null };

    expect(timerOn(lost, story.state).subjectId).toBe(story.state.lastFollowUp!.followUpId);
    expect(fireAt(timerOn(lost, story.state), story.state)).toEqual([expect.objectContaining({ type: 'ComplaintCompleted' })]);
  });

  it('given a newer follow-up since, then the old auto-close does not borrow it, and is refused: STALE_FOLLOW_UP', () => {
    const story = new Story('tidak meminjam', RECEIVED).withUnit('pupr', AT_UNIT).followUp('pupr', wita('2025-12-18 14:00'));
    const lost = { ...story.timer('auto_close'), subjectId: null };
    story.reply(wita('2025-12-19 08:00')).followUp('pupr', wita('2025-12-22 11:00'));

    expect(timerOn(lost, story.state)).toEqual(lost);
    expect(refusal(() => fireAt(lost, story.state))).toBe('STALE_FOLLOW_UP');
  });

  it('given an auto-archive stored without its request, then it names the open request again', () => {
    const story = new Story('tunda menunggu', RECEIVED).postpone(wita('2025-12-16 10:00'));
    const lost = { ...story.timer('auto_archive'), subjectId: null };

    expect(timerOn(lost, story.state).subjectId).toBe(story.state.openRequest!.requestId);
  });

  it('given a breach planned before the unit followed up late, then its lateness counts to the follow-up, not to when the scheduler saw it', () => {
    const story = new Story('terlambat', RECEIVED).withUnit('pupr', AT_UNIT);
    const breach = story.timer('breach', 'first_follow_up');
    story.followUp('pupr', wita('2025-12-29 10:00'));

    const [event] = fireAt(timerOn(breach, story.state), story.state, new Date(wita('2026-01-09 10:00')));

    expect(timerOn(breach, story.state).stageEndedAt).toBe(story.state.firstFollowUpAt);
    expect(event?.data).toMatchObject({ workingDaysLate: workingDaysLate(breach.deadlineAt, new Date(wita('2025-12-29 10:00')), calendar, WITA) });
  });
});
