import { Client } from 'pg';

/**
 * The fill appends each complaint's whole history at once, so a complaint's events lie side by side
 * in the table. Real traffic interleaves them: a complaint's events are spread over the months it
 * lived, between everyone else's. A rebuild that reads the log stream by stream pays for that (a heap
 * page per event rather than per complaint), so the bench rewrites the table in the order the events
 * happened before measuring: rows in event time, positions renumbered in that order, and one
 * transaction id for all, the oldest of the fill's, so the global log's order (the baseline scan's)
 * is that time order too, as in a store that has been written to day by day.
 */
export async function layOutInEventTime(url: string): Promise<number> {
  const started = performance.now();
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of [
      `SET maintenance_work_mem = '1GB'`,
      `SET work_mem = '1GB'`,
      'BEGIN',
      `CREATE TABLE eventstore.events_in_time (LIKE eventstore.events INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS)`,
      `INSERT INTO eventstore.events_in_time (transaction_id, global_position, stream_id, stream_version, event_id, event_type, data, metadata, recorded_at)
         OVERRIDING SYSTEM VALUE
         SELECT oldest.transaction_id, row_number() OVER (ORDER BY coalesce(e.data->>'at', ''), e.global_position),
                e.stream_id, e.stream_version, e.event_id, e.event_type, e.data, e.metadata, e.recorded_at
         FROM eventstore.events e, (SELECT transaction_id FROM eventstore.events ORDER BY transaction_id LIMIT 1) oldest
         ORDER BY coalesce(e.data->>'at', ''), e.global_position`,
      `DROP TABLE eventstore.events`,
      `ALTER TABLE eventstore.events_in_time RENAME TO events`,
      `ALTER TABLE eventstore.events
         ADD CONSTRAINT events_log_order PRIMARY KEY (transaction_id, global_position),
         ADD CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version),
         ADD CONSTRAINT events_event_id_unique UNIQUE (event_id)`,
      `SELECT setval(pg_get_serial_sequence('eventstore.events', 'global_position'), (SELECT max(global_position) FROM eventstore.events))`,
      'COMMIT',
    ])
      await client.query(statement);
  } finally {
    await client.end();
  }
  return (performance.now() - started) / 1000;
}
