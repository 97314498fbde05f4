export { administrationRoutes } from './plugin';
export { staffAdministrationRoutes } from './accounts/plugin';
export { ACCOUNTS_TAG } from './accounts/schemas';
export { openAuditTrail, type OpenedAuditTrail } from './audit/open';
