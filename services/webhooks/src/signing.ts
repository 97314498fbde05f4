import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// How a receiver knows a delivery is ours and fresh: an HMAC-SHA256, keyed with the subscription's
// secret, over `<timestamp>.<body>`. The timestamp (Unix seconds) is signed with the body, so a
// captured request replayed later fails the receiver's freshness check (we suggest 5 minutes).

export const SIGNATURE_HEADER = 'x-lapor-signature';
export const TIMESTAMP_HEADER = 'x-lapor-timestamp';
export const EVENT_ID_HEADER = 'x-lapor-event-id';
export const EVENT_TYPE_HEADER = 'x-lapor-event-type';
export const DELIVERY_ID_HEADER = 'x-lapor-delivery-id';
export const REPLAY_HEADER = 'x-lapor-replay';
/** The event's place in the global log: a receiver that lost events asks for a replay from it. */
export const GLOBAL_POSITION_HEADER = 'x-lapor-global-position';

const SIGNATURE_VERSION = 'v1';

/** A new signing secret: shown to the subscriber once. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** The signature header's value: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `${SIGNATURE_VERSION}=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * What a receiver does (here for agencies to copy, and for our own tests of it): the signature
 * matches, compared in constant time, and the timestamp is within `toleranceSeconds` of its clock.
 */
export function verifyDelivery(options: {
  secret: string;
  signature: string | undefined;
  timestamp: string | undefined;
  body: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): 'ok' | 'bad-signature' | 'stale' {
  const timestamp = Number(options.timestamp);
  if (!options.signature || !Number.isInteger(timestamp)) return 'bad-signature';
  const expected = Buffer.from(signDelivery(options.secret, timestamp, options.body));
  const presented = Buffer.from(options.signature);
  if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return 'bad-signature';
  return Math.abs(options.nowSeconds - timestamp) > (options.toleranceSeconds ?? 300) ? 'stale' : 'ok';
}
