import { SealError } from '@lapor/personal-data';
import type { SqlRunner } from '@lapor/sql';
import { createHash, randomUUID } from 'node:crypto';
import type { ChunkStore } from './chunk-store';
import { attachmentLimitsFromEnv, type AttachmentLimits } from './limits';
import { MalwareFound, scannerFromEnv, type MalwareScanner } from './malware';
import { completeRow, openCatalog, SCHEMA, type AttachmentReference, type CatalogRow, type SealedUnder } from './catalog';
import { openChunk, sealChunk } from './sealing';

/** Where the keys come from: the personal-data vault (PersonalDataVault satisfies it). */
export interface AttachmentKeys {
  /** Throws once the complaint's personal data was erased. */
  sealingKey(complaintId: string, purpose: string): Promise<Buffer>;
  /** Null once the complaint's personal data was erased. */
  openingKey(complaintId: string, purpose: string): Promise<Buffer | null>;
  derivedKey(purpose: string): Buffer;
}

export interface NewAttachment {
  readonly complaintId: string;
  readonly name: string;
  readonly mediaType: string;
  readonly sealedUnder: SealedUnder;
  /** A file larger than this is refused while it streams (AttachmentTooLarge) and nothing of it is kept. */
  readonly maxBytes?: number;
  /** When it arrived: the orphan sweep's clock. */
  readonly at?: Date;
}

export interface StoredAttachment extends AttachmentReference {
  readonly complaintId: string;
  readonly sealedUnder: SealedUnder;
  readonly attached: boolean;
}

/** The file's key was destroyed with the complaint's personal data: it can never be read again (HTTP 410). */
export class AttachmentErased extends Error {
  constructor(readonly id: string) {
    super(`attachment ${id} was erased with its complaint's personal data`);
    this.name = 'AttachmentErased';
  }
}

export class AttachmentTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
    this.name = 'AttachmentTooLarge';
  }
}

const CHUNK_BYTES = 256 * 1024;
const NAME_CHUNK = -1; // the sealed name is bound to its own place, apart from every content chunk

const filePurpose = (id: string): string => `attachment:${id}`;

/**
 * Attached files, sealed chunk by chunk under their complaint's key as they stream in, so no file
 * is ever whole in memory or in clear on disk; read back whole or by byte range.
 */
export class AttachmentStore {
  private constructor(
    private readonly db: SqlRunner,
    private readonly chunks: ChunkStore,
    private readonly keys: AttachmentKeys,
    private readonly chunkBytes: number,
    /** How much may be attached (the uploads edge checks them while files stream in). */
    readonly limits: AttachmentLimits,
    private readonly scanner: MalwareScanner,
  ) {}

  static async open(
    db: SqlRunner,
    chunks: ChunkStore,
    keys: AttachmentKeys,
    options: { chunkBytes?: number; limits?: AttachmentLimits; scanner?: MalwareScanner } = {},
  ): Promise<AttachmentStore> {
    await openCatalog(db);
    return new AttachmentStore(
      db,
      chunks,
      keys,
      options.chunkBytes ?? CHUNK_BYTES,
      options.limits ?? attachmentLimitsFromEnv(),
      options.scanner ?? scannerFromEnv(),
    );
  }

  /** The bytes stored for a complaint so far (what counts against its limit). */
  async bytesOf(complaintId: string): Promise<number> {
    const [row] = await this.db.query<{ n: string }>(`SELECT COALESCE(sum(size), 0)::text AS n FROM ${SCHEMA}.files WHERE complaint_id = $1`, [complaintId]);
    return Number(row?.n ?? 0);
  }

