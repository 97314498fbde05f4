import { LOG_START, type EventStore } from '@lapor/event-store';
import { Client } from 'pg';
import { timed, type Throughput } from '../measure';

// The baselines the rebuild is held against: reading the same events and doing nothing with them.

/** The global log as the rebuild reads it: `readGlobalLog` page after page, the same page size. */
export async function globalLogScan(store: EventStore, pageSize: number): Promise<Throughput> {
  return timed(async () => {
    let count = 0;
    for (let from = LOG_START; ;) {
      const page = await store.readGlobalLog(from, pageSize);
      count += page.events.length;
      if (page.events.length < pageSize) return count;
      from = page.next;
    }
  });
}

/**
 * The table in heap order through a server-side cursor, rows as `pg` parses them (jsonb included):
 * the most a client can get out of this server, with no order and no keyset to seek.
 */
export async function cursorScan(url: string, fetchSize: number): Promise<Throughput> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await timed(async () => {
      await client.query('BEGIN');
      await client.query(`DECLARE events_scan NO SCROLL CURSOR FOR
        SELECT transaction_id::text AS t, global_position, stream_id, stream_version, event_id::text AS e, event_type, data, metadata, recorded_at
        FROM eventstore.events`);
      let count = 0;
      for (;;) {
        const { rowCount } = await client.query(`FETCH ${fetchSize} FROM events_scan`);
        count += rowCount ?? 0;
        if ((rowCount ?? 0) < fetchSize) break;
      }
      await client.query('COMMIT');
      return count;
    });
  } finally {
    await client.end();
  }
}
