export { followUpRoutes } from './plugin';
export { openInbox, INBOX_READY_WITHIN_EVENTS, type OpenedInbox } from './inbox/open';
export { rebuildInbox } from './inbox/rebuild';
export { prepareInboxTables } from './inbox/tables';
export {
  countInbox,
  decodeCursor,
  INBOX_COUNTED_UP_TO,
  INBOX_SEARCH_COUNTED_UP_TO,
  queryInboxPage,
  searchScopeOf,
  WIDE_SEARCH_WINDOWS,
  type InboxFilter,
  type WideSearchWindows,
} from './inbox/query';
export { INBOX_PROJECTION, INBOX_SCHEMA, INBOX_SHADOW_SCHEMA } from './inbox/tables';
