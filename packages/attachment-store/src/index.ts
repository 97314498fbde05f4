export { ChunkTampered, type ChunkStore } from './chunk-store';
export { openSqlChunkStore } from './sql-chunk-store';
export { type AttachmentReference, type SealedUnder } from './catalog';
export { AttachmentErased, AttachmentStore, AttachmentTooLarge, type AttachmentKeys, type NewAttachment, type StoredAttachment } from './attachment-store';
export { ALLOWED_TYPES, sniffType, type AllowedType } from './sniff';
export { stripJpegGps } from './exif';
export { inspectUpload, type InspectedUpload } from './inspect';
export { AttachmentLimits, attachmentLimitsFromEnv } from './limits';
// not s3ChunkStore / s3Client: the S3 SDK is loaded only by a process that stores chunks there
// (openChunkStoreFromEnv imports it then); loading it cost every process a third of a second at start
export type { S3Settings } from './s3-chunk-store';
export { openChunkStoreFromEnv } from './chunk-store-from-env';
export { acceptAll, clamdScanner, MalwareFound, scannerFromEnv, type MalwareScanner, type Scan } from './malware';
