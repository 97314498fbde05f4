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
    Recap: { description: 'The recap table of a unit for a window: its own row (total) and one row per unit below it' },
    BreachRow: {
      description: 'A unit’s SLA breaches in the window, by stage, and how late on average (working days)',
      examples: [
        {
          nodeId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
          name: 'Dinas Pekerjaan Umum dan Perumahan Rakyat',
          verification: 0,
          firstFollowUp: 2,
          completion: 1,
          total: 3,
          averageWorkingDaysLate: 2.3,
        },
      ],
    },
    RoutingRow: {
      description: 'How often a unit gives back what it is disposed (Bukan Wewenang), and the days each return costs',
      examples: [
        {
          nodeId: 'ntt-dinas-pendidikan-dan-kebudayaan',
          name: 'Dinas Pendidikan dan Kebudayaan',
          dispositionsReceived: 20,
          returned: 3,
          bounceRate: 15,
          averageDaysLostPerReturn: 1.7,
        },
      ],
    },
    TopicCount: { description: 'How many complaints of one category', examples: [{ category: 'Jalan rusak', categoryId: 'jalan-rusak', count: 14 }] },
    RecapRow: {
      description: 'One row of the recap: a unit’s complaints by status, and its follow-up rates',
      examples: [
        {
          nodeId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
          name: 'Dinas Pekerjaan Umum dan Perumahan Rakyat',
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
        },
      ],
    },
  },
);
