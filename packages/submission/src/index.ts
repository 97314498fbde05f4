export { SubmissionBody } from './body';
export { integrationScope } from './external-reference';
export { TRACKING_ID_KEY_PURPOSE, trackingIdForCommand, trackingIdForExternalReference } from './tracking-ids';
export { isPubliclyVisible, PUBLIC_EVENT_LABELS, publicHistory } from './public';
export { submitComplaint, type SubmissionContext, type SubmissionOutcome, type Submitter } from './submit';
