import type { Worksheet } from 'exceljs';
import { toXlsx } from '../src';
import { sheetName } from '../src/xlsx';
import { readSheet, sampleTable } from './support';

const HEADER = 6;
const FIRST_ROW = 7;
const text = (sheet: Worksheet, address: string) => sheet.getCell(address).value;

describe('XLSX export: the heading block', () => {
  it('given a table, when opened, then the sheet carries its title, and the top rows say what, where and when', async () => {
    const sheet = await readSheet(await toXlsx(sampleTable({ title: 'Rekapitulasi Kinerja Unit' })));
    expect(sheet.name).toBe('Rekapitulasi Kinerja Unit');
    expect(text(sheet, 'A1')).toBe('Rekapitulasi Kinerja Unit');
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(text(sheet, 'A2')).toBe('Pemerintah Provinsi Nusa Tenggara Timur');
    expect(text(sheet, 'A3')).toBe('Periode: 01 Januari 2024 s.d. 31 Desember 2024');
    expect(text(sheet, 'A4')).toBe('Keadaan per: 31 Desember 2024 23.59 WITA');
    expect(text(sheet, 'A5')).toBeNull();
  });

  it('given the same moment in another zone, then the as-of line shows that zone’s clock and label', async () => {
    const sheet = await readSheet(await toXlsx(sampleTable({ timeZone: 'WIB', period: { from: '2024-03-01', to: '2024-08-17' } })));
    expect(text(sheet, 'A3')).toBe('Periode: 01 Maret 2024 s.d. 17 Agustus 2024');
    expect(text(sheet, 'A4')).toBe('Keadaan per: 31 Desember 2024 22.59 WIB');
  });

  it('given a period that ends before it starts, then the export refuses', async () => {
    await expect(toXlsx(sampleTable({ period: { from: '2024-12-31', to: '2024-01-01' } }))).rejects.toThrow(RangeError);
  });
});

describe('XLSX export: the table', () => {
  it('given a table, when opened, then the bold header row is frozen in view and filterable', async () => {
    const sheet = await readSheet(await toXlsx(sampleTable()));
    expect(sheet.getRow(HEADER).values).toEqual([undefined, 'Unit Kerja', 'Jumlah', 'RTL', 'RHP', '%TL', 'Terakhir Dilihat']);
    expect(sheet.getCell(`A${HEADER}`).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER });
    expect(sheet.autoFilter).toBe(`A${HEADER}:F${FIRST_ROW}`);
  });

  it('given numbers, then they are numeric cells with the column’s number format, a percent already ×100', async () => {
    const sheet = await readSheet(await toXlsx(sampleTable()));
    const cells = ['B', 'C', 'D', 'E'].map((column) => sheet.getCell(`${column}${FIRST_ROW}`));
    expect(cells.map((cell) => typeof cell.value)).toEqual(['number', 'number', 'number', 'number']);
    expect(cells.map((cell) => cell.value)).toEqual([2, 4, 4.5, 87.5]);
    expect(cells.map((cell) => cell.numFmt)).toEqual(['0', '0.0', '0.00', '0.00']);
  });

  it('given a moment, then the cell is a real date holding the wall clock of the table’s zone', async () => {
    const sheet = await readSheet(await toXlsx(sampleTable({ rows: [{ seen: '2025-02-04T06:26:48Z' }] })));
    const cell = sheet.getCell(`F${FIRST_ROW}`);
    expect(cell.value).toBeInstanceOf(Date);
    // Excel dates have no zone: the cell reads 2025-02-04 14:26:48, as the WITA clock did (the seeds' format)
    expect((cell.value as Date).toISOString()).toBe('2025-02-04T14:26:48.000Z');
    expect(cell.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
  });

  it('given nulls, then the cells are left empty rather than zero', async () => {
    const sheet = await readSheet(await toXlsx(sampleTable({ rows: [{ name: 'Dinas Sosial', count: null }] })));
    expect(sheet.getCell(`B${FIRST_ROW}`).value).toBeNull();
  });

  it('given a total row, then it is the bold last row, outside the filter so sorting keeps it at the bottom', async () => {
    const totalRow = { name: 'Jumlah', count: 2, tl: 87.5 };
    const sheet = await readSheet(await toXlsx(sampleTable({ totalRow })));
    const last = sheet.getRow(FIRST_ROW + 1);
    expect(last.values).toEqual([undefined, 'Jumlah', 2, undefined, undefined, 87.5]);
    expect(last.getCell(1).font?.bold).toBe(true);
    expect(last.getCell(2).font?.bold).toBe(true);
    expect(sheet.getRow(FIRST_ROW).getCell(1).font?.bold).toBeFalsy();
    expect(sheet.autoFilter).toBe(`A${HEADER}:F${FIRST_ROW}`);
  });

  it('given a long unit name, then its column is wide enough to read, within reason', async () => {
    const long = 'Dinas Pemberdayaan Perempuan dan Perlindungan Anak Provinsi Nusa Tenggara Timur';
    const sheet = await readSheet(await toXlsx(sampleTable({ rows: [{ name: long }] })));
    expect(sheet.getColumn(1).width).toBe(60);
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual('Jumlah'.length);
    expect(sheet.getColumn(6).width).toBeGreaterThanOrEqual('Terakhir Dilihat'.length);
  });
});

describe('XLSX export: the sheet name', () => {
  it.each([
    ['Rekapitulasi Kinerja Unit', 'Rekapitulasi Kinerja Unit'],
    ['Rekap [Triwulan I]: Unit/Bidang?*\\', 'Rekap Triwulan I Unit Bidang'],
    ['Rekapitulasi Kinerja Unit di Bawah Pemerintah Provinsi', 'Rekapitulasi Kinerja Unit di Ba'],
    ["'Kutipan'", 'Kutipan'],
    ['History', 'Laporan'],
    ['???', 'Laporan'],
  ])('given the title %j, then the sheet is named %j, which Excel accepts', (title, name) => {
    expect(sheetName(title)).toBe(name);
    expect(name.length).toBeLessThanOrEqual(31);
  });

  it('given a title with forbidden characters, then the workbook still opens', async () => {
    const sheet = await readSheet(await toXlsx(sampleTable({ title: 'Rekap: Januari/Februari' })));
    expect(sheet.name).toBe('Rekap Januari Februari');
    expect(text(sheet, 'A1')).toBe('Rekap: Januari/Februari');
  });
});
