export { ChunkTampered, type ChunkStore } from './chunk-store';
export { openSqlChunkStore } from './sql-chunk-store';
export { type AttachmentReference, type SealedUnder } from './catalog';
export { AttachmentErased, AttachmentStore, AttachmentTooLarge, type AttachmentKeys, type NewAttachment, type StoredAttachment } from './attachment-store';
