import type { SqlRunner } from '@lapor/sql';
import { z } from 'zod';
import type { ChunkStore } from './chunk-store';
import { openSqlChunkStore } from './sql-chunk-store';

const Environment = z.discriminatedUnion('LAPOR_ATTACHMENT_STORE', [
  z.object({ LAPOR_ATTACHMENT_STORE: z.literal('database') }),
  z.object({
    LAPOR_ATTACHMENT_STORE: z.literal('s3'),
    LAPOR_S3_ENDPOINT: z.url(),
    LAPOR_S3_BUCKET: z.string().min(3),
    LAPOR_S3_REGION: z.string().default('us-east-1'),
    LAPOR_S3_ACCESS_KEY: z.string().min(1),
    LAPOR_S3_SECRET_KEY: z.string().min(1),
  }),
]);

/**
 * Where the chunks go, from LAPOR_ATTACHMENT_STORE: `database` (the default: a table beside the
 * events, on PGlite or PostgreSQL) or `s3` (an existing bucket of any S3 API server, LAPOR_S3_*).
 * A bad setting throws naming the variable.
 */
export async function openChunkStoreFromEnv(db: SqlRunner, env: NodeJS.ProcessEnv = process.env): Promise<ChunkStore> {
  const parsed = Environment.safeParse({ LAPOR_ATTACHMENT_STORE: 'database', ...env });
  if (!parsed.success) throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const settings = parsed.data;
  if (settings.LAPOR_ATTACHMENT_STORE === 'database') return openSqlChunkStore(db);
  const { s3ChunkStore, s3Client } = await import('./s3-chunk-store.js');
  const client = s3Client({
    endpoint: settings.LAPOR_S3_ENDPOINT,
    region: settings.LAPOR_S3_REGION,
    accessKeyId: settings.LAPOR_S3_ACCESS_KEY,
    secretAccessKey: settings.LAPOR_S3_SECRET_KEY,
  });
  return s3ChunkStore(client, { bucket: settings.LAPOR_S3_BUCKET });
}
