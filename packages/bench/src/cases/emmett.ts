import type * as EmmettPostgres from '@event-driven-io/emmett-postgresql';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { timed, type Throughput, type Workload } from '../measure';
import { samplePayload } from './appends';

type Submitted = { type: 'ComplaintSubmitted'; data: Record<string, unknown> };
type EmmettModule = typeof EmmettPostgres;

/**
 * Loaded on demand: Emmett is ESM-first, and if loading it ever fails the bench should still report
 * everything else, with the reason, rather than die at start-up.
 */
export async function loadEmmett(): Promise<EmmettModule | Error> {
  try {
    return await import('@event-driven-io/emmett-postgresql');
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

type EmmettStore = ReturnType<EmmettModule['getPostgreSQLEventStore']>;

/**
 * Emmett on a pool we size, like ours (its default pool holds 10 connections, which would starve
 * 16 writers). Emmett does not end a pool it was given, so we do.
 */
async function openEmmett(emmett: EmmettModule, url: string, connections: number): Promise<{ store: EmmettStore; close(): Promise<void> }> {
  const pool = new Pool({ connectionString: url, max: connections });
  const store = emmett.getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  const close = async (): Promise<void> => {
    await store.close();
    await pool.end();
  };
  try {
    await store.schema.migrate();
  } catch (error) {
    await close();
    throw error;
  }
  return { store, close };
}

/** The peer: Emmett's PostgreSQL event store, single-event appends with the expected version. */
export async function emmettAppends(emmett: EmmettModule, url: string, writers: number): Promise<Workload> {
  const { store, close } = await openEmmett(emmett, url, writers);
  const versions = new Map<string, bigint>();
  const run = randomUUID().slice(0, 8); // every case writes streams of its own
  return {
    async operation(writer, iteration) {
      // Same stream rotation as ours: a fresh stream every 50 appends.
      const stream = `complaint-${run}-w${writer}-${Math.floor(iteration / 50)}`;
      const event: Submitted = { type: 'ComplaintSubmitted', data: samplePayload(writer, iteration) };
      const result = await store.appendToStream<Submitted>(stream, [event], {
        expectedStreamVersion: versions.get(stream) ?? 'STREAM_DOES_NOT_EXIST',
      });
      versions.set(stream, result.nextExpectedStreamVersion);
      return 1;
    },
    close,
  };
}

/** Emmett reading one long stream back `reads` times (after one unmeasured read). */
export async function emmettStreamRead(emmett: EmmettModule, url: string, events: number, reads: number): Promise<Throughput> {
  const stream = `long-${randomUUID()}`;
  const { store, close } = await openEmmett(emmett, url, 1);
  try {
    for (let written = 0; written < events; written += 100) {
      const batch = Array.from({ length: Math.min(100, events - written) }, (_, i) => ({
        type: 'ComplaintSubmitted' as const,
        data: samplePayload(0, written + i),
      }));
      await store.appendToStream<Submitted>(stream, batch);
    }
    await store.readStream<Submitted>(stream);
    return await timed(async () => {
      let count = 0;
      for (let i = 0; i < reads; i++) count += (await store.readStream<Submitted>(stream)).events.length;
      return count;
    });
  } finally {
    await close();
  }
}
