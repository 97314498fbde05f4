import { indonesianMonth } from './format';
import {
  REPORT_DAY_LIMITS,
  type AdminPerformanceTableRow,
  type BreachRow,
  type PeriodStatisticsRow,
  type RoutingRow,
  type TopicRecapRow,
  type UnitRecapTableRow,
} from '@lapor/statistics';
import type { CellValue, ColumnType, ReportColumn, ReportMeta, ReportTable } from './table';

// The tables officials already publish, ready to export. Headings follow the wording of the LAPOR!
// dashboard and the yearly reports in the seeds.

/* ---------------------------------------------------------------- input rows */

// The rows are the statistics package's own: the read model's answers, with what the service adds
// beside them (the last inbox visit, the administrator's name and last sign-in).

/** A row of "Rekapitulasi Kinerja Unit", with when the unit's staff last opened their inbox (null: never). */
export type UnitRecapInput = UnitRecapTableRow;

/** An administrator's row, with the account's name (null once erased) and last sign-in. */
export type AdminPerformanceInput = AdminPerformanceTableRow;

export type PeriodStatisticsInput = PeriodStatisticsRow;

/** A unit below the instansi, its statuses and its main topics (the Kalimantan Timur table). */
export type TopicRecapInput = TopicRecapRow;

export type RoutingInput = RoutingRow;

export type BreachInput = BreachRow;

/* ---------------------------------------------------------------- typed columns */

type Key<Cells> = Extract<keyof Cells, string>;

/**
 * The column maker for a preset whose rows are `Cells`: a key that is not one of its fields does
 * not compile, so a misspelt key can never export a silently empty column.
 */
export const columnsOf =
  <Cells>() =>
  (key: Key<Cells>, heading: string, type: ColumnType): ReportColumn<Key<Cells>> => ({ key, heading, type });

/** The 'No' of the printed tables: 1, 2, 3… down the rows, empty on the Jumlah line. */
type Numbered<Cells> = Cells & { readonly no: number | null };

const TOTAL_LABEL = 'Jumlah';

/** Rows numbered from 1, as in the printed tables. */
const numbered = <Input, Cells>(rows: readonly Input[], toCells: (row: Input, no: number) => Cells): Cells[] =>
  rows.map((row, index) => toCells(row, index + 1));

/** The table of a preset: its columns read the fields of its rows, which hold only what a cell can show. */
const table = <Cells extends { readonly [K in keyof Cells]: CellValue }>(
  title: string,
  meta: ReportMeta,
  columns: readonly ReportColumn<Key<Cells>>[],
  rows: readonly Cells[],
  totalRow?: Cells,
): ReportTable => (totalRow ? { title, ...meta, columns, rows, totalRow } : { title, ...meta, columns, rows });

/** A "≤ N Hari" and "> N Hari" pair of headings, N one of the report's fixed day limits. */
const withinHeadings = (what: string, days: number): readonly [within: string, after: string] => [`${what} ≤ ${days} Hari`, `${what} > ${days} Hari`];

/* ---------------------------------------------------------------- 1. Rekapitulasi Kinerja Unit */

type UnitRecapCells = Numbered<Omit<UnitRecapInput, 'nodeId'>>;
const unitRecapColumn = columnsOf<UnitRecapCells>();

const UNIT_RECAP_COLUMNS = [
  unitRecapColumn('no', 'No', 'integer'),
  unitRecapColumn('name', 'Unit Kerja', 'text'),
  unitRecapColumn('belumTerverifikasi', 'Belum Terverifikasi', 'integer'),
  unitRecapColumn('belumDitindaklanjuti', 'Belum Ditindaklanjuti', 'integer'),
  unitRecapColumn('proses', 'Proses', 'integer'),
  unitRecapColumn('selesai', 'Selesai', 'integer'),
  unitRecapColumn('tunda', 'Tunda', 'integer'),
  unitRecapColumn('arsip', 'Arsip', 'integer'),
  unitRecapColumn('total', 'Total', 'integer'),
  unitRecapColumn('persenTindakLanjut', '%TL', 'percent'),
  unitRecapColumn('rtl', 'RTL', 'decimal1'),
  unitRecapColumn('rhp', 'RHP', 'decimal2'),
  unitRecapColumn('rv', 'RV', 'decimal1'),
  unitRecapColumn('terakhirDilihat', 'Terakhir Dilihat', 'datetime'),
];

