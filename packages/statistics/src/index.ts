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
  type UnitRecapRow,
} from './unit-recap';
export { localDateOf, receivedOnOf, type Period } from './local-date';
export { createStatisticsProjection, type ProjectionDependencies } from './projection';
export { prepareStatisticsTables, PROJECTION_NAME, STATISTICS_SCHEMA, SHADOW_SCHEMA, statisticsDdl } from './tables';
export { queryUnitRecap } from './queries/recap';
export { queryAdminPerformance, type AdminPerformanceRow } from './queries/admin';
export { queryPeriodStatistics, type PeriodStatisticsRow } from './queries/period';
export { queryTopicRecap, type TopicCount, type TopicRecap, type TopicRecapRow } from './queries/topics';
export { queryRouting, type RoutingReport, type RoutingRow, type RoutingSummary } from './queries/routing';
export { rebuildStatistics, type RebuildOptions, type RebuildProgress, type RebuildResult } from './rebuild';
export { keepWorkingDaysCounted, recountUnknownWorkingDays } from './recount';
export { queryBreaches, type BreachRow } from './queries/breaches';
