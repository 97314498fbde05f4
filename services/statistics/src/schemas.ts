import { z } from 'zod';

// Response shapes of the statistics tables, as clients read them.

const count = z.int().nonnegative();

export const RecapRow = z.object({
  nodeId: z.string(),
  name: z.string(),
  belumTerverifikasi: count,
  belumDitindaklanjuti: count,
  proses: count,
  selesai: count,
  tunda: count,
  arsip: count,
  total: count.describe('Belum Terverifikasi + Belum Ditindaklanjuti + Proses + Selesai'),
  persenTindakLanjut: z.number().describe('%TL: (Proses + Selesai) / Total × 100'),
  rtl: z.number().describe('RTL: average days from disposition to first follow-up'),
  rhp: z.number().describe('RHP: average rating 1–5, 0 where none'),
  rv: z.number().describe('RV: average days from receipt to the verification decision'),
  terakhirDilihat: z.string().nullable().describe('When staff of this node (or below it) last opened their inbox'),
});

const Window = { nodeId: z.string(), from: z.string(), to: z.string() };

export const Recap = z.object({ ...Window, asOf: z.string(), total: RecapRow, below: z.array(RecapRow) });

export const AdminRow = z.object({
  accountId: z.string(),
  username: z.string().nullable(),
  nodeId: z.string(),
  nodeName: z.string(),
  lastSignInAt: z.string().nullable(),
  verifiedWithin3Days: count,
  verifiedAfter3Days: count,
  averageVerificationDays: z.number(),
  verifications: count,
  postponements: count,
  archivings: count,
});
export const AdminPerformance = z.object({ ...Window, admins: z.array(AdminRow) });

export const PeriodRow = z.object({
  month: z.string(),
  received: count,
  disposedWithin5Days: count,
  disposedAfter5Days: count,
  followedUpWithin5Days: count,
  followedUpAfter5Days: count,
  completedWithin5Days: count,
  completedAfter5Days: count,
  averageHandlingDays: z.number(),
  averageReportsPerDay: z.number(),
  reporters: count,
  slaBreaches: z.object({ verification: count, firstFollowUp: count, completion: count }),
});
export const PeriodStatistics = z.object({ ...Window, months: z.array(PeriodRow) });

const TopicCount = z.object({ category: z.string(), count });
export const TopicRow = z.object({
  nodeId: z.string(),
  name: z.string(),
  belumTerverifikasi: count,
  belumDitindaklanjuti: count,
  proses: count,
  selesai: count,
  total: count,
  topics: z.array(TopicCount),
});
export const TopicRecap = z.object({ ...Window, rows: z.array(TopicRow), categories: z.array(TopicCount) });

export const RoutingRow = z.object({
  nodeId: z.string(),
  name: z.string(),
  dispositionsReceived: count,
  returned: count,
  bounceRate: z.number(),
  averageDaysLostPerReturn: z.number(),
});
export const Routing = z.object({
  ...Window,
  total: z.object({
    complaints: count,
    rerouted: count,
    averageHopsPerComplaint: z.number(),
    averageReturnsPerComplaint: z.number(),
    averageDaysLostPerReturn: z.number(),
  }),
  below: z.array(RoutingRow),
});

export const BreachRow = z.object({
  nodeId: z.string(),
  name: z.string(),
  verification: count,
  firstFollowUp: count,
  completion: count,
  total: count,
  averageWorkingDaysLate: z.number(),
});
export const Breaches = z.object({ ...Window, total: BreachRow, below: z.array(BreachRow) });
