import { Workbook, type Worksheet } from 'exceljs';
import type { ReportMeta, ReportTable, UnitRecapInput } from '../src';

// Shared fixtures: the NTT 2024 yearly report (seeds/000), and a reader for the workbooks we write.

export const NTT_2024: ReportMeta = {
  scope: 'Pemerintah Provinsi Nusa Tenggara Timur',
  period: { from: '2024-01-01', to: '2024-12-31' },
  asOf: '2024-12-31T15:59:00Z', // 23.59 WITA
  timeZone: 'WITA',
};

/** A unit with every complaint Selesai, as all 14 NTT units with complaints were in 2024. */
export function completedUnit(name: string, selesai: number, terakhirDilihat: string | null = null): UnitRecapInput {
  return {
    nodeId: name.toLowerCase().replaceAll(' ', '-'),
    name,
    belumTerverifikasi: 0,
    belumDitindaklanjuti: 0,
    proses: 0,
    selesai,
    tunda: 0,
    arsip: 0,
    total: selesai,
    persenTindakLanjut: selesai === 0 ? 0 : 100,
    rtl: 0,
    rhp: 0,
    rv: 0,
    terakhirDilihat,
  };
}

/** The 14 Perangkat Daerah that had complaints in the NTT 2024 report, with their Selesai counts. */
export const NTT_UNITS_2024: UnitRecapInput[] = (
  [
    ['Dinas Pendidikan dan Kebudayaan Provinsi NTT', 6],
    ['Badan Kepegawaian Daerah Provinsi NTT', 6],
    ['Dinas Pekerjaan Umum dan Perumahan Rakyat Provinsi Nusa Tenggara Timur', 6],
    ['Dinas Koperasi, Tenaga Kerja dan Transmigrasi Provinsi Nusa Tenggara Timur', 6],
    ['Dinas Kelautan dan Perikanan Provinsi Nusa Tenggara Timur', 4],
    ['Inspektorat Daerah Provinsi Nusa Tenggara Timur', 4],
    ['Dinas Perhubungan Provinsi Nusa Tenggara Timur', 3],
    ['Badan Penanggulangan Bencana Daerah Provinsi Nusa Tenggara Timur', 2],
    ['Dinas Sosial Provinsi Nusa Tenggara Timur', 2],
    ['Badan Pendapatan dan Aset Daerah Provinsi Nusa Tenggara Timur', 1],
    ['Dinas Pemberdayaan Masyarakat dan Desa Provinsi Nusa Tenggara Timur', 1],
    ['Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu', 1],
    ['Dinas Perindustrian dan Perdagangan Provinsi Nusa Tenggara Timur', 1],
    ['Dinas Pertanian dan Ketahanan Pangan Provinsi Nusa Tenggara Timur', 1],
  ] as const
).map(([name, selesai]) => completedUnit(name, selesai));

/** The province's own roll-up: 48 complaints, 44 Selesai and 4 Arsip, %TL 100, RTL 7.1, RHP 5.00. */
export const NTT_TOTAL_2024: UnitRecapInput = {
  ...completedUnit('Pemerintah Provinsi Nusa Tenggara Timur', 44, '2025-02-04T06:26:48Z'),
  arsip: 4,
  rtl: 7.1,
  rhp: 5,
};

/** A small hand-made table with one column of every type. */
export function sampleTable(overrides: Partial<ReportTable> = {}): ReportTable {
  return {
    ...NTT_2024,
    title: 'Contoh Tabel',
    columns: [
      { key: 'name', heading: 'Unit Kerja', type: 'text' },
      { key: 'count', heading: 'Jumlah', type: 'integer' },
      { key: 'rtl', heading: 'RTL', type: 'decimal1' },
      { key: 'rhp', heading: 'RHP', type: 'decimal2' },
      { key: 'tl', heading: '%TL', type: 'percent' },
      { key: 'seen', heading: 'Terakhir Dilihat', type: 'datetime' },
    ],
    rows: [{ name: 'Dinas Sosial', count: 2, rtl: 4, rhp: 4.5, tl: 87.5, seen: '2025-01-20T17:53:55Z' }],
    ...overrides,
  };
}

/** The workbook's only sheet, read back the way a spreadsheet program would. */
export async function readSheet(body: Buffer): Promise<Worksheet> {
  const workbook = new Workbook();
  // exceljs types its input as its own Buffer interface; a Node Buffer is what it reads at run time
  await workbook.xlsx.load(body as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  expect(workbook.worksheets).toHaveLength(1);
  return workbook.worksheets[0]!;
}

/** The CSV's records, without the BOM and split on CRLF (for tests whose fields hold no line breaks). */
export const csvRecords = (csv: string): string[] =>
  csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .slice(0, -1);
