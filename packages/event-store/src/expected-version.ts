import type { ExpectedVersion } from './port';

// The append statement takes the expectation as one bigint, with EventStoreDB's numbers for the
// named cases, so a single prepared statement covers them all.
export const EXPECT_NO_STREAM = -1n;
export const EXPECT_ANY = -2n;
export const EXPECT_STREAM_EXISTS = -4n;

export function encodeExpectedVersion(expected: ExpectedVersion): bigint {
  switch (expected) {
    case 'any':
      return EXPECT_ANY;
    case 'no_stream':
      return EXPECT_NO_STREAM;
    case 'stream_exists':
      return EXPECT_STREAM_EXISTS;
    default:
      if (expected < 0n) throw new RangeError(`expected version must be 0 or more, got ${expected}`);
      return expected;
  }
}

/**
 * After losing a race, may the append simply try again? Only when the caller did not pin a version
 * and the stream still satisfies what they asked for.
 */
export function mayRetryAfterConflict(expected: ExpectedVersion, actual: bigint | undefined): boolean {
  return expected === 'any' || (expected === 'stream_exists' && actual !== undefined);
}
