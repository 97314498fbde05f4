import { nameSchemas } from '@lapor/http-kit';
import {
  AdminPerformanceTableRow,
  BreachRow,
  PeriodStatisticsRow,
  RECAP_STRUCTURES,
  RoutingRow,
  RoutingSummary,
  TopicCount,
  TopicRecapRow,
  UnitRecapTableRow,
} from '@lapor/statistics';
import { z } from 'zod';

// Response shapes of the statistics tables, as clients read them: each table's window around the
// rows the statistics package defines (the same rows the exports are keyed on).

const Window = { nodeId: z.string(), from: z.string(), to: z.string() };

export const Recap = z.object({
  ...Window,
  asOf: z.string(),
  /** The organisation the rows are drawn in: as it stood then (as-of), or today's with merged units under their successors (current). */
  structure: z.enum(RECAP_STRUCTURES),
  total: UnitRecapTableRow,
  below: z.array(UnitRecapTableRow),
});
export const AdminPerformance = z.object({ ...Window, admins: z.array(AdminPerformanceTableRow) });
export const PeriodStatistics = z.object({ ...Window, months: z.array(PeriodStatisticsRow) });
export const TopicRecap = z.object({ ...Window, rows: z.array(TopicRecapRow), categories: z.array(TopicCount) });
export const Routing = z.object({ ...Window, total: RoutingSummary, below: z.array(RoutingRow) });
export const Breaches = z.object({ ...Window, total: BreachRow, below: z.array(BreachRow) });

