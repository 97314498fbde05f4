import { toCsv } from '../src';
import { csvRecords, sampleTable } from './support';

const textTable = (...names: string[]) => sampleTable({ columns: [{ key: 'name', heading: 'Topik', type: 'text' }], rows: names.map((name) => ({ name })) });

describe('CSV export: a file Excel opens right', () => {
  it('given any table, when exported, then it starts with a UTF-8 BOM and ends every record with CRLF', () => {
    const csv = toCsv(sampleTable());
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('given a table, when exported, then one header row of the Indonesian headings comes before the rows', () => {
    expect(csvRecords(toCsv(sampleTable()))).toEqual(['Unit Kerja,Jumlah,RTL,RHP,%TL,Terakhir Dilihat', 'Dinas Sosial,2,4,4.5,87.5,2025-01-21 01:53:55']);
  });

  it('given a total row, when exported, then it is the last record', () => {
    const csv = toCsv(sampleTable({ totalRow: { name: 'Jumlah', count: 2, rtl: null, rhp: null, tl: 87.5, seen: null } }));
    expect(csvRecords(csv).at(-1)).toBe('Jumlah,2,,,87.5,');
  });
});

describe('CSV export: values', () => {
  it('given numbers, then they are plain with a dot for decimals, rounded to the column, and a percent is the bare number', () => {
    const csv = toCsv(sampleTable({ rows: [{ name: 'A', count: 1234, rtl: 7.1000000001, rhp: 4.999, tl: 100, seen: null }] }));
    expect(csvRecords(csv)[1]).toBe('A,1234,7.1,5,100,');
  });

  it('given nulls and missing fields, then the cells are empty', () => {
    expect(csvRecords(toCsv(sampleTable({ rows: [{ name: null }] })))[1]).toBe(',,,,,');
  });

  it('given a moment in UTC, then it is shown on the wall clock of the table’s zone, to the second as in the seeds', () => {
    const seen = '2025-02-04T06:26:48Z';
    const row = (timeZone: 'WIB' | 'WITA' | 'WIT') => csvRecords(toCsv(sampleTable({ timeZone, rows: [{ seen }] })))[1];
    expect(row('WIB')).toBe(',,,,,2025-02-04 13:26:48');
    expect(row('WITA')).toBe(',,,,,2025-02-04 14:26:48');
    expect(row('WIT')).toBe(',,,,,2025-02-04 15:26:48');
  });

  it('given text in a number column or a bad date-time, then the export refuses instead of writing a wrong cell', () => {
    expect(() => toCsv(sampleTable({ rows: [{ count: '12' }] }))).toThrow(TypeError);
    expect(() => toCsv(sampleTable({ rows: [{ seen: 'kemarin' }] }))).toThrow(RangeError);
  });
});

describe('CSV export: escaping (RFC 4180)', () => {
  it('given a comma, a quote or a line break in a name, then the field is quoted and quotes are doubled', () => {
    const csv = toCsv(textTable('Dinas Koperasi, Tenaga Kerja dan Transmigrasi', 'Jalan "rusak" berat', 'baris satu\nbaris dua', 'tanpa tanda'));
    expect(csv).toBe('\uFEFFTopik\r\n"Dinas Koperasi, Tenaga Kerja dan Transmigrasi"\r\n"Jalan ""rusak"" berat"\r\n"baris satu\nbaris dua"\r\ntanpa tanda\r\n');
  });
});

describe('CSV export: formula injection', () => {
  it.each([
    ['=HYPERLINK("http://x","klik")', `"'=HYPERLINK(""http://x"",""klik"")"`],
    ['+6281234567', `'+6281234567`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `"'\r=1+1"`],
  ])('given a text cell %j, then it is written as %s, which a spreadsheet shows as text', (text, written) => {
    expect(toCsv(textTable(text))).toBe(`\uFEFFTopik\r\n${written}\r\n`);
  });

  it('given a negative number in a number column, then it stays a number', () => {
    expect(csvRecords(toCsv(sampleTable({ rows: [{ count: -3 }] })))[1]).toBe(',-3,,,,');
  });

  it('given a formula-like character inside a text, then the text is left alone', () => {
    expect(toCsv(textTable('PUNGLI = pungutan liar'))).toBe('\uFEFFTopik\r\nPUNGLI = pungutan liar\r\n');
  });
});
