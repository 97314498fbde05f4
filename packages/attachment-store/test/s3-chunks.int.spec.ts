import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPgRunner } from '@lapor/sql';
import { createTestDatabase, discoverS3, type TestDatabase } from '@lapor/testing';
import { createHash, randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { s3ChunkStore, s3Client } from '../src/s3-chunk-store';
import { describeAttachmentStoreContract } from '../src/contract';

// The catalog and the vault on PostgreSQL, the chunks in a real S3 API server (S3Proxy, infra/s3.sh).
let database: TestDatabase;
let pool: Pool;
let client: S3Client;
const bucket = `lapor-test-${randomBytes(5).toString('hex')}`;
const prefix = 'attachments/';

async function allKeys(): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
}

describeAttachmentStoreContract(
  'chunks in an S3 API store',
  async () => {
    client = s3Client({
      endpoint: discoverS3().value,
      accessKeyId: process.env.S3_ACCESS_KEY ?? 'lapor-local',
      secretAccessKey: process.env.S3_SECRET_KEY ?? 'lapor-local-secret',
    });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    database = await createTestDatabase('attachments_s3');
    pool = new Pool({ connectionString: database.url });
    return {
      db: createPgRunner(pool, { ownsPool: true }),
      chunks: s3ChunkStore(client, { bucket, prefix }),
      async tamper(fileId, index) {
        const Key = `${prefix}${fileId}/${String(index).padStart(8, '0')}`;
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
        const sealed = Buffer.from(await object.Body!.transformToByteArray());
        sealed[sealed.length - 1]! ^= 0x01;
        await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: sealed, Metadata: { sha256: createHash('sha256').update(sealed).digest('hex') } }));
      },
      chunkCount: async () => (await allKeys()).length,
    };
  },
  async () => {
    await pool.end();
    await database.drop();
    for (const Key of await allKeys()) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    client.destroy();
  },
);
