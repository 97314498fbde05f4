import { isFirstEventOfComplaint, type EventEnvelope, type EventHandler } from '@lapor/consumer-kit';
import { parseComplaintEvent, type ComplaintState, type OrganisationTree } from '@lapor/domain';
import type { SqlQueryable } from '@lapor/sql';
import { COMPLAINT_COLUMNS, COMPLAINT_JSON_COLUMNS, complaintRowOf, foldInbox, isSubmitted, VISIBILITY_COLUMNS, visibilityRowsOf, type InboxFold } from './row';
import { INBOX_PROJECTION, INBOX_SCHEMA, titleWordsOf } from './tables';

const placeholders = (columns: readonly string[], first: number): string =>
  columns.map((column, index) => `$${first + index}${COMPLAINT_JSON_COLUMNS.has(column) ? '::json' : ''}`).join(', ');
const asParameter = (column: string, value: unknown): unknown => (COMPLAINT_JSON_COLUMNS.has(column) ? JSON.stringify(value) : value);

const upsertComplaint = (schema: string): string =>
  `INSERT INTO ${schema}.complaints (${COMPLAINT_COLUMNS.join(', ')}) VALUES (${placeholders(COMPLAINT_COLUMNS, 1)})
   ON CONFLICT (complaint_id) DO UPDATE SET ${COMPLAINT_COLUMNS.filter((column) => column !== 'complaint_id')
     .map((column) => `${column} = excluded.${column}`)
     .join(', ')}`;

/** What visibility_counts counts a node's rows by. */
const COUNTED_BY = 'node_id, status, kind, channel, category';

/** Adds `sign` × the rows of `cte` to their counts (one row per group, so no count is touched twice). */
const addToCounts = (schema: string, cte: string, sign: 1 | -1): string =>
  `INSERT INTO ${schema}.visibility_counts (${COUNTED_BY}, n) SELECT ${COUNTED_BY}, ${sign} * count(*) FROM ${cte} GROUP BY ${COUNTED_BY}
   ON CONFLICT (${COUNTED_BY}) DO UPDATE SET n = ${schema}.visibility_counts.n + excluded.n`;

/**
 * The lexicon counts a complaint's title words once, when its row is first written: a title is set
 * once (ComplaintSubmitted, the only event that carries one) and a complaint never leaves the inbox,
 * so the counts only grow. Words in sorted order (a tsvector's), so two complaints written side by
 * side lock the words they share in the same order.
 */
async function countTitleWords(tx: SqlQueryable, schema: string, title: string): Promise<void> {
  await tx.query(
    `INSERT INTO ${schema}.title_words (word, complaints) SELECT word, 1 FROM unnest(${titleWordsOf('$1')}) AS word ORDER BY word
     ON CONFLICT (word) DO UPDATE SET complaints = ${schema}.title_words.complaints + 1`,
    [title],
  );
}

/**
 * The inbox read side as a consumer-kit handler: each event folds the complaint forward, rewrites its
 * row and who sees it, in the caller's transaction (which also records the event as applied). A
 * rebuild writes into its shadow `schema` with the same handler.
 */
export function createInboxProjection(deps: { readonly tree: () => OrganisationTree; readonly schema?: string }): EventHandler {
  const schema = deps.schema ?? INBOX_SCHEMA;
  const upsert = upsertComplaint(schema);
  return {
    name: INBOX_PROJECTION,
    async handle(envelope: EventEnvelope, tx: SqlQueryable): Promise<void> {
      const event = parseComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data });
      const first = isFirstEventOfComplaint(envelope);
      const [stored] = first
        ? []
        : await tx.query<{
            state: ComplaintState;
            handled_by: string[];
            title: string;
            description: string;
            updated_at: string;
            stream_version: string;
          }>(`SELECT state, handled_by, title, description, updated_at, stream_version FROM ${schema}.complaints WHERE complaint_id = $1`, [
            envelope.complaintId,
          ]);
      const before: InboxFold | undefined = stored && {
        state: stored.state,
        title: stored.title,
        description: stored.description,
        handledBy: stored.handled_by,
        updatedAt: stored.updated_at,
        version: BigInt(stored.stream_version),
      };
      const after = foldInbox(before, event, envelope.streamVersion);
      if (after === before || !isSubmitted(after)) return;
      if (!stored) await countTitleWords(tx, schema, after.title);
      const row = complaintRowOf(envelope.complaintId, after);
      await tx.query(
        upsert,
        row.map((value, index) => asParameter(COMPLAINT_COLUMNS[index]!, value)),
      );
      // the rows it had leave their counts and the rows it has now join theirs, in the same statements
      // (a complaint seen for the first time had none)
      if (stored) {
        await tx.query(
          `WITH gone AS (DELETE FROM ${schema}.visibility WHERE complaint_id = $1 RETURNING ${COUNTED_BY})
           ${addToCounts(schema, 'gone', -1)}`,
          [envelope.complaintId],
        );
      }
      const rows = visibilityRowsOf(envelope.complaintId, after, deps.tree());
      if (rows.length > 0) {
        const width = VISIBILITY_COLUMNS.length;
        const values = rows.map((_, row) => `(${VISIBILITY_COLUMNS.map((_, column) => `$${row * width + column + 1}`).join(', ')})`).join(', ');
        await tx.query(
          `WITH came AS (INSERT INTO ${schema}.visibility (${VISIBILITY_COLUMNS.join(', ')}) VALUES ${values} RETURNING ${COUNTED_BY})
           ${addToCounts(schema, 'came', 1)}`,
          rows.flat(),
        );
      }
      // who sees it, beside its words; rewritten only when that changed (most events move nothing)
      await tx.query(
        `INSERT INTO ${schema}.searchable (complaint_id, tracking_id, received_at, search, seen_by)
         SELECT complaint_id, tracking_id, received_at, search, $2::text[] FROM ${schema}.complaints WHERE complaint_id = $1
         ON CONFLICT (complaint_id) DO UPDATE SET seen_by = excluded.seen_by WHERE ${schema}.searchable.seen_by IS DISTINCT FROM excluded.seen_by`,
        [envelope.complaintId, rows.map((row) => row[0] as string)],
      );
    },
  };
}
