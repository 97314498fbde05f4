import { indonesianMonth } from './format';
import type { AdminPerformanceRow, BreachRow, PeriodStatisticsRow, RoutingRow, TopicRecapRow, UnitRecapRow } from '@lapor/statistics';
import type { CellValue, ReportColumn, ReportMeta, ReportTable } from './table';

// The tables officials already publish, ready to export. Headings follow the wording of the LAPOR!
// dashboard and the yearly reports in the seeds.

/* ---------------------------------------------------------------- input rows */

// The rows are the statistics package's own (the read model's answers), plus what the service adds
// beside them (the last inbox visit, the administrator's name and last sign-in).

/** A row of "Rekapitulasi Kinerja Unit", with when the unit's staff last opened their inbox (null: never). */
export type UnitRecapInput = UnitRecapRow & { readonly terakhirDilihat: string | null };

/** An administrator's row, with the account's name (null once erased) and last sign-in. */
export type AdminPerformanceInput = AdminPerformanceRow & { readonly username: string | null; readonly lastSignInAt: string | null };

export type PeriodStatisticsInput = PeriodStatisticsRow;

/** A unit below the instansi, its statuses and its main topics (the Kalimantan Timur table). */
export type TopicRecapInput = TopicRecapRow;

export type RoutingInput = RoutingRow;

/* ---------------------------------------------------------------- helpers */

type Row = Record<string, CellValue>;

const column = (key: string, heading: string, type: ReportColumn['type']): ReportColumn => ({ key, heading, type });
const NO = column('no', 'No', 'integer');
const TOTAL_LABEL = 'Jumlah';

/** Rows numbered from 1, as in the printed tables. */
const numbered = <T>(rows: readonly T[], toRow: (row: T) => Row): Row[] => rows.map((row, index) => ({ ...toRow(row), no: index + 1 }));

const table = (title: string, meta: ReportMeta, columns: ReportColumn[], rows: Row[], totalRow?: Row): ReportTable =>
  totalRow ? { title, ...meta, columns, rows, totalRow } : { title, ...meta, columns, rows };

/* ---------------------------------------------------------------- 1. Rekapitulasi Kinerja Unit */

const UNIT_RECAP_COLUMNS = [
  NO,
  column('name', 'Unit Kerja', 'text'),
  column('belumTerverifikasi', 'Belum Terverifikasi', 'integer'),
  column('belumDitindaklanjuti', 'Belum Ditindaklanjuti', 'integer'),
  column('proses', 'Proses', 'integer'),
  column('selesai', 'Selesai', 'integer'),
  column('tunda', 'Tunda', 'integer'),
  column('arsip', 'Arsip', 'integer'),
  column('total', 'Total', 'integer'),
  column('persenTindakLanjut', '%TL', 'percent'),
  column('rtl', 'RTL', 'decimal1'),
  column('rhp', 'RHP', 'decimal2'),
  column('rv', 'RV', 'decimal1'),
  column('terakhirDilihat', 'Terakhir Dilihat', 'datetime'),
];

const unitRecapCells = ({ nodeId: _nodeId, ...row }: UnitRecapInput): Row => row;

/**
 * The units below a node with the node's own roll-up as the 'Jumlah' line. That roll-up also counts
 * complaints still held at the node itself, so it can be more than the rows above it add up to; its
 * "Terakhir Dilihat" is the latest visit anywhere in the scope, as the JSON's total has it (and as
 * the dashboard's first row, the instansi's own, shows it in the seeds).
 */
export function unitRecapReport(meta: ReportMeta, rows: readonly UnitRecapInput[], total?: UnitRecapInput): ReportTable {
  const totalRow = total && { ...unitRecapCells(total), name: TOTAL_LABEL };
  return table('Rekapitulasi Kinerja Unit', meta, UNIT_RECAP_COLUMNS, numbered(rows, unitRecapCells), totalRow);
}

/* ---------------------------------------------------------------- 2. the yearly report's table */

const YEARLY_COLUMNS = [
  NO,
  column('name', 'Perangkat Daerah', 'text'),
  column('total', 'Total', 'integer'),
  column('selesai', 'Selesai', 'integer'),
  column('proses', 'Proses', 'integer'),
  column('belumDitindaklanjuti', 'Belum ditindaklanjuti', 'integer'),
  column('belumTerverifikasi', 'Belum terverifikasi', 'integer'),
  column('persenTindakLanjut', '% Tindak Lanjut', 'percent'),
];

