import { randomHistories } from '@lapor/complaint-histories';
import type { TimerPlan } from '@lapor/scheduling';
import { foldPlannerPage, type TimerRow } from '../src/plan-page';

// A timer that waited for its calendar year has the clock's start standing in for its deadline. If
// it was dropped while it waited (its stage ended) and is wanted again once the year has come, it
// takes its deadline then, with the calendar and policy that set it: revived with the stand-in, it
// was due at once and fired a breach weeks early.

const [history] = randomHistories(1, 20_261_206);
const submitted = history![0]!;
if (submitted.type !== 'ComplaintSubmitted') throw new Error('a history starts with its submission');
const complaintId = submitted.data.complaintId;
const CLOCK = '2025-12-15 09:00:00+08';
const DEADLINE = '2026-01-06T09:00:00.000Z';
const KEY = `${complaintId}:breach:completion:${CLOCK}`;

const droppedWhileWaiting: TimerRow = {
  key: KEY,
  complaintId,
  kind: 'breach',
  stage: 'completion',
  clockStartedAt: CLOCK,
  deadlineAt: CLOCK, // the stand-in, as the table holds a waiting timer
  dueAt: CLOCK,
  subjectId: null,
  stageEndedAt: null,
  zone: 'Asia/Makassar',
  plannedVersion: 3n,
  calendarVersion: 'calendar-without-2026',
  policyVersion: 1,
  status: 'dropped',
  outcome: 'CALENDAR_YEAR_MISSING 2026',
};

const wantedWithItsDeadline: TimerPlan = {
  timers: [
    {
      key: KEY,
      complaintId,
      kind: 'breach',
      stage: 'completion',
      clockStartedAt: '2025-12-15T01:00:00.000Z',
      deadlineAt: DEADLINE,
      dueAt: DEADLINE,
      subjectId: null,
      stageEndedAt: null,
      zone: 'Asia/Makassar',
    },
  ],
  waiting: [],
};

const fold = (row: TimerRow) =>
  foldPlannerPage(
    [{ complaintId, streamVersion: 4n, first: false, event: submitted }],
    { states: new Map(), rows: [row] },
    { plan: () => wantedWithItsDeadline, calendarVersion: 'calendar-with-2026', policyVersion: 2 },
  ).rows;

describe('a timer wanted again', () => {
  it('given one dropped while it waited for its calendar year, when it is wanted again after the year came, then it is pending with its deadline, the calendar and policy that set it, and no waiting reason', () => {
    expect(fold(droppedWhileWaiting)).toEqual([
      {
        ...droppedWhileWaiting,
        deadlineAt: DEADLINE,
        dueAt: DEADLINE,
        plannedVersion: 4n,
        calendarVersion: 'calendar-with-2026',
        policyVersion: 2,
        status: 'pending',
        outcome: null,
      },
    ]);
  });

  it('given one dropped after it had its deadline, when it is wanted again under another calendar and policy, then it keeps the deadline it was first given', () => {
    const dropped: TimerRow = { ...droppedWhileWaiting, deadlineAt: '2026-01-05 09:00:00+08', dueAt: '2026-01-05 09:00:00+08', outcome: null };
    expect(fold(dropped)).toEqual([{ ...dropped, plannedVersion: 4n, status: 'pending' }]);
  });
});
