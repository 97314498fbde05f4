export { open311Routes, type Open311Options } from './plugin';
export { open311ErrorOf, Open311Error, Open311Errors, useOpen311Errors } from './errors';
export { OPEN311_SERVICES, type Open311Service } from './services';
export { OPEN311_STATUS, toOpen311Request } from './mapping';
export { openPublicList, PUBLIC_LIST_READY_WITHIN_EVENTS, type OpenedPublicList } from './public-list/open';
export { PUBLIC_LIST_PROJECTION, PUBLIC_LIST_SCHEMA } from './public-list/tables';
