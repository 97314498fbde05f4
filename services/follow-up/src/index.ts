export { followUpRoutes } from './plugin';
