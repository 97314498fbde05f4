import type { ExpectedVersion } from './port';

/** Thrown when the stream is not at the expected version: the caller reloads and decides again. */
export class WrongExpectedVersionError extends Error {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected version ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/**
 * Thrown when some of the appended event ids are already stored, but not as exactly this batch in
 * this stream: a retry must resend the same events to the same stream, so this is a caller bug.
 */
export class DuplicateEventIdError extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(
    readonly streamId: string,
    /** The ids of this append that were already stored. */
    readonly eventIds: readonly string[],
  ) {
    super(
      `stream ${streamId}: event ids already stored (${eventIds.join(', ')}); ` + 'a retried append must resend exactly the same events to the same stream',
    );
    this.name = 'DuplicateEventIdError';
  }
}
