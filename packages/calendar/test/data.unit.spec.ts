import { loadCalendar, readDataDirectory, BUNDLED_DATA_DIR } from '../src';

// The bundled data: every year names its decree, every revision is locked, and the counts match
// what each SKB announced. A failure here after editing data/ means: amend, then lock.

const everything = loadCalendar({ includeProvisional: true });
const count = (year: number, kind: string) => everything.holidaysIn(year).filter((day) => day.kind === kind).length;

describe('bundled holiday data', () => {
  it('covers 2024-2026 from decrees and 2027 only as a provisional estimate', () => {
    expect(loadCalendar().years).toEqual([2024, 2025, 2026]);
    expect(everything.describe().map(({ year, status }) => [year, status])).toEqual([
      [2024, 'official'],
      [2025, 'official'],
      [2026, 'official'],
      [2027, 'provisional'],
    ]);
  });

  it('has every revision locked in data/manifest.json (run `pnpm --filter @lapor/calendar lock` after an amendment)', () => {
    for (const summary of everything.describe()) {
      expect({ year: summary.year, locked: summary.lockedRevisions }).toEqual({ year: summary.year, locked: summary.revisions });
    }
  });

  it('names the decree behind every official revision', () => {
    expect(everything.describe().map(({ year, decrees }) => [year, decrees])).toEqual([
      [
        2024,
        [
          'SKB Nomor 855 Tahun 2023, Nomor 3 Tahun 2023, Nomor 4 Tahun 2023 (2023-09-12)',
          'KEPPRES Nomor 10 Tahun 2024 (2024-02-06)',
          'KEPPRES Nomor 33 Tahun 2024 (2024-11-21)',
        ],
      ],
      [
        2025,
        [
          'SKB Nomor 1017 Tahun 2024, Nomor 2 Tahun 2024, Nomor 2 Tahun 2024 (2024-10-14)',
          'SKB Nomor 933 Tahun 2025, Nomor 1 Tahun 2025, Nomor 3 Tahun 2025 (2025-08-07)',
        ],
      ],
      [2026, ['SKB Nomor 1497 Tahun 2025, Nomor 2 Tahun 2025, Nomor 5 Tahun 2025 (2025-09-19)']],
      [2027, ['perkiraan (belum ada SKB)']],
    ]);
  });

  it('matches the counts each decree announced', () => {
    // 2024: 17 libur nasional (Idul Fitri is two) + 2 voting days by Keppres; 10 cuti bersama
    expect([count(2024, 'libur_nasional'), count(2024, 'cuti_bersama')]).toEqual([19, 10]);
    // 2025: 17 + 10, and 18 August added by the amending SKB
    expect([count(2025, 'libur_nasional'), count(2025, 'cuti_bersama')]).toEqual([17, 11]);
    // 2026: 17 + 8
    expect([count(2026, 'libur_nasional'), count(2026, 'cuti_bersama')]).toEqual([17, 8]);
    // 2027: no cuti bersama is known before the SKB
    expect(count(2027, 'cuti_bersama')).toBe(0);
  });

  it('dates Idul Fitri as the government did (not as date-holidays does for 2025)', () => {
    const idulFitri = (year: number) =>
      everything
        .holidaysIn(year)
        .filter((day) => day.kind === 'libur_nasional' && /Idul ?[Ff]itri/.test(day.name))
        .map((day) => day.date);
    expect(idulFitri(2024)).toEqual(['2024-04-10', '2024-04-11']);
    expect(idulFitri(2025)).toEqual(['2025-03-31', '2025-04-01']);
    expect(idulFitri(2026)).toEqual(['2026-03-21', '2026-03-22']);
  });

  it('reads the same data however the bundled directory is loaded', () => {
    expect(readDataDirectory(BUNDLED_DATA_DIR).map((data) => data.year)).toEqual([2024, 2025, 2026, 2027]);
    expect(loadCalendar({ dataDir: BUNDLED_DATA_DIR }).version).toBe(loadCalendar().version);
  });
});
