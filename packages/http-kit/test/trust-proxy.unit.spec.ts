import { TrustedProxies } from '../src/trust-proxy';

describe('LAPOR_TRUST_PROXY, the proxies whose X-Forwarded-For is believed', () => {
  it('given addresses and networks, then each is a trusted proxy', () => {
    expect(TrustedProxies.parse('127.0.0.1, 10.0.0.0/8,::1,fd00::/8')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
  });

  it('given the private ranges by name (a compose network), then they are trusted proxies', () => {
    expect(TrustedProxies.parse('uniquelocal,loopback,linklocal')).toEqual(['uniquelocal', 'loopback', 'linklocal']);
  });

  it('given nothing, then no proxy is trusted', () => {
    expect(TrustedProxies.parse(undefined)).toEqual([]);
    expect(TrustedProxies.parse('')).toEqual([]);
  });

  it.each(['true', '*', 'ALL', '0.0.0.0/0', '::/0', '127.0.0.1,*'])('given "%s", then it is refused: every client could name its own address', (value) => {
    const parsed = TrustedProxies.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/would trust every client/);
  });

  it.each(['2', 'gateway', '10.0.0.0/33', '10.0.0.0/x', '300.1.1.1', '10.0.0.0/8/8'])(
    'given "%s", then it is refused as not an address or a network',
    (value) => {
      const parsed = TrustedProxies.safeParse(value);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/not an IP address or a network/);
    },
  );
});
