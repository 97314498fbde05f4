import type { Actor, SlaStage } from '../../src';
import { DEFAULT_SLA_CONFIGURATION, SlaConfiguration, slaPolicyFor } from '../../src';
import {
  actors,
  archived,
  command,
  completed,
  disposed,
  followedUp,
  FOLLOW_UP_1,
  replied,
  returned,
  spec,
  submitted,
  t,
  uuid,
  verified,
  withDikbud,
} from './fixtures';

const reminder = (stage: SlaStage, clockStartedAt: string, dueAt: string, now: string, actor: Actor = actors.scheduler) =>
  command('RecordSlaReminder', actor, now, { stage, clockStartedAt, dueAt });
const breach = (stage: SlaStage, clockStartedAt: string, dueAt: string, now: string, workingDaysLate = 1) =>
  command('RecordSlaBreach', actors.scheduler, now, { stage, clockStartedAt, dueAt, workingDaysLate });

const reminded = (stage: SlaStage, clockStartedAt: string, dueAt: string, nodeId: string, at: string) => ({
  type: 'SlaReminderRecorded' as const,
  schemaVersion: 1 as const,
  data: { stage, clockStartedAt, dueAt, nodeId, at, by: actors.scheduler },
});
const breached = (stage: SlaStage, clockStartedAt: string, dueAt: string, nodeId: string, at: string, workingDaysLate = 1) => ({
  type: 'SlaBreachRecorded' as const,
  schemaVersion: 1 as const,
  data: { stage, clockStartedAt, dueAt, nodeId, workingDaysLate, at, by: actors.scheduler },
});

// Dinas Pendidikan received the complaint at t(5).
const DISPOSED_TO_DIKBUD = t(5);

describe('SLA configuration', () => {
  it('carries the guideline’s deadlines and reminders as defaults', () => {
    expect(slaPolicyFor('informasi_normatif')).toMatchObject({ completionWorkingDays: 5, reminderWorkingDaysBefore: 3 });
    expect(slaPolicyFor('tanpa_pengawasan')).toMatchObject({ completionWorkingDays: 14, reminderWorkingDaysBefore: 8 });
    expect(slaPolicyFor('pengawasan_lapangan')).toMatchObject({ completionWorkingDays: 60, reminderWorkingDaysBefore: 35 });
    expect(DEFAULT_SLA_CONFIGURATION).toMatchObject({
      verificationWorkingDays: 3,
      firstFollowUpWorkingDays: 5,
      autoCloseWorkingDays: 10,
      missingDataWorkingDays: 10,
    });
    expect(SlaConfiguration.parse(DEFAULT_SLA_CONFIGURATION)).toEqual(DEFAULT_SLA_CONFIGURATION);
  });

  it('refuses a configuration whose reminder would come after the deadline', () => {
    const broken = structuredClone(DEFAULT_SLA_CONFIGURATION);
    broken.classes.informasi_normatif.reminderWorkingDaysBefore = 5;
    expect(SlaConfiguration.safeParse(broken).success).toBe(false);
  });
});

describe('SLA reminders', () => {
  it('reminds the verifying admin while the verification is undecided', () => {
    spec
      .given([submitted()])
      .when(reminder('verification', t(0), t(72), t(48)))
      .then([reminded('verification', t(0), t(72), 'nasional', t(48))]);
  });

  it('reminds the unit before its completion deadline', () => {
    spec
      .given(withDikbud)
      .when(reminder('completion', DISPOSED_TO_DIKBUD, t(300), t(200)))
      .then([reminded('completion', DISPOSED_TO_DIKBUD, t(300), 'ntt-dikbud', t(200))]);
  });

  it('matches the clock by instant, whatever offset the scheduler writes', () => {
    expect(DISPOSED_TO_DIKBUD).toBe('2024-03-04T06:00:00.000Z');
    spec
      .given(withDikbud)
      .when(reminder('first_follow_up', '2024-03-04T14:00:00+08:00', t(100), t(50)))
      .then([reminded('first_follow_up', '2024-03-04T14:00:00+08:00', t(100), 'ntt-dikbud', t(50))]);
  });

  it('does not nag a unit that has answered and waits for the reporter', () => {
    spec
      .given(followedUp)
      .when(reminder('completion', DISPOSED_TO_DIKBUD, t(300), t(200)))
      .thenThrows('STAGE_ALREADY_MET');
    spec
      .given([...followedUp, replied(uuid(5), FOLLOW_UP_1, actors.reporter, t(30))])
      .when(reminder('completion', DISPOSED_TO_DIKBUD, t(300), t(200)))
      .then([reminded('completion', DISPOSED_TO_DIKBUD, t(300), 'ntt-dikbud', t(200))]);
  });

  it('reminds nobody on a closed complaint', () => {
    spec
      .given(completed)
      .when(reminder('completion', DISPOSED_TO_DIKBUD, t(600), t(500)))
      .thenThrows('COMPLAINT_CLOSED');
  });

  it('comes before the deadline, once, from the scheduler', () => {
    spec
      .given([submitted()])
      .when(reminder('verification', t(0), t(72), t(80)))
      .thenThrows('PAST_DUE');
    spec
      .given([submitted(), reminded('verification', t(0), t(72), 'nasional', t(48))])
      .when(reminder('verification', t(0), t(72), t(49)))
      .thenThrows('ALREADY_RECORDED');
    spec
      .given([submitted()])
      .when(reminder('verification', t(0), t(72), t(48), actors.adminNasional))
      .thenThrows('ROLE_NOT_ALLOWED');
  });
});

