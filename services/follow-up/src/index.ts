export { followUpRoutes } from './plugin';
export { openInbox, INBOX_READY_WITHIN_EVENTS, type OpenedInbox } from './inbox/open';
export { rebuildInbox } from './inbox/rebuild';
export { prepareInboxTables } from './inbox/tables';
export { countInbox, decodeCursor, queryInboxPage, type InboxFilter } from './inbox/query';
