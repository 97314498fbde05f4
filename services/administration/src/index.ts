export { administrationRoutes } from './plugin';
export { openOrganisation, type OpenedOrganisation } from './organisation/open';
