import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { createPostgresEventStore } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';
import { runConcurrently, timed, type Throughput } from '../measure';
import { samplePayload } from './appends';

type Submitted = { type: 'ComplaintSubmitted'; data: Record<string, unknown> };

/** The peer: Emmett's PostgreSQL event store, single-event appends with the expected version. */
export async function emmettAppends(url: string, writers: number, durationMs: number): Promise<Throughput> {
  const store = getPostgreSQLEventStore(url);
  await store.schema.migrate();
  const versions = new Map<string, bigint>();
  const run = randomUUID().slice(0, 8); // every case writes streams of its own
  try {
    return await runConcurrently(writers, durationMs, async (writer, iteration) => {
      const stream = `complaint-${run}-w${writer}-${Math.floor(iteration / 50)}`;
      const event: Submitted = { type: 'ComplaintSubmitted', data: samplePayload(writer, iteration) };
      const result = await store.appendToStream<Submitted>(stream, [event], {
        expectedStreamVersion: versions.get(stream) ?? 'STREAM_DOES_NOT_EXIST',
      });
      versions.set(stream, result.nextExpectedStreamVersion);
      return 1;
    });
  } finally {
    await store.close();
  }
}

/** Reading one long stream back, both stores: a complaint's history is read on every command. */
export async function streamReads(url: string, events: number, reads: number): Promise<{ ours: Throughput; emmett: Throughput }> {
  const stream = `long-${randomUUID()}`;
  const emmett = getPostgreSQLEventStore(url);
  await emmett.schema.migrate();
  const ours = await createPostgresEventStore({ connectionString: url, poolSize: 1 });
  try {
    for (let written = 0; written < events; written += 100) {
      const batch = Array.from({ length: 100 }, (_, i) => ({ type: 'ComplaintSubmitted' as const, data: samplePayload(0, written + i) }));
      await emmett.appendToStream<Submitted>(stream, batch);
      await ours.appendToStream(stream, batch.map((event) => ({ id: randomUUID(), ...event })));
    }
    const oursRate = await timed(async () => {
      let count = 0;
      for (let i = 0; i < reads; i++) count += (await ours.readStream(stream)).length;
      return count;
    });
    const emmettRate = await timed(async () => {
      let count = 0;
      for (let i = 0; i < reads; i++) count += (await emmett.readStream<Submitted>(stream)).events.length;
      return count;
    });
    return { ours: oursRate, emmett: emmettRate };
  } finally {
    await ours.close();
    await emmett.close();
  }
}
