-- One table holds the streams and the global log. {{schema}} is replaced by the quoted schema name.
--
-- No separate stream-version table: the current version is max(stream_version), one descent of the
-- (stream_id, stream_version) index that has to exist anyway, and that unique index is what makes two
-- writers of the same version collide. A version table would cost an extra row update per append, and
-- its row lock would let a writer that took its transaction id early land after a later one.
CREATE TABLE {{schema}}.events (
  -- Unique and increasing in insertion order, but NOT in commit order: a lower number can commit
  -- after a higher one has been read, so the log is never paged on this column alone.
  global_position bigint GENERATED ALWAYS AS IDENTITY,
  -- The writing transaction. The global log is read in (transaction_id, global_position) order and
  -- only below the oldest transaction still running, so no late commit can land behind a reader.
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  stream_version bigint NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  -- the global log's order and paging key
  CONSTRAINT events_log_order PRIMARY KEY (transaction_id, global_position),
  -- optimistic concurrency: two appends of the same version cannot both commit
  CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version),
  -- idempotent appends: a retried event id is found, never written twice
  CONSTRAINT events_event_id_unique UNIQUE (event_id),
  CONSTRAINT events_stream_version_from_zero CHECK (stream_version >= 0)
);
