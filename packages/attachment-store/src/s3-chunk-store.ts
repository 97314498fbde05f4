import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { ChunkTampered, type ChunkStore } from './chunk-store';

const HASH_METADATA = 'sha256';

const keyOf = (prefix: string, fileId: string, index: number): string => `${prefix}${fileId}/${String(index).padStart(8, '0')}`;
const contentHash = (sealed: Buffer): string => createHash('sha256').update(sealed).digest('hex');

export interface S3Settings {
  readonly endpoint: string;
  readonly region?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * A client for any S3 API server (AWS, MinIO, Ceph, S3Proxy): path-style addressing, and checksums
 * only where the API requires them (the SDK's default checksum headers are AWS's own extension).
 */
export function s3Client(settings: S3Settings): S3Client {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region ?? 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
  });
}

/**
 * Chunks as objects in an S3 API store (the distributed deployment's choice: files stay out of the
 * database and its backups). One object a chunk, under `<prefix><file id>/<index>`, with the
 * SHA-256 of its sealed bytes in its metadata, checked on every read.
 */
export function s3ChunkStore(client: S3Client, options: { bucket: string; prefix?: string }): ChunkStore {
  const { bucket } = options;
  const prefix = options.prefix ?? 'attachments/';
  return {
    async put(fileId, index, sealed) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: keyOf(prefix, fileId, index), Body: sealed, Metadata: { [HASH_METADATA]: contentHash(sealed) } }),
      );
    },
    async *read(fileId, from, to) {
      for (let index = from; index <= to; index += 1) {
        let sealed: Buffer;
        let hash: string | undefined;
        try {
          const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(prefix, fileId, index) }));
          sealed = Buffer.from(await object.Body!.transformToByteArray());
          hash = object.Metadata?.[HASH_METADATA];
        } catch (error) {
          if (error instanceof NoSuchKey) throw new ChunkTampered(fileId, index, 'missing');
          throw error;
        }
        if (hash !== contentHash(sealed)) throw new ChunkTampered(fileId, index, 'content hash differs');
        yield sealed;
      }
    },
    async remove(fileId) {
      let token: string | undefined;
      do {
        const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}${fileId}/`, ContinuationToken: token }));
        // one by one: a multi-object delete needs a checksum header not every S3 API server takes
        for (const object of listed.Contents ?? []) if (object.Key) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
        token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
      } while (token);
    },
  };
}