const unitRecapCells = ({ nodeId: _nodeId, ...row }: UnitRecapInput, no: number | null): UnitRecapCells => ({ ...row, no });

/**
 * The units below a node with the node's own roll-up as the 'Jumlah' line. That roll-up also counts
 * complaints still held at the node itself, so it can be more than the rows above it add up to; its
 * "Terakhir Dilihat" is the latest visit anywhere in the scope, as the JSON's total has it (and as
 * the dashboard's first row, the instansi's own, shows it in the seeds).
 */
export function unitRecapReport(meta: ReportMeta, rows: readonly UnitRecapInput[], total?: UnitRecapInput): ReportTable {
  const totalRow = total && { ...unitRecapCells(total, null), name: TOTAL_LABEL };
  return table('Rekapitulasi Kinerja Unit', meta, UNIT_RECAP_COLUMNS, numbered(rows, unitRecapCells), totalRow);
}

/* ---------------------------------------------------------------- 2. the yearly report's table */

type YearlyCells = Numbered<
  Pick<UnitRecapInput, 'name' | 'total' | 'selesai' | 'proses' | 'belumDitindaklanjuti' | 'belumTerverifikasi' | 'persenTindakLanjut'>
>;
const yearlyColumn = columnsOf<YearlyCells>();

const YEARLY_COLUMNS = [
  yearlyColumn('no', 'No', 'integer'),
  yearlyColumn('name', 'Perangkat Daerah', 'text'),
  yearlyColumn('total', 'Total', 'integer'),
  yearlyColumn('selesai', 'Selesai', 'integer'),
  yearlyColumn('proses', 'Proses', 'integer'),
  yearlyColumn('belumDitindaklanjuti', 'Belum ditindaklanjuti', 'integer'),
  yearlyColumn('belumTerverifikasi', 'Belum terverifikasi', 'integer'),
  yearlyColumn('persenTindakLanjut', '% Tindak Lanjut', 'percent'),
];

const yearlyCells = (row: UnitRecapInput, no: number | null): YearlyCells => ({
  no,
  name: row.name,
  total: row.total,
  selesai: row.selesai,
  proses: row.proses,
  belumDitindaklanjuti: row.belumDitindaklanjuti,
  belumTerverifikasi: row.belumTerverifikasi,
  persenTindakLanjut: row.persenTindakLanjut,
});

/**
 * "Tabel Rekapitulasi Pengaduan" as in the NTT yearly report: the busiest units first (a stable sort,
 * so units with equal totals keep the order given), then the 'Jumlah' line.
 */
export function yearlyReport(meta: ReportMeta, rows: readonly UnitRecapInput[], total?: UnitRecapInput): ReportTable {
  const busiestFirst = [...rows].sort((a, b) => b.total - a.total);
  const totalRow = total && { ...yearlyCells(total, null), name: TOTAL_LABEL };
  return table('Rekapitulasi Pengaduan', meta, YEARLY_COLUMNS, numbered(busiestFirst, yearlyCells), totalRow);
}

/* ---------------------------------------------------------------- 3. Kinerja Admin */

type AdminCells = Numbered<Omit<AdminPerformanceInput, 'accountId' | 'username' | 'nodeId'> & { readonly name: string }>;
const adminColumn = columnsOf<AdminCells>();
const [verifiedWithin, verifiedAfter] = withinHeadings('Verifikasi', REPORT_DAY_LIMITS.verification);

