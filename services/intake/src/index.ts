export { intakeRoutes, type IntakeOptions } from './plugin';
export { openSystemList, SYSTEM_LIST_READY_WITHIN_EVENTS, type OpenedSystemList } from './integrations/system-list/open';