// Examples for the document: the demo instansi (Pemerintah Provinsi NTT) over one quarter.
const WINDOW = { nodeId: 'pemprov-ntt', from: '2026-10-01', to: '2026-12-31' };
const PUPR = { nodeId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat', name: 'Dinas Pekerjaan Umum dan Perumahan Rakyat' };
const DINDIK = { nodeId: 'ntt-dinas-pendidikan-dan-kebudayaan', name: 'Dinas Pendidikan dan Kebudayaan' };
const BREACH_ROW = { ...PUPR, verification: 0, firstFollowUp: 2, completion: 1, total: 3, averageWorkingDaysLate: 2.3 };
const ROUTING_ROW = { ...DINDIK, dispositionsReceived: 20, returned: 3, bounceRate: 15, averageDaysLostPerReturn: 1.7 };
const TOPIC_COUNT = { category: 'Jalan rusak', categoryId: 'jalan-rusak', count: 14 };
const RECAP_ROW = {
  ...PUPR,
  belumTerverifikasi: 0,
  belumDitindaklanjuti: 3,
  proses: 5,
  selesai: 12,
  tunda: 1,
  arsip: 2,
  total: 23,
  persenTindakLanjut: 73.9,
  rtl: 2.4,
  rhp: 6.1,
  rv: 1.2,
  terakhirDilihat: '2026-11-23T03:40:00.000Z',
};
const RECAP_TOTAL = {
  nodeId: 'pemprov-ntt',
  name: 'Pemerintah Provinsi NTT',
  belumTerverifikasi: 4,
  belumDitindaklanjuti: 7,
  proses: 11,
  selesai: 31,
  tunda: 2,
  arsip: 5,
  total: 60,
  persenTindakLanjut: 81.7,
  rtl: 2.1,
  rhp: 5.4,
  rv: 1.5,
  terakhirDilihat: '2026-11-30T07:10:00.000Z',
};
const ADMIN_ROW = {
  accountId: 'admin.ntt',
  nodeId: 'pemprov-ntt',
  nodeName: 'Pemerintah Provinsi NTT',
  verifiedWithin3Days: 42,
  verifiedAfter3Days: 5,
  averageVerificationDays: 1.4,
  verifications: 47,
  postponements: 6,
  archivings: 4,
  username: 'admin.ntt',
  lastSignInAt: '2026-11-30T00:45:00.000Z',
};
const MONTH_ROW = {
  month: '2026-11',
  received: 24,
  completed: 17,
  disposedWithin5Days: 19,
  disposedAfter5Days: 2,
  followedUpWithin5Days: 15,
  followedUpAfter5Days: 3,
  completedWithin5Days: 6,
  completedAfter5Days: 11,
  averageHandlingDays: 9.2,
  averageReportsPerDay: 0.8,
  reporters: 21,
  slaBreaches: { verification: 1, firstFollowUp: 3, completion: 2 },
};
const TOPIC_ROW = {
  ...PUPR,
  belumTerverifikasi: 0,
  belumDitindaklanjuti: 3,
  proses: 5,
  selesai: 12,
  total: 20,
  topics: [TOPIC_COUNT, { category: 'Drainase tersumbat', categoryId: 'drainase-tersumbat', count: 6 }],
};
const ROUTING_SUMMARY = { complaints: 60, rerouted: 7, averageHopsPerComplaint: 1.3, averageReturnsPerComplaint: 0.1, averageDaysLostPerReturn: 1.9 };

// The names these shapes have in the API document (components.schemas), for generated clients.
nameSchemas(
  {
    RecapRow: UnitRecapTableRow,
    AdminPerformanceRow: AdminPerformanceTableRow,
    PeriodStatisticsRow,
    TopicRecapRow,
    TopicCount,
    RoutingRow,
    RoutingSummary,
    BreachRow,
    Recap,
    AdminPerformance,
    PeriodStatistics,
    TopicRecap,
    Routing,
    Breaches,
  },
  {
    Recap: {
      description: 'The recap table of a unit for a window: its own row (total) and one row per unit below it',
      examples: [{ ...WINDOW, asOf: '2026-12-01T00:00:00.000Z', structure: 'as-of', total: RECAP_TOTAL, below: [RECAP_ROW] }],
    },
    BreachRow: { description: 'A unit’s SLA breaches in the window, by stage, and how late on average (working days)', examples: [BREACH_ROW] },
    RoutingRow: { description: 'How often a unit gives back what it is disposed (Bukan Wewenang), and the days each return costs', examples: [ROUTING_ROW] },
    TopicCount: { description: 'How many complaints of one category', examples: [TOPIC_COUNT] },
    RecapRow: { description: 'One row of the recap: a unit’s complaints by status, and its follow-up rates', examples: [RECAP_ROW] },
    AdminPerformanceRow: {
      description: 'One admin’s verification work in the window: how fast, how many postponed (Tunda) and archived',
      examples: [ADMIN_ROW],
    },
    PeriodStatisticsRow: {
      description: 'One month of a unit’s complaints: received, completed, how fast each stage went, SLA breaches',
      examples: [MONTH_ROW],
    },
    TopicRecapRow: { description: 'One unit’s complaints by status, and by category', examples: [TOPIC_ROW] },
    RoutingSummary: { description: 'How complaints were routed in the window: how many rerouted, hops and returns per complaint', examples: [ROUTING_SUMMARY] },
    AdminPerformance: {
      description: 'The admins of a unit and below, and their verification work in the window',
      examples: [{ ...WINDOW, admins: [ADMIN_ROW] }],
    },
    PeriodStatistics: { description: 'A unit’s complaints month by month in the window', examples: [{ ...WINDOW, months: [MONTH_ROW] }] },
    TopicRecap: {
      description: 'A unit’s complaints by category: one row per unit below it, and the categories over all',
      examples: [{ ...WINDOW, rows: [TOPIC_ROW], categories: [TOPIC_COUNT, { category: 'Drainase tersumbat', categoryId: 'drainase-tersumbat', count: 6 }] }],
    },
    Routing: {
      description: 'How complaints were routed in the window, over all and per unit below',
      examples: [{ ...WINDOW, total: ROUTING_SUMMARY, below: [ROUTING_ROW] }],
    },
    Breaches: {
      description: 'SLA breaches in the window, over all and per unit below',
      examples: [
        {
          ...WINDOW,
          total: {
            nodeId: 'pemprov-ntt',
            name: 'Pemerintah Provinsi NTT',
            verification: 1,
            firstFollowUp: 3,
            completion: 2,
            total: 6,
            averageWorkingDaysLate: 2.0,
          },
          below: [BREACH_ROW],
        },
      ],
    },
  },
);
