export {
  complaintAsOf,
  DAY_MS,
  recapRow,
  rowNodeOf,
  STATUS_COLUMN,
  unitRecap,
  type RecapQuery,
  type StatusColumn,
  type Tally,
  type UnitRecap,
} from './unit-recap';
export {
  AdminPerformanceRow,
  AdminPerformanceTableRow,
  BreachRow,
  PeriodStatisticsRow,
  RoutingRow,
  RoutingSummary,
  TopicCount,
  TopicRecapRow,
  UnitRecapRow,
  UnitRecapTableRow,
} from './rows';
export { REPORT_DAY_LIMITS } from './report-definitions';
export { localDateOf, receivedOnOf, type Period } from './local-date';
export { createStatisticsProjection, type ProjectionDependencies } from './projection';
export { prepareStatisticsTables, PROJECTION_NAME, STATISTICS_SCHEMA, SHADOW_SCHEMA, statisticsDdl } from './tables';
export { queryUnitRecap, queryUnitRecapByIntervals } from './queries/recap';
export { asOfStructure, currentStructure, endOfLocalDay, RECAP_STRUCTURES, type RecapStructure, type ReportingTree } from './structure';
export { queryAdminPerformance } from './queries/admin';
export { queryPeriodStatistics } from './queries/period';
export { queryTopicRecap, type TopicRecap } from './queries/topics';
export { categoryNamesAt, freeTextCategories, type CategoryNaming, type NamedCategory } from './category-names';
export { queryRouting, type RoutingReport } from './queries/routing';
export { rebuildStatistics, type RebuildOptions, type RebuildProgress, type RebuildResult } from './rebuild';
export { keepWorkingDaysCounted, recountUnknownWorkingDays } from './recount';
export { queryBreaches } from './queries/breaches';
