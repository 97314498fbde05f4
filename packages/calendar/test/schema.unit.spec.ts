import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Calendar, CalendarDataInvalidError, loadCalendar } from '../src';
import { amendment, cuti, emptyDir, libur, officialBase, writeJsonFile, yearFile } from './support';

// Hand-edited data must fail loudly on load, with the reason.

const rejects = (file: unknown, reason: RegExp) => {
  expect(() => Calendar.fromYearFiles([file])).toThrow(CalendarDataInvalidError);
  expect(() => Calendar.fromYearFiles([file])).toThrow(reason);
};

describe('year file validation', () => {
  it('accepts a well-formed year', () => {
    expect(Calendar.fromYearFiles([yearFile(2030, officialBase([libur('2030-01-01'), cuti('2030-01-02')]))]).years).toEqual([2030]);
  });

  it('rejects a date outside the year', () => rejects(yearFile(2030, officialBase([libur('2031-01-01')])), /outside 2030/));
  it('rejects a date listed twice', () => rejects(yearFile(2030, officialBase([libur('2030-01-01'), cuti('2030-01-01')])), /listed twice/));
  it('rejects an impossible date', () => rejects(yearFile(2030, officialBase([libur('2030-02-30')])), /revisions\.0\.days\.0\.date/));
  it('rejects an unknown kind', () => rejects(yearFile(2030, officialBase([{ date: '2030-01-01', kind: 'libur_daerah', name: 'x' } as never])), /kind/));
  it('rejects a misspelt key', () => rejects(yearFile(2030, { ...officialBase([libur('2030-01-01')]), decre: 'x' }), /decre/));
  it('rejects an official base without its decree', () => {
    const { decree: _decree, ...withoutDecree } = officialBase([libur('2030-01-01')]);
    rejects(yearFile(2030, withoutDecree), /revisions\.0\.decree/);
  });
  it('rejects an amendment that removes a day that is not a holiday', () =>
    rejects(yearFile(2030, officialBase([libur('2030-01-01')]), amendment([], ['2030-01-02'])), /removes 2030-01-02/));
  it('rejects an amendment that adds a day that already is one', () =>
    rejects(yearFile(2030, officialBase([libur('2030-01-01')]), amendment([cuti('2030-01-01')])), /already a holiday/));
  it('rejects a second official base: a later SKB amends, it does not replace', () =>
    rejects(yearFile(2030, officialBase([libur('2030-01-01')]), officialBase([libur('2030-01-02')])), /only replace a provisional base/));
  it('rejects an amendment of a provisional estimate', () =>
    rejects(yearFile(2030, { type: 'base', status: 'provisional', basis: 'perkiraan', days: [] }, amendment([cuti('2030-01-02')])), /cannot be amended/));

  it('lets an amendment move a day by removing and re-adding it', () => {
    const calendar = Calendar.fromYearFiles([
      yearFile(2030, officialBase([libur('2030-01-01', 'Lama')]), amendment([libur('2030-01-01', 'Baru')], ['2030-01-01'])),
    ]);
    expect(calendar.holidaysIn(2030)).toEqual([{ date: '2030-01-01', kind: 'libur_nasional', name: 'Baru' }]);
  });

  it('rejects a file whose name does not match its year', () => {
    const { dir, cleanup } = emptyDir();
    try {
      writeJsonFile(join(dir, '2031.json'), yearFile(2030, officialBase([])));
      expect(() => loadCalendar({ dataDir: dir })).toThrow(/holds year 2030/);
      writeFileSync(join(dir, '2031.json'), '{ not json');
      expect(() => loadCalendar({ dataDir: dir })).toThrow(CalendarDataInvalidError);
    } finally {
      cleanup();
    }
  });
});
