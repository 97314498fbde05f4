import { exportTable, reportFilename, yearlyReport } from '../src';
import { NTT_2024, NTT_TOTAL_2024, NTT_UNITS_2024, readSheet, sampleTable } from './support';

const named = (title: string, scope: string, period = NTT_2024.period) => ({ title, scope, period });

describe('exporting a table for download', () => {
  const table = { ...sampleTable(), title: 'Rekapitulasi Kinerja Unit' };

  it('given the XLSX format, then the body is a workbook with its content type and a name that says what, for whom and when', async () => {
    const file = await exportTable(table, 'xlsx');
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.filename).toBe('rekapitulasi-kinerja-unit_pemprov-ntt_2024-01-01_2024-12-31.xlsx');
    expect(file.body.subarray(0, 2).toString('latin1')).toBe('PK');
    expect((await readSheet(file.body)).name).toBe('Rekapitulasi Kinerja Unit');
  });

  it('given the CSV format, then the body is UTF-8 with a BOM and the name ends in .csv', async () => {
    const file = await exportTable(yearlyReport(NTT_2024, NTT_UNITS_2024, NTT_TOTAL_2024), 'csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    expect(file.filename).toBe('rekapitulasi-pengaduan_pemprov-ntt_2024-01-01_2024-12-31.csv');
    expect([...file.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.body.toString('utf8')).toContain('Dinas Pendidikan dan Kebudayaan Provinsi NTT');
  });
});

describe('the download’s file name', () => {
  it.each([
    ['Rekapitulasi Kinerja Unit', 'Pemerintah Provinsi Nusa Tenggara Timur', 'rekapitulasi-kinerja-unit_pemprov-ntt'],
    ['Rekapitulasi Topik', 'Pemerintah Provinsi Kalimantan Timur', 'rekapitulasi-topik_pemprov-kaltim'],
    ['Kinerja Admin', 'Pemerintah Kabupaten Lombok Tengah', 'kinerja-admin_pemkab-lombok-tengah'],
    ['Statistik Periode', 'Pemerintah Kota Batam', 'statistik-periode_pemkot-batam'],
    ['Statistik Periode', 'Kabupaten Sumba Barat', 'statistik-periode_kabupaten-sumba-barat'],
    ['Rekap %TL: Unit/Bidang', 'Dinas Kesehatan Provinsi Sulawesi Tenggara', 'rekap-tl-unit-bidang_dinas-kesehatan-provinsi-sultra'],
    ['Rekapitulasi Pengaduan', 'Pemerintah Kota Baubau (Sultra) — “Ibu Kota”', 'rekapitulasi-pengaduan_pemkot-baubau-sultra-ibu-kota'],
  ])('given %j for %j, then the name starts %j', (title, scope, start) => {
    expect(reportFilename(named(title, scope), 'xlsx')).toBe(`${start}_2024-01-01_2024-12-31.xlsx`);
  });

  it('given accented letters, then the name is plain ASCII', () => {
    expect(reportFilename(named('Rékapitulasi', 'Sekretariat DPRD'), 'csv')).toBe('rekapitulasi_sekretariat-dprd_2024-01-01_2024-12-31.csv');
  });

  it('given a very long scope, then its part is cut at a word, and the period is kept', () => {
    const filename = reportFilename(named('Kinerja Admin', 'Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Republik Indonesia'), 'xlsx');
    expect(filename).toBe('kinerja-admin_kementerian-pendayagunaan-aparatur-negara-dan-reformasi_2024-01-01_2024-12-31.xlsx');
  });

  it('given a period that is not two ordered ISO dates, then no name is made', () => {
    expect(() => reportFilename(named('Kinerja Admin', 'Pemerintah Kota Batam', { from: '2024-02-30', to: '2024-03-01' }), 'csv')).toThrow(RangeError);
    expect(() => reportFilename(named('Kinerja Admin', 'Pemerintah Kota Batam', { from: '2024-06-01', to: '2024-01-01' }), 'csv')).toThrow(RangeError);
  });
});
