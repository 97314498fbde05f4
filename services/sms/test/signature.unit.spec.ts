import { withoutNumbers } from '../src/outbox/sender';
import { PROVIDER_HEADER, SIGNATURE_HEADER, signSmsWebhook, TIMESTAMP_HEADER, verifySmsWebhook } from '../src/inbound/signature';

// The webhook's signature, and what a provider's error may not leak (the outbox's backoff is @lapor/background's).

const SECRET = 'provider-secret-0123456789';
const PROVIDERS = new Map([['telco', ['old-secret-0123456789', SECRET]]]);
const NOW = Date.parse('2026-03-02T01:00:00Z');
const body = Buffer.from('{"messageId":"m-1","from":"081234567890","text":"Jalan rusak di Oebobo"}');
const signed = (timestamp: number, secret = SECRET, raw: Buffer = body) => ({
  [PROVIDER_HEADER]: 'telco',
  [TIMESTAMP_HEADER]: String(timestamp),
  [SIGNATURE_HEADER]: signSmsWebhook(secret, timestamp, raw),
});
const verify = (headers: Record<string, string>, raw = body) => verifySmsWebhook(headers, raw, PROVIDERS, NOW, 5 * 60_000);

describe('verifying a signed webhook', () => {
  it('given the body signed with either of the provider’s secrets (rotation), then it is valid', () => {
    expect(verify(signed(NOW / 1000))).toEqual({ valid: true, provider: 'telco' });
    expect(verify(signed(NOW / 1000, 'old-secret-0123456789'))).toEqual({ valid: true, provider: 'telco' });
  });

  it('given a body changed after signing, then it is refused', () => {
    expect(verify(signed(NOW / 1000), Buffer.from(body.toString().replace('rusak', 'bagus')))).toMatchObject({ valid: false });
  });

  it('given another secret, a missing header or an unknown provider, then it is refused with the reason', () => {
    expect(verify(signed(NOW / 1000, 'attacker-secret-000000'))).toMatchObject({ valid: false, reason: expect.stringContaining(SIGNATURE_HEADER) });
    const { [SIGNATURE_HEADER]: _dropped, ...unsigned } = signed(NOW / 1000);
    expect(verify(unsigned)).toMatchObject({ valid: false, reason: expect.stringContaining('not signed') });
    expect(verify({ ...signed(NOW / 1000), [PROVIDER_HEADER]: 'other' })).toMatchObject({ valid: false, reason: expect.stringContaining(PROVIDER_HEADER) });
  });

  it('given a timestamp more than 5 minutes off either way, then it is refused even with a good signature (no replay)', () => {
    expect(verify(signed(NOW / 1000 - 299))).toMatchObject({ valid: true });
    expect(verify(signed(NOW / 1000 - 301))).toMatchObject({ valid: false, reason: expect.stringContaining(TIMESTAMP_HEADER) });
    expect(verify(signed(NOW / 1000 + 301))).toMatchObject({ valid: false });
  });

  it('given a replayed request with a fresh timestamp but the old signature, then it is refused: the timestamp is signed', () => {
    const old = signed(NOW / 1000 - 3600);
    expect(verify({ ...old, [TIMESTAMP_HEADER]: String(NOW / 1000) })).toMatchObject({ valid: false });
  });
});

describe('a provider’s error text', () => {
  it('loses any phone number it echoes before it is stored or logged', () => {
    expect(withoutNumbers('HTTP 400: {"error":"invalid destination +62 812-3456-7890"}')).toBe('HTTP 400: {"error":"invalid destination [number]"}');
    expect(withoutNumbers('HTTP 400: 081234567890 unreachable')).toBe('HTTP 400: [number] unreachable');
  });
});
