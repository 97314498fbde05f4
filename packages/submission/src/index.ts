export { SubmissionBody } from './body';
export { integrationScope, trackingIdForExternalReference } from './external-reference';
export { isPubliclyVisible, PUBLIC_EVENT_LABELS, publicHistory } from './public';
export { submitComplaint, type SubmissionContext, type SubmissionOutcome, type Submitter } from './submit';
