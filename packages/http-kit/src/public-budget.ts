import type { FastifyRequest } from 'fastify';
import { provenCaller } from './authenticate';

interface Window {
  count: number;
  startedAt: number;
}

/** Addresses remembered at most: past this the oldest window is dropped (it would have expired first). */
const ADDRESSES_KEPT = 100_000;

/**
 * The rate-limit store behind the public budget: one count per address for every route that uses
 * it. @fastify/rate-limit gives each route a store of its own (`child`), so an address had 30 a
 * minute on every public route; this one answers `child` with itself. Counts live in this process:
 * behind a balancer, each gateway process grants its own budget.
 */
export class OneBudgetStore {
  private readonly windows = new Map<string, Window>();

  incr(key: string, done: (error: Error | null, state: { current: number; ttl: number }) => void, timeWindow: number): void {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.startedAt + timeWindow <= now) {
      this.windows.delete(key);
      window = { count: 0, startedAt: now };
      if (this.windows.size >= ADDRESSES_KEPT) this.windows.delete(this.windows.keys().next().value!);
    }
    window.count++;
    this.windows.set(key, window);
    done(null, { current: window.count, ttl: window.startedAt + timeWindow - now });
  }

  child(): this {
    return this;
  }
}

/**
 * Route config for the public routes: one budget per address across all of them, counted for every
 * request that did not prove a staff token or an API key at the door. A credential header that is
 * merely present (junk, expired, revoked) proves nothing and is counted like no header at all.
 */
export const PUBLIC_BUDGET = {
  rateLimit: { allowList: (request: FastifyRequest): boolean => provenCaller(request) !== undefined },
};

/** The public budget's name in the RateLimit fields (one policy: every public route shares it). */
const POLICY = '"public"';

/**
 * The budget as the IETF draft says it (draft-ietf-httpapi-ratelimit-headers-10, also the syntax of
 * -11): `RateLimit-Policy: "public";q=30;w=60` (the quota and its window in seconds) and
 * `RateLimit: "public";r=12;t=41` (what is left, and the seconds until the window starts again).
 * Read from the x-ratelimit-* fields @fastify/rate-limit writes, which stay for clients that read them.
 */
export function rateLimitFields(headers: Record<string, unknown>, windowSeconds: number): Record<string, string> | undefined {
  const limit = headers['x-ratelimit-limit'];
  const remaining = headers['x-ratelimit-remaining'];
  const reset = headers['x-ratelimit-reset'];
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  return {
    'ratelimit-policy': `${POLICY};q=${Number(limit)};w=${windowSeconds}`,
    ratelimit: `${POLICY};r=${Number(remaining)};t=${Number(reset)}`,
  };
}
