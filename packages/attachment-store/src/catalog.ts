import { ensureSchema, type SqlQueryable, type SqlRunner } from '@lapor/sql';

export const SCHEMA = 'attachments';

/**
 * Which key seals a file. `complaint`: the complaint's data key (the vault's), so erasing the
 * reporter's personal data makes the file unreadable too: what reporters send (photos, scans,
 * letters). `deployment`: a key derived from the master key, kept through an erasure: a unit's
 * follow-up documents are the institution's answer, on the record like the follow-up's text
 * (which the event log holds in clear); they are not the reporter's personal data.
 */
export type SealedUnder = 'complaint' | 'deployment';

/** What events, webhooks and answers carry about a file: never its bytes. */
export interface AttachmentReference {
  readonly id: string;
  readonly name: string;
  /** Sniffed from its content, never taken from the name or the client. */
  readonly mediaType: string;
  readonly size: number;
  /** Of the plaintext, hex. */
  readonly sha256: string;
}

export interface CatalogRow {
  readonly id: string;
  readonly complaint_id: string;
  readonly sealed_under: SealedUnder;
  readonly name_sealed: Uint8Array;
  readonly media_type: string;
  readonly size: string;
  readonly sha256: string;
  readonly chunk_size: number;
  readonly chunk_count: number;
  readonly attached_at: Date | null;
}

/** One row a file; a file is only read once its row says it is complete (stored_at). */
export async function openCatalog(db: SqlRunner): Promise<void> {
  await ensureSchema(
    db,
    SCHEMA,
    `CREATE TABLE IF NOT EXISTS ${SCHEMA}.files (
       id text PRIMARY KEY,
       complaint_id text NOT NULL,
       sealed_under text NOT NULL CHECK (sealed_under IN ('complaint', 'deployment')),
       -- a name can identify (KTP_<name>.jpg): sealed like the bytes
       name_sealed bytea NOT NULL,
       media_type text NOT NULL,
       chunk_size integer NOT NULL,
       uploaded_at timestamptz NOT NULL,
       -- null while the chunks are being written
       size bigint,
       sha256 text,
       chunk_count integer,
       stored_at timestamptz,
       -- null until an accepted command refers to it: the orphan sweep removes what stays null
       attached_at timestamptz
     );
     CREATE INDEX IF NOT EXISTS files_complaint ON ${SCHEMA}.files (complaint_id);
     CREATE INDEX IF NOT EXISTS files_unattached ON ${SCHEMA}.files (uploaded_at) WHERE attached_at IS NULL;`,
  );
}

export async function completeRow(db: SqlQueryable, id: string): Promise<CatalogRow | undefined> {
  const [row] = await db.query<CatalogRow>(
    `SELECT id, complaint_id, sealed_under, name_sealed, media_type, size::text AS size, sha256, chunk_size, chunk_count, attached_at
       FROM ${SCHEMA}.files WHERE id = $1 AND stored_at IS NOT NULL`,
    [id],
  );
  return row;
}
