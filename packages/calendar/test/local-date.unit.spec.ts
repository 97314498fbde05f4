import fc from 'fast-check';
import { DateTime } from 'luxon';
import { INDONESIAN_ZONES, WIB, type IndonesianZone } from '../src';
import { localDateOf } from '../src/local-date';

// The local date of an instant is what the tz database says for the zone: computed from the
// zone's fixed offset since 1964, it must agree with luxon's (Intl's) answer everywhere, and what
// luxon refuses stays refused.

const zone = fc.constantFrom<IndonesianZone>(...INDONESIAN_ZONES);
const instant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true });
const luxonDate = (at: Date, z: IndonesianZone) => DateTime.fromJSDate(at).setZone(z).toISODate();
/** The instant written with a whole-quarter-hour offset, as another system might send it. */
const withOffset = (at: Date, quarterHours: number): string => {
  const shifted = new Date(at.getTime() + quarterHours * 15 * 60_000);
  const sign = quarterHours < 0 ? '-' : '+';
  const minutes = Math.abs(quarterHours) * 15;
  return `${shifted.toISOString().slice(0, 23)}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

describe('the local date of an instant', () => {
  it('given a JS Date, is the date luxon reads in the zone', () => {
    fc.assert(
      fc.property(instant, zone, (at, z) => localDateOf(at, z) === luxonDate(at, z)),
      { numRuns: 5_000 },
    );
  });

  it('given an ISO instant in UTC or with any offset, is the date of the same instant', () => {
    fc.assert(
      fc.property(instant, zone, fc.integer({ min: -56, max: 56 }), (at, z, quarterHours) => {
        const expected = luxonDate(at, z);
        return localDateOf(at.toISOString(), z) === expected && localDateOf(withOffset(at, quarterHours), z) === expected;
      }),
      { numRuns: 5_000 },
    );
  });

  it('given the last millisecond before local midnight and the first after, changes date exactly there', () => {
    // 2025-03-03 00:00 WIB is 2025-03-02T17:00Z
    expect(localDateOf('2025-03-02T16:59:59.999Z', WIB)).toBe('2025-03-02');
    expect(localDateOf('2025-03-02T17:00:00.000Z', WIB)).toBe('2025-03-03');
    expect(localDateOf('2025-03-03T00:00:00+07:00', WIB)).toBe('2025-03-03');
    expect(localDateOf('2025-03-02T23:59:59.9999999+07:00', WIB)).toBe('2025-03-02');
  });

  it('given an instant before the zones took their present offsets, reads the offset of that time', () => {
    // Jakarta kept +08:00 in January 1950: 16:30Z was already the next day there, not 23:30 of this one
    expect(localDateOf(new Date('1950-01-01T16:30:00Z'), WIB)).toBe(luxonDate(new Date('1950-01-01T16:30:00Z'), WIB));
    expect(localDateOf(new Date('1950-01-01T16:30:00Z'), WIB)).toBe('1950-01-02');
  });

  it.each(['2025-02-30T00:00:00Z', '2025-13-01T00:00:00+07:00', '2025-01-01T23:60:00Z', 'yesterday'])('given the impossible %s, is refused', (input) => {
    expect(() => localDateOf(input, WIB)).toThrow(expect.objectContaining({ code: 'CALENDAR_INVALID_INPUT' }));
  });

  it('given a bare date, is that date in any zone', () => {
    for (const z of INDONESIAN_ZONES) expect(localDateOf('2025-12-31', z)).toBe('2025-12-31');
  });
});
