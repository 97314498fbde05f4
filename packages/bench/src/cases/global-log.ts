import { createPostgresEventStore, LOG_START } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { timed, type Throughput } from '../measure';
import { samplePayload } from './appends';

/**
 * Writes `events` events through ours, in 50-event appends to streams of their own, by 4 writers:
 * the reads then have a log of known size, whatever the append cases managed on a busy machine.
 */
export async function prefill(url: string, events: number): Promise<void> {
  const WRITERS = 4;
  const BATCH = 50;
  const store = await createPostgresEventStore({ connectionString: url, poolSize: WRITERS });
  let next = 0;
  const writer = async (): Promise<void> => {
    for (let start = next; start < events; start = next) {
      next += BATCH;
      const batch = Array.from({ length: Math.min(BATCH, events - start) }, (_, i) => ({
        id: randomUUID(),
        type: 'ComplaintSubmitted',
        data: samplePayload(0, start + i),
      }));
      await store.appendToStream(`prefill-${start / BATCH}`, batch, { expectedVersion: 'no_stream' });
    }
  };
  try {
    await Promise.all(Array.from({ length: WRITERS }, writer));
  } finally {
    await store.close();
  }
}

/** Ours: the whole global log, page after page, as a subscription catching up reads it. */
export async function oursGlobalLogRead(url: string, pageSize: number): Promise<Throughput> {
  const store = await createPostgresEventStore({ connectionString: url, poolSize: 1 });
  try {
    return await timed(async () => {
      let count = 0;
      for (let from = LOG_START; ;) {
        const page = await store.readGlobalLog(from, pageSize);
        if (page.events.length === 0) return count;
        count += page.events.length;
        from = page.next;
      }
    });
  } finally {
    await store.close();
  }
}

/** The same keyset scan in plain SQL, rows left as `pg` parses them: the limit for a paged read. */
export async function rawKeysetScan(url: string, pageSize: number): Promise<Throughput> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await timed(async () => {
      let count = 0;
      let after: [string, string] = ['0', '0'];
      for (;;) {
        const { rows } = await client.query<{ t: string; p: string }>({
          name: 'raw-scan',
          text: `SELECT transaction_id::text AS t, global_position::text AS p, stream_id, stream_version, event_id, event_type, data, metadata, recorded_at
                 FROM eventstore.events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
                 ORDER BY transaction_id, global_position LIMIT $3`,
          values: [...after, pageSize],
        });
        if (rows.length === 0) return count;
        count += rows.length;
        const last = rows.at(-1)!;
        after = [last.t, last.p];
      }
    });
  } finally {
    await client.end();
  }
}
