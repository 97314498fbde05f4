import { ensureSchema, type SqlRunner } from '@lapor/sql';
import { createHash } from 'node:crypto';
import { ChunkTampered, type ChunkStore } from './chunk-store';
import { SCHEMA } from './catalog';

// A page of chunks per query: a range read of a large file never holds it whole in memory.
const READ_PAGE = 16;

const contentHash = (sealed: Buffer): Buffer => createHash('sha256').update(sealed).digest();

/**
 * Chunks in a table beside the events, the same SQL on a PostgreSQL server and on PGlite: the
 * embedded mode keeps no file outside its database to forget in a backup. Each row carries the
 * SHA-256 of its sealed bytes, checked on every read.
 */
export async function openSqlChunkStore(db: SqlRunner): Promise<ChunkStore> {
  await ensureSchema(
    db,
    SCHEMA,
    `CREATE TABLE IF NOT EXISTS ${SCHEMA}.chunks (
       file_id text NOT NULL,
       index integer NOT NULL,
       sealed bytea NOT NULL,
       content_hash bytea NOT NULL,
       PRIMARY KEY (file_id, index)
     );`,
  );
  return {
    async put(fileId, index, sealed) {
      await db.query(
        `INSERT INTO ${SCHEMA}.chunks (file_id, index, sealed, content_hash) VALUES ($1, $2, $3, $4)
           ON CONFLICT (file_id, index) DO UPDATE SET sealed = EXCLUDED.sealed, content_hash = EXCLUDED.content_hash`,
        [fileId, index, sealed, contentHash(sealed)],
      );
    },
    async *read(fileId, from, to) {
      for (let page = from; page <= to; page += READ_PAGE) {
        const last = Math.min(to, page + READ_PAGE - 1);
        const rows = await db.query<{ index: number; sealed: Uint8Array; content_hash: Uint8Array }>(
          `SELECT index, sealed, content_hash FROM ${SCHEMA}.chunks WHERE file_id = $1 AND index BETWEEN $2 AND $3 ORDER BY index`,
          [fileId, page, last],
        );
        for (let index = page; index <= last; index += 1) {
          const row = rows[index - page];
          if (row?.index !== index) throw new ChunkTampered(fileId, index, 'missing');
          const sealed = Buffer.from(row.sealed);
          if (!contentHash(sealed).equals(Buffer.from(row.content_hash))) throw new ChunkTampered(fileId, index, 'content hash differs');
          yield sealed;
        }
      }
    },
    async remove(fileId) {
      await db.query(`DELETE FROM ${SCHEMA}.chunks WHERE file_id = $1`, [fileId]);
    },
  };
}
