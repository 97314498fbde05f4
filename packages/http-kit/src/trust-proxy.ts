import type { FastifyServerOptions } from 'fastify';
import { isIP } from 'node:net';
import { z } from 'zod';

// Which proxies' X-Forwarded-For is believed decides whose address a rate limit counts: trusting
// every hop lets any client name itself anyone (a fresh budget per request), trusting none makes a
// whole country behind one load balancer share one budget. So trust is a list of proxy addresses
// or networks, read once by the gateway and every service alike (LAPOR_TRUST_PROXY), and never
// "everything".

/** `10.0.0.7`, `::1`, or a network as `10.0.0.0/8`, `fd00::/8`. */
function isAddressOrNetwork(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const bits = Number(prefix);
  // a /0 is "everyone": refused like `*`
  return bits >= 1 && bits <= (family === 4 ? 32 : 128);
}

const EVERYTHING = new Set(['true', '*', 'all']);
// Fastify's (proxy-addr's) names for the private ranges: a compose or cluster network, not everyone
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * LAPOR_TRUST_PROXY: proxy addresses or networks separated by commas (`127.0.0.1,10.0.0.0/8`), or
 * the private ranges by name (`loopback`, `linklocal`, `uniquelocal`: 10/8, 172.16/12, 192.168/16, fc00::/7).
 * Absent or empty: no proxy is trusted and X-Forwarded-For is ignored.
 */
export const TrustedProxies = z
  .string()
  .optional()
  .transform((value, context) => {
    const entries = (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    for (const entry of entries) {
      if (EVERYTHING.has(entry.toLowerCase()) || /^(0\.0\.0\.0|::)\/0$/.test(entry)) {
        context.addIssue({
          code: 'custom',
          message: `"${entry}" would trust every client to name its own address (and so its own rate limit); list the proxies' addresses or networks instead`,
        });
      } else if (!NAMED_RANGES.has(entry) && !isAddressOrNetwork(entry)) {
        context.addIssue({ code: 'custom', message: `"${entry}" is not an IP address or a network such as 10.0.0.0/8` });
      }
    }
    return entries;
  });
export type TrustedProxies = z.infer<typeof TrustedProxies>;

/** Fastify's server options for the trusted proxies: the one place a process's trust is applied. */
export function trustProxyOptions(proxies: TrustedProxies | undefined): Pick<FastifyServerOptions, 'trustProxy'> {
  return proxies && proxies.length > 0 ? { trustProxy: [...proxies] } : {};
}
