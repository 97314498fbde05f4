export { intakeRoutes } from './plugin';
export { submitComplaint, type SubmissionContext, type SubmissionOutcome, type Submitter } from './submission';
export { integrationScope, trackingIdForExternalReference } from './external-reference';
export { isPubliclyVisible, PUBLIC_EVENT_LABELS, publicHistory } from './public';
export { SubmissionBody } from './schemas';
