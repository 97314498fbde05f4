import { complaintsStoredBefore, type EventEnvelope, type EventHandler } from '@lapor/consumer-kit';
import { parseComplaintEvent, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import { rowsAsJson, type SqlQueryable } from '@lapor/sql';
import { COMPLAINT_COLUMNS, complaintRowOf, foldInbox, isSubmitted, VISIBILITY_COLUMNS, visibilityRowsOf, type InboxFold } from './row';
import { INBOX_PROJECTION, INBOX_SCHEMA, titleWordsOf } from './tables';

/** What visibility_counts counts a node's rows by. */
const COUNTED_BY = 'node_id, status, kind, channel, category';

/** Adds `sign` × the rows of `cte` to their counts (one row per group, so no count is touched twice). */
const addToCounts = (schema: string, cte: string, sign: 1 | -1): string =>
  `INSERT INTO ${schema}.visibility_counts (${COUNTED_BY}, n) SELECT ${COUNTED_BY}, ${sign} * count(*) FROM ${cte} GROUP BY ${COUNTED_BY}
   ON CONFLICT (${COUNTED_BY}) DO UPDATE SET n = ${schema}.visibility_counts.n + excluded.n`;

interface StoredRow {
  complaint_id: string;
  state: ComplaintState;
  handled_by: string[];
  title: string;
  description: string;
  updated_at: string;
  stream_version: string;
}

/** The inbox's fold of each complaint the page names that has a row, read back from that row. */
async function readStored(tx: SqlQueryable, schema: string, events: readonly EventEnvelope[]): Promise<Map<string, InboxFold>> {
  const ids = complaintsStoredBefore(events);
  if (ids.length === 0) return new Map();
  const rows = await tx.query<StoredRow>(
    `SELECT complaint_id, state, handled_by, title, description, updated_at, stream_version FROM ${schema}.complaints WHERE complaint_id = ANY($1::text[])`,
    [ids],
  );
  return new Map(
    rows.map((row) => [
      row.complaint_id,
      {
        state: row.state,
        title: row.title,
        description: row.description,
        handledBy: row.handled_by,
        updatedAt: row.updated_at,
        version: BigInt(row.stream_version),
      },
    ]),
  );
}

/**
 * A page of events into the inbox: each complaint it names is folded forward through its events of
 * the page, then the rows of those that changed are rewritten together, each table with one
 * statement: the complaint rows, who sees them (the rows they had leave their counts and the rows they
 * have now join theirs), and who sees them beside their words. The lexicon counts a complaint's
 * title words once, when its row is first written: a title is set once (ComplaintSubmitted, the only
 * event that carries one) and a complaint never leaves the inbox, so the counts only grow.
 */
async function applyInboxPage(tx: SqlQueryable, schema: string, tree: OrganisationTree, envelopes: readonly EventEnvelope[]): Promise<void> {
  const stored = await readStored(tx, schema, envelopes);
  const folds = new Map<string, { readonly before: InboxFold | undefined; after: InboxFold | undefined }>();
  for (const envelope of envelopes) {
    const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
    let entry = folds.get(envelope.complaintId);
    if (!entry) {
      const before = stored.get(envelope.complaintId);
      entry = { before, after: before };
      folds.set(envelope.complaintId, entry);
    }
    entry.after = foldInbox(entry.after, event, envelope.streamVersion);
  }
  // an event that changes nothing the inbox shows answers the fold it was given: no row is written
  const changed = [...folds]
    .flatMap(([complaintId, { before, after }]) => (after !== before && isSubmitted(after) ? [{ complaintId, after, had: stored.has(complaintId) }] : []))
    .sort((a, b) => (a.complaintId < b.complaintId ? -1 : a.complaintId > b.complaintId ? 1 : 0));
  if (changed.length === 0) return;

  const titles = changed.filter(({ had }) => !had).map(({ after }) => after.title);
  if (titles.length > 0) {
    // words in sorted order, so two pages written side by side lock the words they share in the same order
    await tx.query(
      `INSERT INTO ${schema}.title_words (word, complaints)
       SELECT word, count(*) FROM unnest($1::text[]) AS submitted(title), unnest(${titleWordsOf('submitted.title')}) AS word GROUP BY word ORDER BY word
       ON CONFLICT (word) DO UPDATE SET complaints = ${schema}.title_words.complaints + excluded.complaints`,
      [titles],
    );
  }
  const names = COMPLAINT_COLUMNS.join(', ');
  await tx.query(
    `INSERT INTO ${schema}.complaints (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${schema}.complaints, $1::json)
     ON CONFLICT (complaint_id) DO UPDATE SET ${COMPLAINT_COLUMNS.filter((column) => column !== 'complaint_id')
       .map((column) => `${column} = excluded.${column}`)
       .join(', ')}`,
    [
      rowsAsJson(
        COMPLAINT_COLUMNS,
        changed.map(({ complaintId, after }) => complaintRowOf(complaintId, after)),
      ),
    ],
  );
  const had = changed.filter((complaint) => complaint.had).map(({ complaintId }) => complaintId);
  if (had.length > 0) {
    await tx.query(
      `WITH gone AS (DELETE FROM ${schema}.visibility WHERE complaint_id = ANY($1::text[]) RETURNING ${COUNTED_BY})
       ${addToCounts(schema, 'gone', -1)}`,
      [had],
    );
  }
  const seen = changed.map(({ complaintId, after }) => ({ complaintId, rows: visibilityRowsOf(complaintId, after, tree) }));
  const rows = seen.flatMap((complaint) => complaint.rows);
  if (rows.length > 0) {
    const columns = VISIBILITY_COLUMNS.join(', ');
    await tx.query(
      `WITH came AS (
         INSERT INTO ${schema}.visibility (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${schema}.visibility, $1::json) RETURNING ${COUNTED_BY}
       )
       ${addToCounts(schema, 'came', 1)}`,
      [rowsAsJson(VISIBILITY_COLUMNS, rows)],
    );
  }
  // who sees it, beside its words; rewritten only when that changed (most events move nothing)
  await tx.query(
    `INSERT INTO ${schema}.searchable (complaint_id, tracking_id, received_at, search, seen_by)
     SELECT c.complaint_id, c.tracking_id, c.received_at, c.search, page.seen_by
     FROM json_to_recordset($1::json) AS page(complaint_id text, seen_by text[]) JOIN ${schema}.complaints c USING (complaint_id)
     ON CONFLICT (complaint_id) DO UPDATE SET seen_by = excluded.seen_by WHERE ${schema}.searchable.seen_by IS DISTINCT FROM excluded.seen_by`,
    [JSON.stringify(seen.map(({ complaintId, rows }) => ({ complaint_id: complaintId, seen_by: rows.map((row) => row[0] as string) })))],
  );
}

/**
 * The inbox read side as a consumer-kit handler: a page of events (one event is a page of one) folds
 * its complaints forward and rewrites their rows and who sees them, in the caller's transaction
 * (which also records the events as applied). A rebuild catches its shadow `schema` up with the same
 * handler.
 */
export function createInboxProjection(deps: { readonly tree: () => OrganisationTree; readonly schema?: string }): EventHandler {
  const schema = deps.schema ?? INBOX_SCHEMA;
  const applyPage = (events: readonly EventEnvelope[], tx: SqlQueryable): Promise<void> => applyInboxPage(tx, schema, deps.tree(), events);
  return {
    name: INBOX_PROJECTION,
    handle: (event, tx) => applyPage([event], tx),
    handlePage: applyPage,
  };
}
