import type { UnitRecapTableRow } from '@lapor/statistics';
import {
  adminPerformanceReport,
  breachReport,
  periodStatisticsReport,
  routingReport,
  topicRecapReport,
  unitRecapReport,
  yearlyReport,
  type ReportTable,
} from '../src';
import { columnsOf } from '../src/presets';
import { completedUnit, NTT_2024, NTT_TOTAL_2024 } from './support';

// A column's key names a field of the preset's rows. A misspelt key used to export an empty column
// without a word; now the type check refuses it (tsc covers this file: see the package's tsconfig),
// and every preset's rows are checked to hold every column's field.

describe('the columns of a preset', () => {
  it('given a key that is not a field of the row, then it does not compile', () => {
    const column = columnsOf<UnitRecapTableRow>();
    expect(column('terakhirDilihat', 'Terakhir Dilihat', 'datetime').key).toBe('terakhirDilihat');
    // @ts-expect-error: 'terakhirDilihatt' is not a field of the recap row
    expect(column('terakhirDilihatt', 'Terakhir Dilihat', 'datetime').key).toBe('terakhirDilihatt');
  });

  const every = (table: ReportTable) => [...table.rows, ...(table.totalRow ? [table.totalRow] : [])];
  const unit = completedUnit('Dinas Sosial Provinsi Nusa Tenggara Timur', 2, '2025-01-20T17:53:55Z');
  const presets: ReadonlyArray<readonly [string, ReportTable]> = [
    ['recap', unitRecapReport(NTT_2024, [unit], NTT_TOTAL_2024)],
    ['yearly', yearlyReport(NTT_2024, [unit], NTT_TOTAL_2024)],
    [
      'admins',
      adminPerformanceReport(NTT_2024, [
        {
          accountId: 'acc-7',
          username: 'admin-ntt',
          nodeId: 'ntt',
          nodeName: 'Pemerintah Provinsi Nusa Tenggara Timur',
          lastSignInAt: null,
          verifiedWithin3Days: 22,
          verifiedAfter3Days: 20,
          averageVerificationDays: 6.9,
          verifications: 42,
          postponements: 0,
          archivings: 3,
        },
      ]),
    ],
    [
      'periods',
      periodStatisticsReport(NTT_2024, [
        {
          month: '2024-01',
          received: 4,
          completed: 0,
          disposedWithin5Days: 3,
          disposedAfter5Days: 1,
          followedUpWithin5Days: 2,
          followedUpAfter5Days: 1,
          completedWithin5Days: 0,
          completedAfter5Days: 2,
          averageHandlingDays: 12.5,
          averageReportsPerDay: 0.13,
          reporters: 4,
          slaBreaches: { verification: 0, firstFollowUp: 1, completion: 0 },
        },
      ]),
    ],
    ['topics', topicRecapReport(NTT_2024, [{ ...unit, topics: [{ category: 'PUNGLI', categoryId: null, count: 2 }] }])],
    [
      'routing',
      routingReport(NTT_2024, [{ nodeId: 'x', name: 'Dinas PUPR', dispositionsReceived: 8, returned: 2, bounceRate: 25, averageDaysLostPerReturn: 3 }]),
    ],
    [
      'breaches',
      breachReport(NTT_2024, [{ nodeId: 'x', name: 'Dinas PUPR', verification: 1, firstFollowUp: 0, completion: 0, total: 1, averageWorkingDaysLate: 2 }], {
        nodeId: 'ntt',
        name: 'Pemprov NTT',
        verification: 1,
        firstFollowUp: 0,
        completion: 0,
        total: 1,
        averageWorkingDaysLate: 2,
      }),
    ],
  ];

  it.each(presets)('given the %s preset, then each of its rows holds a field for every column', (_name, table) => {
    for (const row of every(table)) expect(table.columns.filter((column) => !(column.key in row)).map((column) => column.key)).toEqual([]);
  });
});
