import { z } from 'zod';

// The rows of the statistics tables, written once: the queries return them, the service's routes
// validate and document them, and the exports key their columns on them. A field added or renamed
// here reaches all three, or fails to compile where it does not.

const count = z.int().nonnegative();

/** One row of "Rekapitulasi Kinerja Unit": the columns of the seed reports. */
export const UnitRecapRow = z.object({
  nodeId: z.string(),
  name: z.string(),
  belumTerverifikasi: count,
  belumDitindaklanjuti: count,
  proses: count,
  selesai: count,
  tunda: count,
  arsip: count,
  total: count.describe('Belum Terverifikasi + Belum Ditindaklanjuti + Proses + Selesai'),
  // two decimals, 0 when Total is 0
  persenTindakLanjut: z.number().describe('%TL: (Proses + Selesai) / Total × 100'),
  // one decimal, 0 when none
  rtl: z.number().describe('RTL: average days from disposition to first follow-up'),
  // two decimals
  rhp: z.number().describe('RHP: average rating 1–5, 0 where none'),
  // one decimal, 0 when none
  rv: z.number().describe('RV: average days from receipt to the verification decision'),
});
export type UnitRecapRow = z.infer<typeof UnitRecapRow>;

/**
 * The recap row as served and exported: the read model's row and "Terakhir Dilihat", which lives
 * beside the complaint events (the units' inbox visits), not in them.
 */
export const UnitRecapTableRow = UnitRecapRow.extend({
  terakhirDilihat: z.string().nullable().describe('When staff of this node (or below it) last opened their inbox'),
});
export type UnitRecapTableRow = z.infer<typeof UnitRecapTableRow>;

/** One administrator's verification work in a period ("Kinerja Admin"). */
export const AdminPerformanceRow = z.object({
  accountId: z.string(),
  nodeId: z.string(),
  nodeName: z.string(),
  // verified (or aspirations answered) within REPORT_DAY_LIMITS.verification working days of receipt, or later
  verifiedWithin3Days: count,
  verifiedAfter3Days: count,
  // days from receipt to verification; one decimal
  averageVerificationDays: z.number(),
  verifications: count,
  postponements: count,
  archivings: count,
});
export type AdminPerformanceRow = z.infer<typeof AdminPerformanceRow>;

/** The administrator's row as served and exported: with the account's name (null once erased) and last sign-in. */
export const AdminPerformanceTableRow = AdminPerformanceRow.extend({
  username: z.string().nullable(),
  lastSignInAt: z.string().nullable(),
});
export type AdminPerformanceTableRow = z.infer<typeof AdminPerformanceTableRow>;

/** One month of the period statistics ("Statistik"), for complaints received in that month. */
export const PeriodStatisticsRow = z.object({
  // YYYY-MM
  month: z.string(),
  received: count,
  // of those received, completed (Selesai) by now: the chart's second line beside "received"
  completed: count,
  // the within/after columns count against REPORT_DAY_LIMITS: disposition from receipt, follow-up
  // and completion from the unit receiving it
  disposedWithin5Days: count,
  disposedAfter5Days: count,
  followedUpWithin5Days: count,
  followedUpAfter5Days: count,
  completedWithin5Days: count,
  completedAfter5Days: count,
  // days from receipt to completion, over completed complaints; two decimals
  averageHandlingDays: z.number(),
  // received ÷ the month's days inside the period; two decimals
  averageReportsPerDay: z.number(),
  // distinct reporters who sent a complaint (anonymous channels without an account not counted)
  reporters: count,
  slaBreaches: z.object({ verification: count, firstFollowUp: count, completion: count }),
});
export type PeriodStatisticsRow = z.infer<typeof PeriodStatisticsRow>;

/** A category and how many complaints it has: `category` is its name in the period, `categoryId` null for legacy free text. */
export const TopicCount = z.object({ category: z.string(), categoryId: z.string().nullable(), count });
export type TopicCount = z.infer<typeof TopicCount>;

/** A node below and what its complaints were about (the Kalimantan Timur table: "Keterangan"). */
export const TopicRecapRow = z.object({
  nodeId: z.string(),
  name: z.string(),
  belumTerverifikasi: count,
  belumDitindaklanjuti: count,
  proses: count,
  selesai: count,
  // Belum Terverifikasi + Belum Ditindaklanjuti + Proses + Selesai, as in the recap
  total: count,
  // the main topics, most frequent first
  topics: z.array(TopicCount),
});
export type TopicRecapRow = z.infer<typeof TopicRecapRow>;

/** "No wrong door" per node below: how often a disposition came back as not its authority. */
export const RoutingRow = z.object({
  nodeId: z.string(),
  name: z.string(),
  // dispositions that reached this node's subtree
  dispositionsReceived: count,
  // returned from it as not its authority (Bukan Wewenang)
  returned: count,
  // returned ÷ dispositionsReceived × 100; two decimals, 0 when nothing was received
  bounceRate: z.number(),
  // days from arriving at the wrong door to being disposed onward; one decimal
  averageDaysLostPerReturn: z.number(),
});
export type RoutingRow = z.infer<typeof RoutingRow>;

/** The routing table's roll-up of the whole subtree. */
export const RoutingSummary = z.object({
  complaints: count,
  // complaints returned at least once
  rerouted: count,
  // hand-offs (dispositions and returns) per complaint; two decimals
  averageHopsPerComplaint: z.number(),
  // returns per complaint; two decimals
  averageReturnsPerComplaint: z.number(),
  averageDaysLostPerReturn: z.number(),
});
export type RoutingSummary = z.infer<typeof RoutingSummary>;

/** SLA breaches held against a node below (and its subtree), by stage, for complaints received in the period. */
export const BreachRow = z.object({
  nodeId: z.string(),
  name: z.string(),
  verification: count,
  firstFollowUp: count,
  completion: count,
  total: count,
  // working days late; one decimal, 0 when none
  averageWorkingDaysLate: z.number(),
});
export type BreachRow = z.infer<typeof BreachRow>;
