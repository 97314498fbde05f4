import { DestinationPolicy } from './destinations';

// Where we may post. HTTPS only: the body is a complaint's substance and the signature does not
// hide it. Plain HTTP only to this machine, and only when the operator allows it (tests, a
// developer's receiver): never to a network where someone could read or change it.

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why this URL may not receive deliveries, or null when it may. */
export function receiverUrlProblem(value: string, allowInsecureLocalhost: boolean, destinations = new DestinationPolicy()): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not an absolute URL';
  }
  // credentials in the URL would be shown to everyone who lists the subscriptions
  if (url.username || url.password) return 'must not carry a user name or password; authenticate deliveries by their signature';
  if (url.hash) return 'must not have a #fragment';
  if (url.protocol === 'http:') {
    if (!LOOPBACK_HOSTS.has(url.hostname)) return 'must be https (plain http only to localhost, and only where the operator allows it)';
    if (!allowInsecureLocalhost) return 'must be https (plain http to localhost is off here: LAPOR_WEBHOOK_ALLOW_INSECURE_LOCALHOST)';
  } else if (url.protocol !== 'https:') return 'must be https';
  // an address inside a private network is refused now; a name, at every delivery by what it resolves to
  return destinations.hostProblem(url.hostname);
}
