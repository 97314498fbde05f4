export { administrationRoutes } from './plugin';
