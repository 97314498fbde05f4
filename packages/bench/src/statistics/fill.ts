import { complaintStream } from '@lapor/domain';
import { createPostgresEventStore } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { tellComplaint, type Chronology } from './lifecycles';

// Writing the complaints: each one's whole history in one append to its own stream, by several
// writers at once, through the event store itself. So the log holds exactly what appends produce:
// a transaction id per complaint, positions from the sequence, the global log's (xid, position)
// order. Commits skip the WAL flush wait (synchronous_commit off, this pool's sessions only): a
// crash could lose the last few appends of a throwaway database, which costs nothing here.

// Writers in flight: the store's group commit puts their appends in one statement and one commit,
// so more writers than connections means fewer, larger commits (4 writers filled 1M complaints at
// 2,942 events/s). The connections are the bench's usual four.
export const WRITERS = 32;
const CONNECTIONS = 4;

export interface Filled {
  readonly complaints: number;
  readonly events: number;
  readonly seconds: number;
}

/** Complaints `from` (default 0) up to `count` of the chronology: a later call can add to an earlier one's log. */
export async function fillComplaints(
  url: string,
  count: number,
  chronology: Chronology,
  onProgress: (done: number, events: number) => void,
  from = 0,
): Promise<Filled> {
  const pool = new Pool({ connectionString: url, max: CONNECTIONS, options: '-c synchronous_commit=off' });
  const store = await createPostgresEventStore({ pool });
  const started = performance.now();
  let next = from;
  let events = 0;
  const step = Math.max(1, Math.floor((count - from) / 20));
  const writer = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) {
      const history = tellComplaint(index, chronology);
      const complaintId = (history[0]!.data as { complaintId: string }).complaintId;
      await store.appendToStream(
        complaintStream(complaintId),
        history.map((event) => ({
          id: randomUUID(),
          type: event.type,
          data: event.data,
          metadata: { schemaVersion: event.schemaVersion, commandId: randomUUID() },
        })),
        { expectedVersion: 'no_stream' },
      );
      events += history.length;
      if ((index + 1) % step === 0) onProgress(index + 1, events);
    }
  };
  try {
    await Promise.all(Array.from({ length: WRITERS }, writer));
  } finally {
    await store.close();
    await pool.end();
  }
  return { complaints: count - from, events, seconds: (performance.now() - started) / 1000 };
}
