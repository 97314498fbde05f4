import { BlockList, isIP } from 'node:net';

// Which addresses a delivery may connect to. A subscription names any URL, so without this rule an
// agency's API key could make this server POST into its own network (the cloud's metadata service,
// the database, the broker) and read from the delivery log which ports answer. Only public unicast
// addresses are reachable, unless the operator lists networks of its own (a receiver inside the
// data centre, a test's receiver on 127.0.0.1).

/** Networks no delivery goes to: [address, prefix, family, what it is]. */
const NOT_PUBLIC: readonly (readonly [string, number, 'ipv4' | 'ipv6', string])[] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  // 169.254.169.254 is the metadata service of most clouds
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.0.2.0', 24, 'ipv4', 'documentation'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved'],
  ['198.51.100.0', 24, 'ipv4', 'documentation'],
  ['203.0.113.0', 24, 'ipv4', 'documentation'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  // IPv4-compatible (deprecated), with :: and ::1 in it; IPv4-mapped ones are checked as IPv4 by BlockList
  ['::', 96, 'ipv6', 'unspecified, loopback or IPv4-compatible'],
  ['fc00::', 7, 'ipv6', 'unique-local'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
];

/** Networks in the form 10.1.0.0/16, fd00::/8 or a single address; comma or space separated. */
export function parseNetworks(text: string): string[] {
  const networks = text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  for (const network of networks) networkParts(network);
  return networks;
}

function networkParts(network: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address = '', prefixText, extra] = network.split('/');
  const version = isIP(address);
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (version === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
    throw new Error(`not a network: ${network} (expected an address or address/prefix, e.g. 10.20.0.0/16)`);
  }
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export class DestinationPolicy {
  private readonly refused = new Map<string, BlockList>();
  private readonly allowed = new BlockList();

  /** `allowedNetworks`: reachable even though not public (the operator's own receivers). */
  constructor(readonly allowedNetworks: readonly string[] = []) {
    for (const [address, prefix, family, kind] of NOT_PUBLIC) {
      const list = this.refused.get(kind) ?? new BlockList();
      list.addSubnet(address, prefix, family);
      this.refused.set(kind, list);
    }
    for (const network of allowedNetworks) {
      const { address, prefix, family } = networkParts(network);
      this.allowed.addSubnet(address, prefix, family);
    }
  }

  /** Why a delivery may not connect to this IP address, or null when it may. */
  addressProblem(address: string): string | null {
    const bare = address.replace(/^\[|\]$/g, '');
    const version = isIP(bare);
    if (version === 0) return 'not an IP address';
    const family = version === 4 ? 'ipv4' : 'ipv6';
    if (this.allowed.check(bare, family)) return null;
    for (const [kind, list] of this.refused) {
      if (list.check(bare, family)) return `${kind} address`;
    }
    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits: judge that one
    const embedded = family === 'ipv6' ? nat64Embedded(bare) : null;
    return embedded ? this.addressProblem(embedded) : null;
  }

  /**
   * Why a receiver's host may not be subscribed, judged before any DNS: an IP address (the URL
   * parser has already turned decimal and hex forms into dotted ones) or a name that is always
   * loopback. Names are judged again, by the addresses they resolve to, at every delivery.
   */
  hostProblem(hostname: string): string | null {
    const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (isIP(bare)) {
      const problem = this.addressProblem(bare);
      return problem ? `must not be a ${problem} (deliveries go to public addresses only)` : null;
    }
    if (bare === 'localhost' || bare.endsWith('.localhost')) {
      return this.addressProblem('127.0.0.1') && this.addressProblem('::1') ? 'must not be localhost (deliveries go to public addresses only)' : null;
    }
    return null;
  }
}

function nat64Embedded(address: string): string | null {
  const list = new BlockList();
  list.addSubnet('64:ff9b::', 96, 'ipv6');
  if (!list.check(address, 'ipv6')) return null;
  const groups = expandIpv6(address);
  const high = groups[6] ?? 0;
  const low = groups[7] ?? 0;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

function expandIpv6(address: string): number[] {
  const withoutV4 = address.includes('.')
    ? address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a: string, b: string, c: string, d: string) =>
        [((Number(a) << 8) | Number(b)).toString(16), ((Number(c) << 8) | Number(d)).toString(16)].join(':'),
      )
    : address;
  const [head = '', tail] = withoutV4.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((group) => parseInt(group, 16));
}
