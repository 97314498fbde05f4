import { createHmac, timingSafeEqual } from 'node:crypto';

// ---------------------------------------------------------------------------
// Signed webhooks: HMAC-SHA256 over "<timestamp>.<raw body>" with the provider's secret.
//
//   x-lapor-sms-provider:  the provider's name, as configured (LAPOR_SMS_PROVIDERS=name:secret)
//   x-lapor-sms-timestamp: Unix seconds when the provider signed
//   x-lapor-sms-signature: sha256=<hex>
//
// The timestamp is inside what is signed, so an old request cannot be replayed with a fresh one.
// ---------------------------------------------------------------------------

export const PROVIDER_HEADER = 'x-lapor-sms-provider';
export const TIMESTAMP_HEADER = 'x-lapor-sms-timestamp';
export const SIGNATURE_HEADER = 'x-lapor-sms-signature';
const SCHEME = 'sha256=';

/** What a provider sends in the signature header for this body at this moment. */
export const signSmsWebhook = (secret: string, timestampSeconds: number, rawBody: string | Buffer): string =>
  `${SCHEME}${createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex')}`;

export type SignatureCheck = { readonly valid: true; readonly provider: string } | { readonly valid: false; readonly reason: string };

/**
 * Checks the three headers against the raw body: a known provider, a timestamp within `toleranceMs`
 * of `nowMs` either way, and a signature one of the provider's secrets made (compared in constant time).
 */
export function verifySmsWebhook(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  rawBody: Buffer,
  providers: ReadonlyMap<string, readonly string[]>,
  nowMs: number,
  toleranceMs: number,
): SignatureCheck {
  const single = (name: string): string | undefined => {
    const value = headers[name];
    return typeof value === 'string' ? value.trim() : undefined;
  };
  const provider = single(PROVIDER_HEADER)?.toLowerCase();
  const timestamp = single(TIMESTAMP_HEADER);
  const signature = single(SIGNATURE_HEADER);
  if (!provider || !timestamp || !signature) {
    return { valid: false, reason: `The request is not signed: ${PROVIDER_HEADER}, ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} are required.` };
  }
  const secrets = providers.get(provider);
  if (!secrets || secrets.length === 0) return { valid: false, reason: `${PROVIDER_HEADER}: no SMS provider of this name is configured.` };
  if (!/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: `${TIMESTAMP_HEADER}: Unix seconds expected.` };
  if (Math.abs(nowMs - Number(timestamp) * 1000) > toleranceMs) {
    return { valid: false, reason: `${TIMESTAMP_HEADER}: more than ${toleranceMs / 60_000} minutes from now; sign the request again when retrying.` };
  }
  const presented = Buffer.from(signature.startsWith(SCHEME) ? signature.slice(SCHEME.length) : signature, 'hex');
  const matches = secrets.some((secret) => {
    const expected = Buffer.from(signSmsWebhook(secret, Number(timestamp), rawBody).slice(SCHEME.length), 'hex');
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  });
  return matches ? { valid: true, provider } : { valid: false, reason: `${SIGNATURE_HEADER}: the signature does not match the body.` };
}
