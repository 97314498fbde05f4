export { ChunkTampered, type ChunkStore } from './chunk-store';
export { openSqlChunkStore } from './sql-chunk-store';
export { type AttachmentReference, type SealedUnder } from './catalog';
export { AttachmentErased, AttachmentStore, AttachmentTooLarge, type AttachmentKeys, type NewAttachment, type StoredAttachment } from './attachment-store';
export { ALLOWED_TYPES, sniffType, type AllowedType } from './sniff';
export { stripJpegGps } from './exif';
export { inspectUpload, type InspectedUpload } from './inspect';
export { AttachmentLimits, attachmentLimitsFromEnv } from './limits';
