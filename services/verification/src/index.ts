export { verificationRoutes } from './plugin';
