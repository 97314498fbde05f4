export { openStatisticsProjection, statisticsRoutes, type StatisticsOptions } from './plugin';
