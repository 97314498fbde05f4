import { join } from 'node:path';
import { BUNDLED_DATA_DIR, Calendar, loadCalendar, UnknownCalendarVersionError, WIB, WITA, YearConflictError } from '../src';
import { amendment, cuti, libur, officialBase, readJsonFile, yearFile } from './support';

// A calendar is an immutable snapshot with a version; new data makes a new calendar.

const bundled = loadCalendar();
const year2028 = yearFile(2028, officialBase([libur('2028-01-03', 'Uji')], 'Nomor 9 Tahun 2027'));

describe('calendar versions', () => {
  it('names the revisions used and a digest of their content', () => {
    expect(bundled.version).toMatch(/^cal1:2024r3\.2025r2\.2026r1:[0-9a-f]{16}$/);
    expect(loadCalendar({ includeProvisional: true }).version).toMatch(/^cal1:2024r3\.2025r2\.2026r1\.2027r1:[0-9a-f]{16}$/);
    expect(loadCalendar().version).toBe(bundled.version); // deterministic
  });

  it('travels with every deadline the scheduler stores', () => {
    expect(bundled.deadlineRecord('2025-12-24T08:00:00+08:00', 5, WITA)).toEqual({
      dueAt: '2026-01-05T23:59:59.999+08:00',
      calendarVersion: bundled.version,
      workingDays: 5,
      zone: WITA,
    });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(bundled)).toBe(true);
  });
});

describe('withYear', () => {
  it('returns a new calendar with a new version and leaves the old one unchanged', () => {
    const extended = bundled.withYear(year2028);
    expect(extended).not.toBe(bundled);
    expect(extended.version).not.toBe(bundled.version);
    expect(extended.isWorkingDay('2028-01-03', WIB)).toBe(false);
    expect(() => bundled.isWorkingDay('2028-01-03', WIB)).toThrow(expect.objectContaining({ code: 'CALENDAR_YEAR_MISSING' }));
  });

  it('is a no-op for data it already has', () => {
    const extended = bundled.withYear(year2028);
    expect(extended.withYear(year2028)).toBe(extended);
    expect(bundled.withYear(readJsonFile(join(BUNDLED_DATA_DIR, '2026.json')))).toBe(bundled);
  });

  it('refuses to replace a loaded year unless the new data is an amendment of it', () => {
    const rewritten = yearFile(2028, officialBase([libur('2028-01-04', 'Uji')], 'Nomor 9 Tahun 2027'));
    const extended = bundled.withYear(year2028);
    expect(() => extended.withYear(rewritten)).toThrow(YearConflictError);

    const amended = { ...year2028, revisions: [...year2028.revisions, amendment([cuti('2028-01-04')])] };
    const twiceExtended = extended.withYear(amended);
    expect(twiceExtended.isWorkingDay('2028-01-04', WIB)).toBe(false);
    expect(extended.isWorkingDay('2028-01-04', WIB)).toBe(true);
    expect(() => twiceExtended.withYear(year2028)).toThrow(/already has 2/); // an older copy is no amendment
  });

  it('replaces a provisional estimate by the official SKB, as an appended revision', () => {
    const estimate = yearFile(2030, { type: 'base', status: 'provisional', basis: 'perkiraan', days: [libur('2030-01-01')] });
    const withEstimate = Calendar.fromYearFiles([estimate], { includeProvisional: true });
    const official = { ...estimate, revisions: [...estimate.revisions, officialBase([libur('2030-01-01'), cuti('2030-01-02')])] };
    const withSkb = withEstimate.withYear(official);
    expect(withSkb.describe()[0]).toMatchObject({ status: 'official', revisions: 2 });
    expect(withSkb.isWorkingDay('2030-01-02', WIB)).toBe(false);
    expect(withEstimate.isWorkingDay('2030-01-02', WIB)).toBe(true);
  });

  it('will not silently add a provisional year to a calendar that excludes them', () => {
    const estimate = yearFile(2030, { type: 'base', status: 'provisional', basis: 'perkiraan', days: [] });
    expect(() => bundled.withYear(estimate)).toThrow(/provisional/);
  });
});

describe('forVersion', () => {
  it('rebuilds an older calendar from newer data: deadlines computed with it do not move', () => {
    // Before the amending SKB of 7 August 2025, 18 August 2025 was a working day.
    const file2025 = readJsonFile(join(BUNDLED_DATA_DIR, '2025.json'));
    const beforeAmendment = Calendar.fromYearFiles([{ ...file2025, revisions: file2025.revisions.slice(0, 1) }]);
    const storedDeadline = beforeAmendment.deadline('2025-08-15T10:00:00+07:00', 1, WIB).toISO();
    expect(storedDeadline).toBe('2025-08-18T23:59:59.999+07:00');
    expect(bundled.deadline('2025-08-15T10:00:00+07:00', 1, WIB).toISO()).toBe('2025-08-19T23:59:59.999+07:00');

    const rebuilt = bundled.forVersion(beforeAmendment.version);
    expect(rebuilt.version).toBe(beforeAmendment.version);
    expect(rebuilt.deadline('2025-08-15T10:00:00+07:00', 1, WIB).toISO()).toBe(storedDeadline);
  });

  it('returns itself for its own version', () => {
    expect(bundled.forVersion(bundled.version)).toBe(bundled);
  });

  it('refuses what it cannot reproduce', () => {
    expect(() => bundled.forVersion('v2')).toThrow(UnknownCalendarVersionError);
    expect(() => bundled.forVersion(bundled.version.replace(/:[0-9a-f]{16}$/, ':0000000000000000'))).toThrow(/different content/);
    expect(() => bundled.forVersion(bundled.version.replace('2026r1', '2026r2'))).toThrow(/2026 has 1 revision/);
    expect(() => bundled.forVersion(bundled.withYear(year2028).version)).toThrow(/2028 has 0 revision/);
  });
});
