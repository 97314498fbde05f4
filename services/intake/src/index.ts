export { intakeRoutes, type IntakeOptions } from './plugin';
export { openSystemList, SYSTEM_LIST_READY_WITHIN_EVENTS, type OpenedSystemList } from './integrations/system-list/open';
export { SYSTEM_LIST_PROJECTION, SYSTEM_LIST_SCHEMA } from './integrations/system-list/tables';
