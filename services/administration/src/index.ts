export { administrationRoutes } from './plugin';
export { openOrganisation, type OpenedOrganisation } from './organisation/open';
export { staffAdministrationRoutes } from './accounts/plugin';
export { ACCOUNTS_TAG } from './accounts/schemas';
export { openAuditTrail, type OpenedAuditTrail } from './audit/open';
export { HOLDINGS_READ_SIDE, HOLDINGS_SCHEMA } from './organisation/holdings';
export { AUDIT_SCHEMA, AUDIT_TRAIL } from './audit/tables';
