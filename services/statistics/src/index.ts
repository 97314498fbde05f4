export { statisticsProjectionFor, statisticsRoutes, type StatisticsOptions } from './plugin';