const ADMIN_COLUMNS = [
  adminColumn('no', 'No', 'integer'),
  adminColumn('name', 'Nama Admin', 'text'),
  adminColumn('nodeName', 'Instansi/Unit', 'text'),
  adminColumn('lastSignInAt', 'Login Terakhir', 'datetime'),
  adminColumn('verifiedWithin3Days', verifiedWithin, 'integer'),
  adminColumn('verifiedAfter3Days', verifiedAfter, 'integer'),
  adminColumn('averageVerificationDays', 'Rata-rata Verifikasi (Hari)', 'decimal1'),
  adminColumn('verifications', 'Verifikasi', 'integer'),
  adminColumn('postponements', 'Tunda', 'integer'),
  adminColumn('archivings', 'Arsip', 'integer'),
];

/** Per admin: how fast they verify, and how often they verify, postpone and archive. */
export function adminPerformanceReport(meta: ReportMeta, rows: readonly AdminPerformanceInput[]): ReportTable {
  return table(
    'Kinerja Admin',
    meta,
    ADMIN_COLUMNS,
    // an account whose name was erased is still accountable: show its id rather than a blank
    numbered(rows, ({ accountId, username, nodeId: _nodeId, ...row }, no): AdminCells => ({ no, name: username ?? accountId, ...row })),
  );
}

/* ---------------------------------------------------------------- 4. Statistik Periode */

type PeriodCells = Omit<PeriodStatisticsInput, 'slaBreaches'> & {
  readonly breachesVerification: number;
  readonly breachesFirstFollowUp: number;
  readonly breachesCompletion: number;
};
const periodColumn = columnsOf<PeriodCells>();
const [disposedWithin, disposedAfter] = withinHeadings('Disposisi', REPORT_DAY_LIMITS.disposition);
const [followedUpWithin, followedUpAfter] = withinHeadings('Ditindaklanjuti', REPORT_DAY_LIMITS.firstFollowUp);
const [completedWithin, completedAfter] = withinHeadings('Selesai', REPORT_DAY_LIMITS.completion);

const PERIOD_COLUMNS = [
  periodColumn('month', 'Bulan', 'text'),
  periodColumn('received', 'Laporan Masuk', 'integer'),
  periodColumn('disposedWithin5Days', disposedWithin, 'integer'),
  periodColumn('disposedAfter5Days', disposedAfter, 'integer'),
  periodColumn('followedUpWithin5Days', followedUpWithin, 'integer'),
  periodColumn('followedUpAfter5Days', followedUpAfter, 'integer'),
  periodColumn('completedWithin5Days', completedWithin, 'integer'),
  periodColumn('completedAfter5Days', completedAfter, 'integer'),
  periodColumn('averageHandlingDays', 'Rata-rata Penanganan (Hari)', 'decimal2'),
  periodColumn('averageReportsPerDay', 'Rata-rata Laporan per Hari', 'decimal2'),
  periodColumn('reporters', 'Jumlah Pelapor', 'integer'),
  periodColumn('breachesVerification', 'Lewat Batas Verifikasi', 'integer'),
  periodColumn('breachesFirstFollowUp', 'Lewat Batas Tindak Lanjut Pertama', 'integer'),
  periodColumn('breachesCompletion', 'Lewat Batas Penyelesaian', 'integer'),
];

/** One row per month, named the way people say it ('Januari 2024'). */
export function periodStatisticsReport(meta: ReportMeta, rows: readonly PeriodStatisticsInput[]): ReportTable {
  return table(
    'Statistik Periode',
    meta,
    PERIOD_COLUMNS,
    rows.map(({ slaBreaches, ...row }): PeriodCells => ({
      ...row,
      month: indonesianMonth(row.month),
      breachesVerification: slaBreaches.verification,
      breachesFirstFollowUp: slaBreaches.firstFollowUp,
      breachesCompletion: slaBreaches.completion,
    })),
  );
}

/* ---------------------------------------------------------------- 5. Rekapitulasi Topik */

type TopicCells = Numbered<Pick<TopicRecapInput, 'name' | 'belumDitindaklanjuti' | 'proses' | 'selesai' | 'total'> & { readonly keterangan: string | null }>;
const topicColumn = columnsOf<TopicCells>();

