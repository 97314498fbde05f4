import { INDONESIAN_ZONES, loadCalendar } from '@lapor/calendar';
import fc from 'fast-check';
import { workingDays } from '../src/facts';

// workingDays remembers counts per zone and pair of local dates. A key that put two instants on the
// wrong local day (UTC days, or the wrong zone's midnight) would hand one pair another pair's count.
describe('working days a step took, remembered per pair of local dates', () => {
  const calendar = loadCalendar();
  // instants on quarter hours of 2025, so many fall near a zone's midnight
  const instant = fc.integer({ min: 0, max: 365 * 96 - 1 }).map((quarter) => new Date(Date.parse('2025-01-01T00:00:00Z') + quarter * 900_000).toISOString());

  it('given random pairs of instants in every zone, asked in any order, then each answer is the calendar’s own count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(instant, fc.integer({ min: 0, max: 40 * 96 }), fc.constantFrom(...INDONESIAN_ZONES)), { minLength: 50, maxLength: 200 }),
        (pairs) => {
          for (const [from, quarters, zone] of pairs) {
            const to = new Date(Date.parse(from) + quarters * 900_000).toISOString();
            expect(workingDays(calendar, from, to, zone)).toBe(calendar.workingDaysTaken(new Date(from), new Date(to), zone));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('given a moment that is not an instant, then it throws, as formatting it always did', () => {
    expect(() => workingDays(calendar, 'not a date', '2025-03-01T00:00:00Z', 'Asia/Jakarta')).toThrow(RangeError);
  });
});
