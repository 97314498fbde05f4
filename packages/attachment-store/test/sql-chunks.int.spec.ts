import { PGlite } from '@electric-sql/pglite';
import { createPGliteRunner, createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { openSqlChunkStore } from '../src';
import { describeAttachmentStoreContract, type ChunkBackend } from '../src/contract';

async function sqlBackend(db: SqlRunner): Promise<ChunkBackend> {
  return {
    db,
    chunks: await openSqlChunkStore(db),
    async tamper(fileId, index) {
      const [row] = await db.query<{ sealed: Uint8Array }>('SELECT sealed FROM attachments.chunks WHERE file_id = $1 AND index = $2', [fileId, index]);
      const sealed = Buffer.from(row!.sealed);
      sealed[sealed.length - 1]! ^= 0x01;
      await db.query('UPDATE attachments.chunks SET sealed = $3, content_hash = $4 WHERE file_id = $1 AND index = $2', [
        fileId,
        index,
        sealed,
        createHash('sha256').update(sealed).digest(),
      ]);
    },
    async chunkCount() {
      return Number((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM attachments.chunks'))[0]!.n);
    },
  };
}

let pglite: PGlite;
describeAttachmentStoreContract(
  'chunks in PGlite',
  async () => {
    pglite = await PGlite.create();
    return sqlBackend(createPGliteRunner(pglite, { ownsDatabase: true }));
  },
  () => pglite.close(),
);

let database: TestDatabase;
let pool: Pool;
describeAttachmentStoreContract(
  'chunks in a PostgreSQL server',
  async () => {
    database = await createTestDatabase('attachments');
    pool = new Pool({ connectionString: database.url });
    return sqlBackend(createPgRunner(pool, { ownsPool: true }));
  },
  async () => {
    await pool.end();
    await database.drop();
  },
);
