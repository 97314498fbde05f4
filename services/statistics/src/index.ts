export { statisticsRoutes, type StatisticsOptions } from './plugin';
