import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadCalendar, lockDirectory, PublishedYearChangedError, readDataDirectory, WIB, YearConflictError } from '../src';
import { amendment, cuti, emptyDir, libur, officialBase, readJsonFile, scratchDataDir, writeJsonFile, yearFile } from './support';

// The guard that keeps published years from changing silently: an in-place edit of a locked
// revision fails the load; an appended amendment loads, changes the version, and can be locked.

let scratch: { dir: string; cleanup: () => void };
beforeEach(() => {
  scratch = scratchDataDir();
});
afterEach(() => scratch.cleanup());

const file = (year: number) => join(scratch.dir, `${year}.json`);

describe('the manifest guard', () => {
  it('a scratch copy of the bundled data loads as the same calendar', () => {
    expect(loadCalendar({ dataDir: scratch.dir }).version).toBe(loadCalendar().version);
  });

  it('an edited published revision fails the load', () => {
    const data = readJsonFile(file(2025));
    data.revisions[0].days.find((day: { date: string }) => day.date === '2025-04-07').date = '2025-04-08';
    writeJsonFile(file(2025), data);
    expect(() => loadCalendar({ dataDir: scratch.dir })).toThrow(PublishedYearChangedError);
    expect(() => loadCalendar({ dataDir: scratch.dir })).toThrow(expect.objectContaining({ year: 2025, revision: 1 }));
  });

  it('even a changed name counts as a change', () => {
    const data = readJsonFile(file(2026));
    data.revisions[0].days[0].name = 'Tahun Baru';
    writeJsonFile(file(2026), data);
    expect(() => loadCalendar({ dataDir: scratch.dir })).toThrow(/Published holiday data for 2026 changed at revision 1/);
  });

  it('re-indenting a file is not a change', () => {
    writeJsonFile(file(2024), readJsonFile(file(2024)), 4);
    expect(loadCalendar({ dataDir: scratch.dir }).version).toBe(loadCalendar().version);
  });

  it('dropping a published revision or a published year fails the load', () => {
    const data = readJsonFile(file(2025));
    writeJsonFile(file(2025), { ...data, revisions: data.revisions.slice(0, 1) });
    expect(() => loadCalendar({ dataDir: scratch.dir })).toThrow(expect.objectContaining({ year: 2025, revision: 2 }));
    rmSync(file(2025));
    expect(() => loadCalendar({ dataDir: scratch.dir })).toThrow(/the year file was removed/);
  });

  it('an appended amendment loads, changes the version, and is reported as not yet locked', () => {
    const before = loadCalendar({ dataDir: scratch.dir });
    const data = readJsonFile(file(2026));
    writeJsonFile(file(2026), { ...data, revisions: [...data.revisions, amendment([cuti('2026-08-18', 'Cuti Bersama (uji)')])] });
    const after = loadCalendar({ dataDir: scratch.dir });

    expect(after.version).not.toBe(before.version);
    expect(after.isWorkingDay('2026-08-18', WIB)).toBe(false);
    expect(before.isWorkingDay('2026-08-18', WIB)).toBe(true);
    expect(after.describe().find((summary) => summary.year === 2026)).toMatchObject({ revisions: 2, lockedRevisions: 1 });
    // and a deadline computed before the amendment is reproduced exactly from the newer data
    expect(after.forVersion(before.version).deadline('2026-08-17', 1, WIB).toISO()).toBe(before.deadline('2026-08-17', 1, WIB).toISO());
  });

  it('locking appends the new revision and never rewrites the published ones', () => {
    const lockedBefore = readJsonFile(join(scratch.dir, 'manifest.json')).years;
    const data = readJsonFile(file(2026));
    writeJsonFile(file(2026), { ...data, revisions: [...data.revisions, amendment([cuti('2026-08-18')])] });

    expect(lockDirectory(scratch.dir)).toEqual([{ year: 2026, newlyLocked: 1 }]);
    const lockedAfter = readJsonFile(join(scratch.dir, 'manifest.json')).years;
    expect(lockedAfter['2026'].slice(0, 1)).toEqual(lockedBefore['2026']);
    expect(lockedAfter['2026']).toHaveLength(2);
    expect({ ...lockedAfter, 2026: undefined }).toEqual({ ...lockedBefore, 2026: undefined });
    expect(readDataDirectory(scratch.dir).every((year) => year.lockedRevisions === year.revisions.length)).toBe(true);
  });

  it('locking refuses to launder an in-place edit', () => {
    const data = readJsonFile(file(2024));
    data.revisions[0].days.pop();
    writeJsonFile(file(2024), data);
    expect(() => lockDirectory(scratch.dir)).toThrow(PublishedYearChangedError);
  });
});

describe('the administrator directory (a new year without a release)', () => {
  let extra: { dir: string; cleanup: () => void };
  beforeEach(() => {
    extra = emptyDir();
  });
  afterEach(() => extra.cleanup());

  it('adds a year that the bundled data lacks', () => {
    writeJsonFile(join(extra.dir, '2028.json'), yearFile(2028, officialBase([libur('2028-01-03', 'Uji')], 'Nomor 9 Tahun 2027')));
    const calendar = loadCalendar({ extraDir: extra.dir });
    expect(calendar.years).toContain(2028);
    expect(calendar.isWorkingDay('2028-01-03', WIB)).toBe(false);
    expect(existsSync(join(extra.dir, 'manifest.json'))).toBe(false); // reading never writes
  });

  it('adds an amendment to a bundled year', () => {
    const data = readJsonFile(file(2026));
    writeJsonFile(join(extra.dir, '2026.json'), { ...data, revisions: [...data.revisions, amendment([cuti('2026-08-18')])] });
    expect(loadCalendar({ extraDir: extra.dir }).isWorkingDay('2026-08-18', WIB)).toBe(false);
  });

  it('ignores a stale copy of a bundled year but refuses one that rewrites it', () => {
    const data = readJsonFile(file(2025));
    writeJsonFile(join(extra.dir, '2025.json'), { ...data, revisions: data.revisions.slice(0, 1) });
    expect(loadCalendar({ extraDir: extra.dir }).version).toBe(loadCalendar().version);

    data.revisions[0].days.pop();
    writeJsonFile(join(extra.dir, '2025.json'), data);
    expect(() => loadCalendar({ extraDir: extra.dir })).toThrow(YearConflictError);
  });

  it('is checked against its own manifest once locked', () => {
    writeJsonFile(join(extra.dir, '2028.json'), yearFile(2028, officialBase([libur('2028-01-03')])));
    lockDirectory(extra.dir);
    writeJsonFile(join(extra.dir, '2028.json'), yearFile(2028, officialBase([libur('2028-01-04')])));
    expect(() => loadCalendar({ extraDir: extra.dir })).toThrow(PublishedYearChangedError);
  });

  it('must exist when configured', () => {
    expect(() => loadCalendar({ extraDir: join(extra.dir, 'missing') })).toThrow(/not found/);
  });
});
