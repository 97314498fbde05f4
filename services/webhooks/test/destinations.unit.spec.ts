import { DestinationPolicy, parseNetworks } from '../src/destinations';
import { receiverUrlProblem } from '../src/receiver-url';

// Deliveries reach public addresses only: what an agency's key names must not make this server
// POST into its own network (metadata service, database, broker).

describe('destination addresses', () => {
  const strict = new DestinationPolicy();

  it.each([
    ['169.254.169.254', /link-local \(cloud metadata\)/],
    ['10.0.0.1', /private/],
    ['172.20.3.4', /private/],
    ['192.168.1.10', /private/],
    ['127.0.0.1', /loopback/],
    ['127.8.9.10', /loopback/],
    ['0.0.0.0', /unspecified/],
    ['100.100.100.200', /CGNAT/],
    ['224.0.0.1', /multicast/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:a9fe:a9fe', /metadata/],
    ['fd00:ec2::254', /unique-local/],
    ['fe80::1', /link-local/],
    ['64:ff9b::a9fe:a9fe', /metadata/],
  ])('given %s, then it is refused (%s)', (address, kind) => {
    expect(strict.addressProblem(address)).toMatch(kind);
  });

  it('given public addresses, then they are allowed', () => {
    for (const address of ['8.8.8.8', '103.10.20.30', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      expect(strict.addressProblem(address)).toBeNull();
    }
  });

  it('given networks the operator allows, then those (and only those) are reachable', () => {
    const policy = new DestinationPolicy(parseNetworks('127.0.0.1/32, 10.20.0.0/16 fd12::/16'));
    expect(policy.addressProblem('127.0.0.1')).toBeNull();
    expect(policy.addressProblem('::ffff:127.0.0.1')).toBeNull();
    expect(policy.addressProblem('10.20.5.6')).toBeNull();
    expect(policy.addressProblem('fd12::9')).toBeNull();
    expect(policy.addressProblem('127.0.0.2')).toMatch(/loopback/);
    expect(policy.addressProblem('10.21.0.1')).toMatch(/private/);
    expect(() => parseNetworks('10.0.0.0/33')).toThrow(/not a network/);
    expect(() => parseNetworks('intranet')).toThrow(/not a network/);
  });
});

describe('receiver URLs naming a non-public host', () => {
  it.each([
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.1/hook',
    'https://192.168.1.1/hook',
    'https://127.0.0.1:5432/',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[fd00::1]/hook',
    'https://2130706433/hook', // 127.0.0.1 in decimal
    'https://0x7f000001/hook', // and in hex
    'https://0177.0.0.1/hook', // and in octal
    'https://0/hook',
    'https://localhost/hook',
    'https://api.localhost/hook',
  ])('given %s, then the subscription is refused', (url) => {
    expect(receiverUrlProblem(url, false)).toMatch(/must not be a|must not be localhost/);
  });

  it('given a public address or a name, then it is accepted now (a name is judged again at each delivery)', () => {
    expect(receiverUrlProblem('https://103.10.20.30/hook', false)).toBeNull();
    expect(receiverUrlProblem('https://kafka:9092/', false)).toBeNull();
  });

  it('given the operator allows loopback, then http to localhost is accepted where plain http is', () => {
    const loopback = new DestinationPolicy(['127.0.0.1/32', '::1/128']);
    expect(receiverUrlProblem('http://127.0.0.1:8080/hook', true, loopback)).toBeNull();
    expect(receiverUrlProblem('http://localhost:8080/hook', true, loopback)).toBeNull();
    expect(receiverUrlProblem('http://127.0.0.1:8080/hook', true)).toMatch(/loopback/);
  });
});
