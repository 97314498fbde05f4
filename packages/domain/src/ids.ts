import { z } from 'zod';

// One helper per identifier shape, so no id is ever built by hand in two places.

// ---------------------------------------------------------------------------
// Complaint id and stream name
// ---------------------------------------------------------------------------

/** Internal id of a complaint, generated at the edge (a UUID). Never shown to the public. */
export const ComplaintId = z.uuid();
export type ComplaintId = z.infer<typeof ComplaintId>;

const STREAM_PREFIX = 'complaint-';

export const complaintStream = (complaintId: ComplaintId): string => `${STREAM_PREFIX}${complaintId}`;

// ComplaintId's own pattern, tested bare: every read side asks this of every event it reads, and
// a schema's safeParse around the test cost twice the test
const COMPLAINT_ID_PATTERN = z.regexes.uuid();

/** The complaint id inside a stream name, or null when the stream is not a complaint's. */
export const complaintIdFromStream = (stream: string): ComplaintId | null => {
  if (!stream.startsWith(STREAM_PREFIX)) return null;
  const id = stream.slice(STREAM_PREFIX.length);
  return COMPLAINT_ID_PATTERN.test(id) ? id : null;
};

// ---------------------------------------------------------------------------
// Tracking id: what the reporter and the public use, e.g. LAP-7KQ2M9XH4D
// ---------------------------------------------------------------------------

// No 0/O, 1/I: reporters read these aloud on the phone and type them into SMS.
// 32 symbols, so one random byte maps to one symbol without bias (256 = 8 × 32).
export const TRACKING_ID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const TRACKING_ID_PREFIX = 'LAP-';
export const TRACKING_ID_LENGTH = 10;

const TRACKING_ID_PATTERN = new RegExp(`^${TRACKING_ID_PREFIX}[${TRACKING_ID_ALPHABET}]{${TRACKING_ID_LENGTH}}$`);

export const TrackingId = z.string().regex(TRACKING_ID_PATTERN, 'not a tracking id (LAP- and 10 characters)');
export type TrackingId = z.infer<typeof TrackingId>;

export const isTrackingId = (value: string): value is TrackingId => TRACKING_ID_PATTERN.test(value);

/**
 * A tracking id as a person typed it (lower case, spaces, missing dash) in canonical form,
 * or null when it cannot be one. The mix-ups people make (O for 0, I or L for 1) are not
 * guessed at: those characters never occur, so a guess could only ever hit someone else's id.
 */
export function normaliseTrackingId(input: string): TrackingId | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  const body = compact.length === TRACKING_ID_LENGTH + 3 && compact.startsWith('LAP') ? compact.slice(3) : compact;
  const candidate = `${TRACKING_ID_PREFIX}${body}`;
  return isTrackingId(candidate) ? candidate : null;
}

/** A source of random bytes, e.g. `(n) => crypto.getRandomValues(new Uint8Array(n))` at the edge. */
export type RandomBytes = (size: number) => Uint8Array;

/** Generation stays pure: the caller brings the randomness (and checks uniqueness against its store). */
export function generateTrackingId(randomBytes: RandomBytes): TrackingId {
  const bytes = randomBytes(TRACKING_ID_LENGTH);
  if (bytes.length < TRACKING_ID_LENGTH) throw new Error(`random source returned ${bytes.length} bytes, need ${TRACKING_ID_LENGTH}`);
  let body = '';
  for (let i = 0; i < TRACKING_ID_LENGTH; i++) {
    body += TRACKING_ID_ALPHABET[(bytes[i] ?? 0) % TRACKING_ID_ALPHABET.length];
  }
  return `${TRACKING_ID_PREFIX}${body}`;
}