  /**
   * Seals and stores `content` as it arrives. Whatever stops it (the size limit, a client gone, a
   * storage error) removes what was written, then throws.
   */
  async store(file: NewAttachment, content: AsyncIterable<Uint8Array>): Promise<StoredAttachment> {
    const id = randomUUID();
    const key = await this.sealingKey(file.complaintId, file.sealedUnder, id);
    // before anything is written: a scanner that cannot be reached refuses the upload with nothing to undo
    const scan = await this.scanner.start();
    await this.db.query(
      `INSERT INTO ${SCHEMA}.files (id, complaint_id, sealed_under, name_sealed, media_type, chunk_size, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        id,
        file.complaintId,
        file.sealedUnder,
        sealChunk(key, id, NAME_CHUNK, Buffer.from(file.name, 'utf8')),
        file.mediaType,
        this.chunkBytes,
        file.at ?? new Date(),
      ],
    );
    try {
      const hash = createHash('sha256');
      let size = 0;
      let index = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async (bytes: Buffer) => {
        await this.chunks.put(id, index, sealChunk(key, id, index, bytes));
        index += 1;
      };
      for await (const piece of content) {
        size += piece.length;
        if (file.maxBytes !== undefined && size > file.maxBytes) throw new AttachmentTooLarge(file.maxBytes);
        hash.update(piece);
        await scan.write(Buffer.from(piece));
        pending.push(Buffer.from(piece));
        pendingBytes += piece.length;
        while (pendingBytes >= this.chunkBytes) {
          const all = Buffer.concat(pending);
          await flush(all.subarray(0, this.chunkBytes));
          pending = [all.subarray(this.chunkBytes)];
          pendingBytes = all.length - this.chunkBytes;
        }
      }
      if (pendingBytes > 0) await flush(Buffer.concat(pending));
      const found = await scan.verdict();
      if (found) throw new MalwareFound(found);
      const sha256 = hash.digest('hex');
      await this.db.query(`UPDATE ${SCHEMA}.files SET size = $2, sha256 = $3, chunk_count = $4, stored_at = now() WHERE id = $1`, [id, size, sha256, index]);
      return { id, name: file.name, mediaType: file.mediaType, size, sha256, complaintId: file.complaintId, sealedUnder: file.sealedUnder, attached: false };
    } catch (error) {
      scan.abort();
      await this.remove(id);
      throw error;
    }
  }

  /** The file as stored, or undefined when there is none (or it is not complete). Throws AttachmentErased. */
  async describe(id: string): Promise<StoredAttachment | undefined> {
    const row = await completeRow(this.db, id);
    if (!row) return undefined;
    return this.reference(row, await this.openingKey(row));
  }

  /**
   * The plaintext of bytes `start`..`end` (inclusive; the whole file by default), opened a chunk at a
   * time as the consumer reads. Throws AttachmentErased; a tampered chunk fails the iteration (ChunkTampered).
   */
  async read(id: string, range?: { start: number; end: number }): Promise<{ attachment: StoredAttachment; body: AsyncIterable<Buffer> } | undefined> {
    const row = await completeRow(this.db, id);
    if (!row) return undefined;
    const key = await this.openingKey(row);
    const attachment = this.reference(row, key);
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? attachment.size - 1, attachment.size - 1);
    const chunks = this.chunks;
    async function* body(): AsyncIterable<Buffer> {
      if (end < start) return;
      const first = Math.floor(start / row!.chunk_size);
      const last = Math.floor(end / row!.chunk_size);
      let index = first;
      for await (const sealed of chunks.read(id, first, last)) {
        const plain = openChunk(key, id, index, sealed);
        const offset = index * row!.chunk_size;
        yield plain.subarray(Math.max(0, start - offset), Math.min(plain.length, end - offset + 1));
        index += 1;
      }
    }
    return { attachment, body: body() };
  }

  /** Marks files of this complaint as referred to by an accepted command; the ids it marked. */
  async attach(complaintId: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<{ id: string }>(
      `UPDATE ${SCHEMA}.files SET attached_at = COALESCE(attached_at, now()) WHERE id = ANY($1::text[]) AND complaint_id = $2 AND stored_at IS NOT NULL RETURNING id`,
      [ids, complaintId],
    );
    return rows.map((row) => row.id);
  }

  /** Removes the file's chunks, then its row (a crash between leaves a row the sweep finds again). */
  async remove(id: string): Promise<void> {
    await this.chunks.remove(id);
    await this.db.query(`DELETE FROM ${SCHEMA}.files WHERE id = $1`, [id]);
  }

  /**
   * Removes every file not marked attached that arrived before `before`, except those
   * `referenced` says an accepted command carries (a crash between the command and the mark):
   * those are marked now. How many were removed.
   */
  async sweepOrphans(before: Date, referenced: (complaintId: string, id: string) => Promise<boolean> = async () => false): Promise<number> {
    const rows = await this.db.query<{ id: string; complaint_id: string }>(
      `SELECT id, complaint_id FROM ${SCHEMA}.files WHERE attached_at IS NULL AND uploaded_at < $1`,
      [before],
    );
    let removed = 0;
    for (const { id, complaint_id } of rows) {
      if (await referenced(complaint_id, id)) await this.attach(complaint_id, [id]);
      else {
        await this.remove(id);
        removed += 1;
      }
    }
    return removed;
  }

  private async sealingKey(complaintId: string, sealedUnder: SealedUnder, id: string): Promise<Buffer> {
    if (sealedUnder === 'deployment') return this.keys.derivedKey(`${filePurpose(id)}:${complaintId}`);
    try {
      return await this.keys.sealingKey(complaintId, filePurpose(id));
    } catch (error) {
      if (error instanceof SealError) throw new AttachmentErased(id);
      throw error;
    }
  }

  private async openingKey(row: CatalogRow): Promise<Buffer> {
    if (row.sealed_under === 'deployment') return this.keys.derivedKey(`${filePurpose(row.id)}:${row.complaint_id}`);
    const key = await this.keys.openingKey(row.complaint_id, filePurpose(row.id));
    if (!key) throw new AttachmentErased(row.id);
    return key;
  }

  private reference(row: CatalogRow, key: Buffer): StoredAttachment {
    return {
      id: row.id,
      name: openChunk(key, row.id, NAME_CHUNK, Buffer.from(row.name_sealed)).toString('utf8'),
      mediaType: row.media_type,
      size: Number(row.size),
      sha256: row.sha256,
      complaintId: row.complaint_id,
      sealedUnder: row.sealed_under,
      attached: row.attached_at !== null,
    };
  }
}
