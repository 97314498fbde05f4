import { generateTrackingId, type TrackingId } from '@lapor/domain';
import { createHmac } from 'node:crypto';

// Tracking ids that follow from what was sent (an agency's external reference, an
// Idempotency-Key), so a retry meets the complaint it made. Keyed with a server secret: with a
// plain hash anyone knowing an instansi and its ticket numbers, or a citizen's Idempotency-Key,
// could compute the tracking id and read the complaint's public page. The key is derived from the
// master key (PersonalDataVault.derivedKey), so the deployment keeps one secret, not two.

/** What the key is derived for; changing it changes every derived tracking id. */
export const TRACKING_ID_KEY_PURPOSE = 'tracking ids';

function keyedTrackingId(key: Buffer, namespace: string, parts: readonly string[]): TrackingId {
  const digest = createHmac('sha256', key)
    .update([namespace, ...parts].join('\n'), 'utf8')
    .digest();
  return generateTrackingId((size) => digest.subarray(0, size));
}

/** The tracking id of the complaint a system sent under `externalReference` (one helper, never built twice). */
export const trackingIdForExternalReference = (key: Buffer, scope: string, externalReference: string): TrackingId =>
  keyedTrackingId(key, 'lapor-external-reference', [scope, externalReference]);

/** The tracking id of a submission under an Idempotency-Key (its command id). */
export const trackingIdForCommand = (key: Buffer, commandId: string): TrackingId => keyedTrackingId(key, 'lapor-idempotent-submission', [commandId]);
