import { createHmac } from 'node:crypto';
import { newSigningSecret, signDelivery, verifyDelivery } from '../src/signing';

describe('delivery signatures', () => {
  const secret = newSigningSecret();
  const body = '{"id":"e1","type":"ComplaintVerified"}';

  it('is HMAC-SHA256 over "<timestamp>.<body>" with the secret, as the docs tell receivers', () => {
    const expected = createHmac('sha256', secret).update(`1741000000.${body}`).digest('hex');
    expect(signDelivery(secret, 1741000000, body)).toBe(`v1=${expected}`);
  });

  it('given a genuine, fresh delivery, then a receiver accepts it', () => {
    const signature = signDelivery(secret, 1741000000, body);
    expect(verifyDelivery({ secret, signature, timestamp: '1741000000', body, nowSeconds: 1741000100 })).toBe('ok');
  });

  it('given a changed body, another secret or a moved timestamp, then it is refused', () => {
    const signature = signDelivery(secret, 1741000000, body);
    expect(verifyDelivery({ secret, signature, timestamp: '1741000000', body: body.replace('Verified', 'Archived'), nowSeconds: 1741000000 })).toBe(
      'bad-signature',
    );
    expect(verifyDelivery({ secret: newSigningSecret(), signature, timestamp: '1741000000', body, nowSeconds: 1741000000 })).toBe('bad-signature');
    expect(verifyDelivery({ secret, signature, timestamp: '1741000001', body, nowSeconds: 1741000000 })).toBe('bad-signature');
    expect(verifyDelivery({ secret, signature: undefined, timestamp: '1741000000', body, nowSeconds: 1741000000 })).toBe('bad-signature');
  });

  it('given a genuine delivery captured and sent again later, then it is stale', () => {
    const signature = signDelivery(secret, 1741000000, body);
    expect(verifyDelivery({ secret, signature, timestamp: '1741000000', body, nowSeconds: 1741000000 + 301 })).toBe('stale');
  });

  it('makes a new, long secret each time', () => {
    const [a, b] = [newSigningSecret(), newSigningSecret()];
    expect(a).not.toBe(b);
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });
});
