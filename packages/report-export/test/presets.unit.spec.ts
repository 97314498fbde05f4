import {
  adminPerformanceReport,
  periodStatisticsReport,
  routingReport,
  toCsv,
  toXlsx,
  topicRecapReport,
  breachReport,
  unitRecapReport,
  yearlyReport,
  type ReportTable,
} from '../src';
import { completedUnit, csvRecords, NTT_2024, NTT_TOTAL_2024, NTT_UNITS_2024, readSheet } from './support';

const headings = (table: ReportTable) => table.columns.map((column) => column.heading);

describe('the NTT 2024 yearly report table', () => {
  const table = yearlyReport(NTT_2024, NTT_UNITS_2024, NTT_TOTAL_2024);

  it('given the 14 units of the NTT 2024 report, then the table has the report’s columns, a numbered row each and a Jumlah line', () => {
    expect(table.title).toBe('Rekapitulasi Pengaduan');
    expect(headings(table)).toEqual([
      'No',
      'Perangkat Daerah',
      'Total',
      'Selesai',
      'Proses',
      'Belum ditindaklanjuti',
      'Belum terverifikasi',
      '% Tindak Lanjut',
    ]);
    expect(table.rows).toHaveLength(14);
    expect(table.rows.map((row) => row.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(table.totalRow).toMatchObject({ name: 'Jumlah', total: 44, selesai: 44, proses: 0, persenTindakLanjut: 100 });
  });

  it('given the units, then their Total and Selesai add up to the Jumlah line: 44 and 44', () => {
    const sum = (key: string) => table.rows.reduce((total, row) => total + (row[key] as number), 0);
    expect([sum('total'), sum('selesai')]).toEqual([table.totalRow!.total, table.totalRow!.selesai]);
    expect(sum('total')).toBe(44);
  });

  it('given the units in any order, then the busiest come first and ties keep the order given', () => {
    const shuffled = yearlyReport(NTT_2024, [...NTT_UNITS_2024].reverse(), NTT_TOTAL_2024);
    expect(shuffled.rows.map((row) => row.total)).toEqual([6, 6, 6, 6, 4, 4, 3, 2, 2, 1, 1, 1, 1, 1]);
    expect(shuffled.rows[0]!.name).toBe('Dinas Koperasi, Tenaga Kerja dan Transmigrasi Provinsi Nusa Tenggara Timur');
  });

  it('when downloaded as XLSX, then the Jumlah line reads 44, 44 and 100 as numbers, in bold, under the 14 units', async () => {
    const sheet = await readSheet(await toXlsx(table));
    const jumlah = sheet.getRow(6 + 14 + 1);
    expect(jumlah.values).toEqual([undefined, undefined, 'Jumlah', 44, 44, 0, 0, 0, 100]);
    expect(jumlah.getCell(4).font?.bold).toBe(true);
    expect(sheet.getCell('C7').value).toBe(6);
    expect(sheet.getCell('A20').value).toBe(14);
  });

  it('when downloaded as CSV, then the unit name with a comma stays one field and the last line is the Jumlah', () => {
    const records = csvRecords(toCsv(table));
    expect(records).toHaveLength(1 + 14 + 1);
    expect(records[4]).toBe('4,"Dinas Koperasi, Tenaga Kerja dan Transmigrasi Provinsi Nusa Tenggara Timur",6,6,0,0,0,100');
    expect(records.at(-1)).toBe(',Jumlah,44,44,0,0,0,100');
  });
});

describe('Rekapitulasi Kinerja Unit', () => {
  it('given unit rows and the province’s roll-up, then the table has the dashboard’s columns and the roll-up as Jumlah, Terakhir Dilihat included', () => {
    const dinasSosial = completedUnit('Dinas Sosial Provinsi Nusa Tenggara Timur', 2, '2025-01-20T17:53:55Z');
    const table = unitRecapReport(NTT_2024, [dinasSosial], NTT_TOTAL_2024);
    expect(headings(table)).toEqual([
      'No',
      'Unit Kerja',
      'Belum Terverifikasi',
      'Belum Ditindaklanjuti',
      'Proses',
      'Selesai',
      'Tunda',
      'Arsip',
      'Total',
      '%TL',
      'RTL',
      'RHP',
      'RV',
      'Terakhir Dilihat',
    ]);
    expect(csvRecords(toCsv(table)).slice(1)).toEqual([
      // the seed's own rows: Dinas Sosial last seen 2025-01-21 01:53:55, the province 2025-02-04 14:26:48 (WITA)
      '1,Dinas Sosial Provinsi Nusa Tenggara Timur,0,0,0,2,0,0,2,100,0,0,0,2025-01-21 01:53:55',
      ',Jumlah,0,0,0,44,0,4,44,100,7.1,5,0,2025-02-04 14:26:48',
    ]);
  });

  it('given no roll-up, then there is no Jumlah line', () => {
    expect(unitRecapReport(NTT_2024, NTT_UNITS_2024).totalRow).toBeUndefined();
  });
});

describe('Kinerja Admin', () => {
  const admin = {
    accountId: 'acc-7',
    username: 'Admin Provinsi Ntt2',
    nodeId: 'ntt',
    nodeName: 'Pemerintah Provinsi Nusa Tenggara Timur',
    lastSignInAt: '2024-12-12T00:40:57Z',
    verifiedWithin3Days: 22,
    verifiedAfter3Days: 20,
    averageVerificationDays: 6.9,
    verifications: 42,
    postponements: 0,
    archivings: 3,
  };

  it('given the NTT admin of 2024, then the row reads as on the dashboard, the login in WITA', () => {
    const table = adminPerformanceReport(NTT_2024, [admin]);
    expect(table.title).toBe('Kinerja Admin');
    expect(csvRecords(toCsv(table))).toEqual([
      'No,Nama Admin,Instansi/Unit,Login Terakhir,Verifikasi ≤ 3 Hari,Verifikasi > 3 Hari,Rata-rata Verifikasi (Hari),Verifikasi,Tunda,Arsip',
      '1,Admin Provinsi Ntt2,Pemerintah Provinsi Nusa Tenggara Timur,2024-12-12 08:40:57,22,20,6.9,42,0,3',
    ]);
  });

  it('given an admin whose name was erased and who never signed in, then the row shows the account id and an empty login', () => {
    const table = adminPerformanceReport(NTT_2024, [{ ...admin, username: null, lastSignInAt: null }]);
    expect(table.rows[0]).toMatchObject({ name: 'acc-7', lastSignInAt: null });
  });
});

describe('Statistik Periode', () => {
  it('given monthly figures, then each month is named in Indonesian and the averages keep two decimals', async () => {
    const month = (value: string, received: number) => ({
      month: value,
      received,
      completed: 0,
      disposedWithin5Days: 32,
      disposedAfter5Days: 11,
      followedUpWithin5Days: 30,
      followedUpAfter5Days: 2,
      completedWithin5Days: 0,
      completedAfter5Days: 0,
      averageHandlingDays: 0,
      averageReportsPerDay: 0.26,
      reporters: 380955,
      slaBreaches: { verification: 1, firstFollowUp: 0, completion: 2 },
    });
    const table = periodStatisticsReport(NTT_2024, [month('2024-01', 43), month('2024-12', 3)]);
    expect(table.rows.map((row) => row.month)).toEqual(['Januari 2024', 'Desember 2024']);
    const sheet = await readSheet(await toXlsx(table));
    expect(sheet.getCell('A7').value).toBe('Januari 2024');
    expect(sheet.getCell('J7')).toMatchObject({ value: 0.26, numFmt: '0.00' });
    expect(sheet.getCell('N7').value).toBe(2);
    expect(() => periodStatisticsReport(NTT_2024, [month('2024-13', 1)])).toThrow(RangeError);
  });
});

describe('Rekapitulasi Topik', () => {
  it('given the Kalimantan Timur units, then each row names its main topics and a Jumlah line adds up the counts', () => {
    const unit = (name: string, proses: number, selesai: number, topics: string[]) => ({
      nodeId: name,
      name,
      belumTerverifikasi: 0,
      belumDitindaklanjuti: 0,
      proses,
      selesai,
      total: proses + selesai,
      topics: topics.map((category, index) => ({ category, categoryId: null, count: 10 - index })),
    });
    const table = topicRecapReport({ ...NTT_2024, scope: 'Pemerintah Provinsi Kalimantan Timur' }, [
      unit('Dinas Pendidikan', 2, 149, ['YAYASAN MELATI', 'PUNGLI']),
      unit('Dinas PU PERA', 1, 6, ['PERBAIKAN JALAN', 'PENGALIHAN JALAN', 'BENDUNGAN']),
    ]);
    expect(headings(table)).toEqual(['No', 'Instansi', 'Belum Ditindaklanjuti', 'Proses', 'Selesai', 'Total', 'Keterangan']);
    expect(csvRecords(toCsv(table)).slice(1)).toEqual([
      '1,Dinas Pendidikan,0,2,149,151,"YAYASAN MELATI, PUNGLI"',
      '2,Dinas PU PERA,0,1,6,7,"PERBAIKAN JALAN, PENGALIHAN JALAN, BENDUNGAN"',
      ',Jumlah,0,3,155,158,',
    ]);
  });
});

describe('Rekapitulasi Penerusan Laporan (no wrong door)', () => {
  it('given a unit that sent reports back, then its returns, bounce rate and days lost are shown', () => {
    const table = routingReport(NTT_2024, [
      { nodeId: 'pupr', name: 'Dinas PUPR', dispositionsReceived: 8, returned: 2, bounceRate: 25, averageDaysLostPerReturn: 3.25 },
    ]);
    expect(csvRecords(toCsv(table))).toEqual([
      'No,Unit Kerja,Disposisi Diterima,Dikembalikan (Bukan Wewenang),Persentase Dikembalikan (%),Rata-rata Hari Terbuang per Pengembalian',
      '1,Dinas PUPR,8,2,25,3.3',
    ]);
  });
});

describe('Rekapitulasi Keterlambatan (SLA breaches)', () => {
  it('given units that missed deadlines, then each stage has its column and the roll-up closes the table as Jumlah', () => {
    const row = (nodeId: string, name: string, verification: number, firstFollowUp: number, completion: number) => ({
      nodeId,
      name,
      verification,
      firstFollowUp,
      completion,
      total: verification + firstFollowUp + completion,
      averageWorkingDaysLate: 2.25,
    });
    const table = breachReport(NTT_2024, [row('pupr', 'Dinas PUPR', 0, 2, 1)], row('ntt', 'Pemprov NTT', 3, 2, 1));
    expect(csvRecords(toCsv(table))).toEqual([
      'No,Unit Kerja,Lewat Batas Verifikasi,Lewat Batas Tindak Lanjut Pertama,Lewat Batas Penyelesaian,Jumlah,Rata-rata Keterlambatan (Hari Kerja)',
      '1,Dinas PUPR,0,2,1,3,2.3',
      ',Jumlah,3,2,1,6,2.3',
    ]);
  });
});
