export { followUpRoutes } from './plugin';
export { openInbox, INBOX_READY_WITHIN_EVENTS, type OpenedInbox } from './inbox/open';
