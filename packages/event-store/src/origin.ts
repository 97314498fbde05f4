import { AsyncLocalStorage } from 'node:async_hooks';

// Where a change came from (the client's address, as the trust-proxy setting resolves it), kept in
// the metadata of every event appended while answering that request, so the audit trail can say
// "from where" for any administrative change, whichever code appended it. The HTTP edge opens the
// scope for each request (withOrigin); writers add appendOrigin() to their events' metadata.

export interface Origin {
  readonly clientAddress: string;
}

const origins = new AsyncLocalStorage<Origin>();

/** Runs `work` (and everything it starts) as answering a request from `origin`. */
export const withOrigin = <T>(origin: Origin, work: () => T): T => origins.run(origin, work);

/** The metadata that says where the current request came from; empty outside a request (a timer, a seed). */
export function appendOrigin(): { origin?: Origin } {
  const origin = origins.getStore();
  return origin ? { origin: { clientAddress: origin.clientAddress } } : {};
}

/** The origin stored with an event, if any. */
export function originOf(metadata: Record<string, unknown>): Origin | undefined {
  const origin = metadata.origin as { clientAddress?: unknown } | undefined;
  return typeof origin?.clientAddress === 'string' ? { clientAddress: origin.clientAddress } : undefined;
}
