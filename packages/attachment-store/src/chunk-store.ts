/**
 * Where a file's sealed chunks live: the port every backend implements (chunks in PostgreSQL or
 * PGlite, objects in an S3 API store). It only ever sees ciphertext; what a file is, and whether
 * it is complete, is the catalog's (catalog.ts), kept in SQL whatever holds the chunks.
 */
export interface ChunkStore {
  /** Stores chunk `index` of a file (a second put of the same chunk replaces it). */
  put(fileId: string, index: number, sealed: Buffer): Promise<void>;
  /** Chunks `from`..`to` (inclusive) in order; a missing or altered one throws ChunkTampered. */
  read(fileId: string, from: number, to: number): AsyncIterable<Buffer>;
  /** Every chunk of the file gone; nothing to remove is not an error. */
  remove(fileId: string): Promise<void>;
}

/** A chunk is missing, or its bytes are not the ones written (its content hash or its seal says so). */
export class ChunkTampered extends Error {
  constructor(fileId: string, index: number, why: string) {
    super(`chunk ${index} of attachment ${fileId}: ${why}`);
    this.name = 'ChunkTampered';
  }
}
