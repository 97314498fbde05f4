import { createPostgresEventStore, DEFAULT_GROUP_COMMIT, type EventToAppend } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { Workload } from '../measure';

/** The same payload every case writes: about the size of a submitted complaint's event. */
export function samplePayload(writer: number, iteration: number): Record<string, unknown> {
  return {
    complaintId: randomUUID(),
    title: 'Jalan rusak di depan sekolah',
    description: 'Jalan berlubang sejak tiga bulan, membahayakan anak-anak yang berangkat ke sekolah. '.repeat(3),
    kind: 'pengaduan',
    channel: 'web',
    writer,
    iteration,
  };
}

function sampleEvents(count: number, writer: number, iteration: number): EventToAppend[] {
  return Array.from({ length: count }, () => ({ id: randomUUID(), type: 'ComplaintSubmitted', data: samplePayload(writer, iteration) }));
}

/**
 * Ours, with group commit on: each writer appends `batch` events at a time to its own streams, with
 * the exact expected version. `eventsPerCommit` tells how many events shared a commit on average.
 */
export async function oursAppends(url: string, writers: number, batch: number): Promise<Workload & { eventsPerCommit(): Promise<number> }> {
  const store = await createPostgresEventStore({ connectionString: url, poolSize: writers, groupCommit: DEFAULT_GROUP_COMMIT });
  const versions = new Map<string, bigint>();
  const run = randomUUID().slice(0, 8); // every case writes streams of its own
  return {
    async operation(writer, iteration) {
      // A fresh stream every 50 appends: a complaint's life is short, and streams stay realistic.
      const stream = `complaint-${run}-w${writer}-${Math.floor(iteration / 50)}`;
      const expected = versions.get(stream) ?? 'no_stream';
      const result = await store.appendToStream(stream, sampleEvents(batch, writer, iteration), { expectedVersion: expected });
      versions.set(stream, result.nextExpectedVersion);
      return batch;
    },
    async eventsPerCommit() {
      const pool = new Pool({ connectionString: url, max: 1 });
      try {
        const { rows } = await pool.query<{ ratio: number }>(
          `SELECT count(*)::float8 / greatest(count(DISTINCT transaction_id), 1) AS ratio FROM eventstore.events WHERE stream_id LIKE $1`,
          [`complaint-${run}-%`],
        );
        return rows[0]?.ratio ?? 0;
      } finally {
        await pool.end();
      }
    },
    close: () => store.close(),
  };
}

/** The physical limit: one INSERT of the same row per statement, autocommit, into a bare table. */
export async function rawInserts(url: string, writers: number): Promise<Workload> {
  const pool = new Pool({ connectionString: url, max: writers });
  await pool.query(`CREATE TABLE IF NOT EXISTS raw_events (
    id bigserial PRIMARY KEY, stream_id text NOT NULL, stream_version bigint NOT NULL, event_id uuid NOT NULL,
    event_type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL)`);
  return {
    async operation(writer, iteration) {
      await pool.query({
        name: 'raw-insert',
        text: 'INSERT INTO raw_events (stream_id, stream_version, event_id, event_type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)',
        values: [`raw-w${writer}`, iteration, randomUUID(), 'ComplaintSubmitted', JSON.stringify(samplePayload(writer, iteration)), '{}'],
      });
      return 1;
    },
    close: () => pool.end(),
  };
}
