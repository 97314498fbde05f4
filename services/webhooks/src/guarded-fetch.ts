import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { Agent } from 'undici';
import type { DestinationPolicy } from './destinations';
import type { Fetch } from './post';

// A fetch that connects only where the destination policy allows. The check sits in the socket's
// own DNS lookup, so the address checked is the address connected to: a name that answers a public
// address to a first look and 127.0.0.1 to the next (DNS rebinding) gains nothing. Redirects are
// never followed (post.ts), so no second hop escapes the check.

/** The code of a connection refused by the policy, on the error's cause as fetch reports it. */
export const DESTINATION_REFUSED = 'ELAPOR_DESTINATION_REFUSED';

export class DestinationRefused extends Error {
  readonly code = DESTINATION_REFUSED;
  constructor(
    readonly host: string,
    readonly problem: string,
  ) {
    super(`${host} is a ${problem}; deliveries go to public addresses only`);
    this.name = 'DestinationRefused';
  }
}

/** Every address of a name, as `dns.lookup` with `all: true` answers them. */
export type Resolve = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolve: Resolve = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

/** `resolve`: the system's resolver; a test's stands in for a DNS server it controls. */
export function guardedFetch(policy: DestinationPolicy, resolve: Resolve = systemResolve): Fetch {
  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname, (error, found) => {
      if (error) return callback(error, '', 0);
      // the family asked for, when one was (autoSelectFamily asks for any)
      const addresses = options.family === 4 || options.family === 6 ? found.filter((entry) => entry.family === options.family) : found;
      // any address of the name refused refuses the name: a receiver resolving into a private
      // network is misconfigured or an attempt, and trying its other addresses would hide which
      const refused = addresses.map((entry) => policy.addressProblem(entry.address)).find(Boolean);
      if (refused || addresses.length === 0) return callback(new DestinationRefused(hostname, refused ?? 'name with no address'), '', 0);
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses as [LookupAddress];
      callback(null, first.address, first.family);
    });
  };
  // undici (110 modules) loads with the first delivery, not with every process that serves webhooks
  let dispatcher: Agent | undefined;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const { Agent, fetch: undiciFetch } = await import('undici');
    dispatcher ??= new Agent({ connect: { lookup } });
    const url = new URL(input instanceof Request ? input.url : input);
    // an IP address in the URL is connected to without a lookup: judge it here
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal)) {
      const problem = policy.addressProblem(literal);
      if (problem) throw new TypeError('fetch failed', { cause: new DestinationRefused(literal, problem) });
    }
    return undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher });
  }) as unknown as Fetch;
}
