// @lapor/background: what a process does beside its requests, written once — the backoff every
// retry loop and outbox waits by, retrying a step, the loop that fires what is due, mapLimit.
export { Backoff, backoffDelay, type BackoffPolicy } from './backoff';
export { startDueLoop, type DueLoop, type DueLoopOptions } from './due-loop';
export { mapLimit } from './map-limit';
export { retrying, type RetryOptions } from './retry';
export { sleep } from './sleep';
