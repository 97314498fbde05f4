import { rebuildReadModel, type RebuildableReadModel, type RebuildOptions, type RebuildResult } from '@lapor/consumer-kit';
import { readTrustedComplaintEvent, type OrganisationTree } from '@lapor/domain';
import { createInboxProjection } from './projection';
import { COMPLAINT_COLUMNS, complaintRowOf, foldInbox, isSubmitted, VISIBILITY_COLUMNS, visibilityRowsOf, type InboxFold } from './row';
import { INBOX_PROJECTION, INBOX_SCHEMA, INBOX_SHADOW_SCHEMA, INBOX_SHAPE, inboxKeys, inboxTablesDdl } from './tables';

// Rebuilding the inbox from the event log without downtime, by the read-model rebuild the statistics
// use too (@lapor/consumer-kit): the log read complaint by complaint and folded with the projection's
// own fold, the rows bulk-loaded into inbox_shadow, keys after, then catch-up and swap in one transaction. The inbox's
// tables must exist (prepareInboxTables) before it runs.

/** The fold of a complaint until it is submitted: no row yet, but its version counts. */
type Entry = InboxFold | undefined;

export async function rebuildInbox(options: RebuildOptions & { readonly tree: OrganisationTree }): Promise<RebuildResult> {
  const { tree, ...rebuild } = options;
  return rebuildReadModel(inboxReadModel(tree), rebuild);
}

function inboxReadModel(tree: OrganisationTree): RebuildableReadModel<Entry> {
  return {
    consumer: INBOX_PROJECTION,
    schema: INBOX_SCHEMA,
    shadowSchema: INBOX_SHADOW_SCHEMA,
    // title_words, visibility_counts and searchable are made from the other two by SQL once they are loaded (inboxKeys)
    liveTables: ['complaints', 'visibility', 'visibility_counts', 'title_words', 'searchable'],
    // the shape row's table, as prepareReadModelTables makes it beside the tables
    tablesDdl: (schema) => `CREATE TABLE ${schema}.shape (shape integer NOT NULL); ${inboxTablesDdl(schema)}`,
    keys: inboxKeys,
    fold: (entry, envelope) =>
      foldInbox(entry, readTrustedComplaintEvent({ type: envelope.type, schemaVersion: envelope.schemaVersion, data: envelope.data }), envelope.streamVersion),
    writer(into) {
      const complaints = into.table('complaints', COMPLAINT_COLUMNS);
      const visibility = into.table('visibility', VISIBILITY_COLUMNS);
      return {
        async write(complaintId, fold) {
          if (!isSubmitted(fold)) return;
          await complaints.add(complaintRowOf(complaintId, fold));
          for (const row of visibilityRowsOf(complaintId, fold, tree)) await visibility.add(row);
        },
        finish: async () => into.table('shape', ['shape']).add([INBOX_SHAPE]),
      };
    },
    handler: (schema) => createInboxProjection({ tree: () => tree, schema }),
  };
}
