import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend } from '../port';

/** A transaction left open on purpose, to commit out of order. */
export interface OpenTransaction {
  commit(): Promise<void>;
}

export interface StoreUnderTest {
  /** A fresh, empty store. */
  readonly store: EventStore;
  /** Another store over the same data, as a second process would open it. */
  openSibling(): Promise<EventStore>;
  /**
   * Starts an append on a connection of its own and leaves its transaction open. Only drivers with
   * several connections have it; with one connection (PGlite) transactions cannot overlap.
   */
  readonly beginAppend?: (streamId: string, events: readonly EventToAppend[], expectedVersion: bigint | 'no_stream') => Promise<OpenTransaction>;
  /** The naive reader: positions after `after`, in position order alone. Shown to miss events. */
  readonly readPositionsAfter?: (after: bigint) => Promise<bigint[]>;
}

export interface ContractHarness {
  createStore(): Promise<StoreUnderTest>;
  /** Size of the concurrent-writers test: the embedded driver runs a smaller one. */
  readonly load: { readonly writers: number; readonly events: number; readonly streams: number; readonly maxBatch: number };
}

export function anEvent(type = 'SomethingHappened', data: unknown = { at: 'test' }, metadata?: Record<string, unknown>): EventToAppend {
  return { id: randomUUID(), type, data, ...(metadata ? { metadata } : {}) };
}

export function events(count: number, type = 'SomethingHappened'): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => anEvent(type, { index }));
}

export function aStreamId(prefix = 'complaint'): string {
  return `${prefix}-${randomUUID()}`;
}

/** Resolves once `predicate` holds, polling briefly; fails after `timeoutMs`. */
export async function eventually(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A small seeded generator, so a failing concurrent run can be replayed with the same choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
