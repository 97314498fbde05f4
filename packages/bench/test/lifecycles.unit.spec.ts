import { loadCalendar } from '@lapor/calendar';
import { benchOrganisation } from '../src/statistics/organisation';
import { tellComplaint, type Chronology } from '../src/statistics/lifecycles';
import { WorkingTime } from '../src/statistics/working-time';

// The benchmarks' complaints are told through the complaint decider, so a new rule in the domain
// can refuse a step the stories take; this finds it here rather than minutes into a million-row fill.

describe('the benchmarks’ complaint stories', () => {
  const chronology: Chronology = {
    org: benchOrganisation(),
    time: new WorkingTime(loadCalendar(), '2024-12-01', '2026-12-31'),
    seed: 20_251_204,
    start: Date.parse('2025-01-01T00:00:00+07:00'),
    horizon: Date.parse('2027-01-01T00:00:00+09:00'),
  };

  it('given the chronology of the benches, when 3,000 complaints are told, then the decider accepts every step and the stories reach every kind of event the statistics count', () => {
    const types = new Set<string>();
    for (let index = 0; index < 3_000; index++) for (const event of tellComplaint(index, chronology)) types.add(event.type);

    expect([...types]).toEqual(
      expect.arrayContaining([
        'ComplaintSubmitted',
        'ComplaintVerified',
        'ComplaintArchived',
        'MissingDataRequested',
        'MissingDataSupplied',
        'ComplaintDisposed',
        'ComplaintReturned',
        'FollowUpPosted',
        'ReporterReplied',
        'ComplaintCompleted',
        'HandlingRated',
        'SlaReminderRecorded',
        'SlaBreachRecorded',
        'AspirationAnswered',
      ]),
    );
  });
});
