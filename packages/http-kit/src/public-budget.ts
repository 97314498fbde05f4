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
