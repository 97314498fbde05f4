export { statisticsRoutes, type StatisticsOptions } from './plugin';
export { openStatistics, type OpenedStatistics, type OpenStatisticsOptions } from './open';