const TOPIC_COLUMNS = [
  topicColumn('no', 'No', 'integer'),
  topicColumn('name', 'Instansi', 'text'),
  topicColumn('belumDitindaklanjuti', 'Belum Ditindaklanjuti', 'integer'),
  topicColumn('proses', 'Proses', 'integer'),
  topicColumn('selesai', 'Selesai', 'integer'),
  topicColumn('total', 'Total', 'integer'),
  topicColumn('keterangan', 'Keterangan', 'text'),
];

/**
 * Per unit, its statuses and what its reports were about, as in the Kalimantan Timur table: the
 * main topics named in 'Keterangan', a 'Jumlah' line adding up the counts.
 */
export function topicRecapReport(meta: ReportMeta, rows: readonly TopicRecapInput[]): ReportTable {
  const sum = (key: 'belumDitindaklanjuti' | 'proses' | 'selesai' | 'total'): number => rows.reduce((total, row) => total + row[key], 0);
  const totalRow: TopicCells = {
    no: null,
    name: TOTAL_LABEL,
    belumDitindaklanjuti: sum('belumDitindaklanjuti'),
    proses: sum('proses'),
    selesai: sum('selesai'),
    total: sum('total'),
    keterangan: null,
  };
  return table(
    'Rekapitulasi Topik',
    meta,
    TOPIC_COLUMNS,
    numbered(rows, (row, no): TopicCells => ({
      no,
      name: row.name,
      belumDitindaklanjuti: row.belumDitindaklanjuti,
      proses: row.proses,
      selesai: row.selesai,
      total: row.total,
      keterangan: row.topics.map((topic) => topic.category).join(', ') || null,
    })),
    totalRow,
  );
}

/* ---------------------------------------------------------------- 6. no wrong door */

type RoutingCells = Numbered<Omit<RoutingInput, 'nodeId'>>;
const routingColumn = columnsOf<RoutingCells>();

const ROUTING_COLUMNS = [
  routingColumn('no', 'No', 'integer'),
  routingColumn('name', 'Unit Kerja', 'text'),
  routingColumn('dispositionsReceived', 'Disposisi Diterima', 'integer'),
  routingColumn('returned', 'Dikembalikan (Bukan Wewenang)', 'integer'),
  routingColumn('bounceRate', 'Persentase Dikembalikan (%)', 'percent'),
  routingColumn('averageDaysLostPerReturn', 'Rata-rata Hari Terbuang per Pengembalian', 'decimal1'),
];

/** Per unit: how often a disposition came back as "not our authority", and the days each return cost the reporter. */
export function routingReport(meta: ReportMeta, rows: readonly RoutingInput[]): ReportTable {
  return table(
    'Rekapitulasi Penerusan Laporan',
    meta,
    ROUTING_COLUMNS,
    numbered(rows, ({ nodeId: _nodeId, ...row }, no): RoutingCells => ({ ...row, no })),
  );
}

/* ---------------------------------------------------------------- 7. SLA breaches */

type BreachCells = Numbered<Omit<BreachInput, 'nodeId'>>;
const breachColumn = columnsOf<BreachCells>();

const BREACH_COLUMNS = [
  breachColumn('no', 'No', 'integer'),
  breachColumn('name', 'Unit Kerja', 'text'),
  breachColumn('verification', 'Lewat Batas Verifikasi', 'integer'),
  breachColumn('firstFollowUp', 'Lewat Batas Tindak Lanjut Pertama', 'integer'),
  breachColumn('completion', 'Lewat Batas Penyelesaian', 'integer'),
  breachColumn('total', 'Jumlah', 'integer'),
  breachColumn('averageWorkingDaysLate', 'Rata-rata Keterlambatan (Hari Kerja)', 'decimal1'),
];

/** Per unit, the deadlines it missed, by stage, with the node's own roll-up as the last line. */
export function breachReport(meta: ReportMeta, rows: readonly BreachInput[], total?: BreachInput): ReportTable {
  const cells = ({ nodeId: _nodeId, ...row }: BreachInput, no: number | null): BreachCells => ({ ...row, no });
  return table('Rekapitulasi Keterlambatan', meta, BREACH_COLUMNS, numbered(rows, cells), total ? { ...cells(total, null), name: TOTAL_LABEL } : undefined);
}
