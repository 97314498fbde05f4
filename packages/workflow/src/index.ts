export { ComplaintRepository, type CommandOutcome, type Decision, type ExecuteOptions, type LoadedComplaint } from './complaint-repository';
export { fromStoredEvent, toStoredEvents, type EventContext } from './stored-events';
export { complaintIdForTrackingId, eventIdFor, uuidV5 } from './uuid-v5';
export {
  ORGANISATION_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS,
  ORGANISATION_STREAM,
  OrganisationDirectory,
  type OrganisationOutcome,
} from './organisation-directory';
export { CategoryCatalog } from './category-catalog';
export type { CatchUpRead, FollowedStream } from './followed-stream';