describe('SLA breaches', () => {
  it('records a verification left undecided past its deadline', () => {
    spec
      .given([submitted()])
      .when(breach('verification', t(0), t(72), t(73)))
      .then([breached('verification', t(0), t(72), 'nasional', t(73))]);
  });

  it('records a unit’s missed first follow-up against that unit', () => {
    spec
      .given(withDikbud)
      .when(breach('first_follow_up', DISPOSED_TO_DIKBUD, t(130), t(131), 2))
      .then([breached('first_follow_up', DISPOSED_TO_DIKBUD, t(130), 'ntt-dikbud', t(131), 2)]);
  });

  it('is refused when the stage was done in time', () => {
    spec
      .given([submitted(), verified()])
      .when(breach('verification', t(0), t(72), t(73)))
      .thenThrows('STAGE_ALREADY_MET');
    spec
      .given(followedUp)
      .when(breach('first_follow_up', DISPOSED_TO_DIKBUD, t(100), t(101)))
      .thenThrows('STAGE_ALREADY_MET');
  });

  it('is still recorded on a closed complaint when the stage really was late', () => {
    // archived on day 4 of a 3-day verification: the lateness belongs in the recap
    spec
      .given([submitted(), archived(actors.adminNasional, t(100))])
      .when(breach('verification', t(0), t(72), t(120)))
      .then([breached('verification', t(0), t(72), 'nasional', t(120))]);
    // followed up at t(24), after a first-follow-up deadline at t(20), and completed since
    spec
      .given(completed)
      .when(breach('first_follow_up', DISPOSED_TO_DIKBUD, t(20), t(500)))
      .then([breached('first_follow_up', DISPOSED_TO_DIKBUD, t(20), 'ntt-dikbud', t(500))]);
  });

  it('ignores a timer from a clock that no longer runs', () => {
    const movedOn = [
      ...withDikbud,
      returned('ntt-dikbud', 'pemprov-ntt', actors.liaisonDikbud, t(10)),
      disposed('pemprov-ntt', 'ntt-pupr', actors.adminNtt, t(12)),
    ];
    spec
      .given(movedOn)
      .when(breach('first_follow_up', DISPOSED_TO_DIKBUD, t(130), t(131)))
      .thenThrows('STALE_SLA_TIMER');
    spec
      .given([submitted(), verified()])
      .when(breach('completion', t(3), t(130), t(131)))
      .thenThrows('STALE_SLA_TIMER');
  });

  it('is recorded after the deadline, once, with a whole number of days late', () => {
    spec
      .given([submitted()])
      .when(breach('verification', t(0), t(72), t(71)))
      .thenThrows('NOT_YET_DUE');
    spec
      .given([submitted()])
      .when(breach('verification', t(0), t(72), t(80), 0))
      .thenThrows('INVALID_LATENESS');
    spec
      .given([submitted()])
      .when(breach('verification', t(0), t(72), t(80), 1.5))
      .thenThrows('INVALID_LATENESS');
    spec
      .given([submitted(), breached('verification', t(0), t(72), 'nasional', t(73))])
      .when(breach('verification', t(0), t(72), t(80)))
      .thenThrows('ALREADY_RECORDED');
  });
});
