export { statisticsRoutes } from './plugin';