const yearlyCells = (row: UnitRecapInput): Row => ({
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
  const totalRow = total && { ...yearlyCells(total), name: TOTAL_LABEL };
  return table('Rekapitulasi Pengaduan', meta, YEARLY_COLUMNS, numbered(busiestFirst, yearlyCells), totalRow);
}

/* ---------------------------------------------------------------- 3. Kinerja Admin */

const ADMIN_COLUMNS = [
  NO,
  column('name', 'Nama Admin', 'text'),
  column('nodeName', 'Instansi/Unit', 'text'),
  column('lastSignInAt', 'Login Terakhir', 'datetime'),
  column('verifiedWithin3Days', 'Verifikasi ≤ 3 Hari', 'integer'),
  column('verifiedAfter3Days', 'Verifikasi > 3 Hari', 'integer'),
  column('averageVerificationDays', 'Rata-rata Verifikasi (Hari)', 'decimal1'),
  column('verifications', 'Verifikasi', 'integer'),
  column('postponements', 'Tunda', 'integer'),
  column('archivings', 'Arsip', 'integer'),
];

/** Per admin: how fast they verify, and how often they verify, postpone and archive. */
export function adminPerformanceReport(meta: ReportMeta, rows: readonly AdminPerformanceInput[]): ReportTable {
  return table(
    'Kinerja Admin',
    meta,
    ADMIN_COLUMNS,
    // an account whose name was erased is still accountable: show its id rather than a blank
    numbered(rows, ({ accountId, username, nodeId: _nodeId, ...row }) => ({ name: username ?? accountId, ...row })),
  );
}

/* ---------------------------------------------------------------- 4. Statistik Periode */

const PERIOD_COLUMNS = [
  column('month', 'Bulan', 'text'),
  column('received', 'Laporan Masuk', 'integer'),
  column('disposedWithin5Days', 'Disposisi ≤ 5 Hari', 'integer'),
  column('disposedAfter5Days', 'Disposisi > 5 Hari', 'integer'),
  column('followedUpWithin5Days', 'Ditindaklanjuti ≤ 5 Hari', 'integer'),
  column('followedUpAfter5Days', 'Ditindaklanjuti > 5 Hari', 'integer'),
  column('completedWithin5Days', 'Selesai ≤ 5 Hari', 'integer'),
  column('completedAfter5Days', 'Selesai > 5 Hari', 'integer'),
  column('averageHandlingDays', 'Rata-rata Penanganan (Hari)', 'decimal2'),
  column('averageReportsPerDay', 'Rata-rata Laporan per Hari', 'decimal2'),
  column('reporters', 'Jumlah Pelapor', 'integer'),
  column('breachesVerification', 'Lewat Batas Verifikasi', 'integer'),
  column('breachesFirstFollowUp', 'Lewat Batas Tindak Lanjut Pertama', 'integer'),
  column('breachesCompletion', 'Lewat Batas Penyelesaian', 'integer'),
];

/** One row per month, named the way people say it ('Januari 2024'). */
export function periodStatisticsReport(meta: ReportMeta, rows: readonly PeriodStatisticsInput[]): ReportTable {
  return table(
    'Statistik Periode',
    meta,
    PERIOD_COLUMNS,
    rows.map(({ slaBreaches, ...row }) => ({
      ...row,
      month: indonesianMonth(row.month),
      breachesVerification: slaBreaches.verification,
      breachesFirstFollowUp: slaBreaches.firstFollowUp,
      breachesCompletion: slaBreaches.completion,
    })),
  );
}

/* ---------------------------------------------------------------- 5. Rekapitulasi Topik */

const TOPIC_COLUMNS = [
  NO,
  column('name', 'Instansi', 'text'),
  column('belumDitindaklanjuti', 'Belum Ditindaklanjuti', 'integer'),
  column('proses', 'Proses', 'integer'),
  column('selesai', 'Selesai', 'integer'),
  column('total', 'Total', 'integer'),
  column('keterangan', 'Keterangan', 'text'),
];

/**
 * Per unit, its statuses and what its reports were about, as in the Kalimantan Timur table: the
 * main topics named in 'Keterangan', a 'Jumlah' line adding up the counts.
 */
export function topicRecapReport(meta: ReportMeta, rows: readonly TopicRecapInput[]): ReportTable {
  const sum = (key: 'belumDitindaklanjuti' | 'proses' | 'selesai' | 'total'): number => rows.reduce((total, row) => total + row[key], 0);
  const totalRow = {
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
    numbered(rows, (row) => ({
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

const ROUTING_COLUMNS = [
  NO,
  column('name', 'Unit Kerja', 'text'),
  column('dispositionsReceived', 'Disposisi Diterima', 'integer'),
  column('returned', 'Dikembalikan (Bukan Wewenang)', 'integer'),
  column('bounceRate', 'Persentase Dikembalikan (%)', 'percent'),
  column('averageDaysLostPerReturn', 'Rata-rata Hari Terbuang per Pengembalian', 'decimal1'),
];

/** Per unit: how often a disposition came back as "not our authority", and the days each return cost the reporter. */
export function routingReport(meta: ReportMeta, rows: readonly RoutingInput[]): ReportTable {
  return table(
    'Rekapitulasi Penerusan Laporan',
    meta,
    ROUTING_COLUMNS,
    numbered(rows, ({ nodeId: _nodeId, ...row }) => row),
  );
}

/* ---------------------------------------------------------------- 7. SLA breaches */

export type BreachInput = BreachRow;

const BREACH_COLUMNS = [
  NO,
  column('name', 'Unit Kerja', 'text'),
  column('verification', 'Lewat Batas Verifikasi', 'integer'),
  column('firstFollowUp', 'Lewat Batas Tindak Lanjut Pertama', 'integer'),
  column('completion', 'Lewat Batas Penyelesaian', 'integer'),
  column('total', 'Jumlah', 'integer'),
  column('averageWorkingDaysLate', 'Rata-rata Keterlambatan (Hari Kerja)', 'decimal1'),
];

/** Per unit, the deadlines it missed, by stage, with the node's own roll-up as the last line. */
export function breachReport(meta: ReportMeta, rows: readonly BreachInput[], total?: BreachInput): ReportTable {
  const cells = ({ nodeId: _nodeId, ...row }: BreachInput): Row => row;
  return table('Rekapitulasi Keterlambatan', meta, BREACH_COLUMNS, numbered(rows, cells), total ? { ...cells(total), name: TOTAL_LABEL } : undefined);
}
