export { ComplaintRepository, type CommandOutcome, type ExecuteOptions, type LoadedComplaint } from './complaint-repository';
export { fromStoredEvent, toStoredEvents, type EventContext } from './stored-events';
export { complaintIdForTrackingId, eventIdFor, uuidV5 } from './uuid-v5';
export { ORGANISATION_STREAM, OrganisationDirectory } from './organisation-directory';
