export { intakeRoutes } from './plugin';
