export { dispositionRoutes } from './plugin';
