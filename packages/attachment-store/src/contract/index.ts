import { masterKey, memoryKeyStore, PersonalDataVault } from '@lapor/personal-data';
import type { SqlRunner } from '@lapor/sql';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AttachmentErased, AttachmentStore, AttachmentTooLarge, type NewAttachment } from '../attachment-store';
import { ChunkTampered, type ChunkStore } from '../chunk-store';
import { MalwareFound } from '../malware';

/** One backend under test: the database the catalog and vault live in, and its chunk store. */
export interface ChunkBackend {
  readonly db: SqlRunner;
  readonly chunks: ChunkStore;
  /** Changes one byte of a stored chunk the way someone with write access to the storage could (its content hash made to match). */
  tamper(fileId: string, index: number): Promise<void>;
  /** How many chunks the backend holds, of any file. */
  chunkCount(): Promise<number>;
}

const CHUNK = 1024;

async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

/** `bytes` as a client sends them: in pieces that do not line up with chunks. */
async function* arriving(bytes: Buffer, piece = 700): AsyncIterable<Buffer> {
  for (let at = 0; at < bytes.length; at += piece) {
    await Promise.resolve();
    yield bytes.subarray(at, at + piece);
  }
}

/** The same specification for every place chunks can live (SQL tables, an S3 API store). */
export function describeAttachmentStoreContract(name: string, openBackend: () => Promise<ChunkBackend>, closeBackend: () => Promise<void>): void {
  describe(`attachment store: ${name}`, () => {
    let backend: ChunkBackend;
    let vault: PersonalDataVault;
    let store: AttachmentStore;
    beforeAll(async () => {
      backend = await openBackend();
      vault = await PersonalDataVault.open(backend.db, masterKey(randomBytes(32)), { keys: memoryKeyStore(), shredWithinMs: 600_000 });
      store = await AttachmentStore.open(backend.db, backend.chunks, vault, { chunkBytes: CHUNK });
    });
    afterAll(async () => {
      await vault.close();
      await closeBackend();
    });
    const photo = (complaintId: string, extra: Partial<NewAttachment> = {}): NewAttachment => ({
      complaintId,
      name: 'jalan-berlubang.jpg',
      mediaType: 'image/jpeg',
      sealedUnder: 'complaint',
      ...extra,
    });
    const filesRows = async () => Number((await backend.db.query<{ n: string }>('SELECT count(*)::text AS n FROM attachments.files'))[0]!.n);

    it('given a file of several chunks, when it is read back, then the bytes, size and SHA-256 are those sent', async () => {
      const bytes = randomBytes(CHUNK * 3 + 123);
      const stored = await store.store(photo(randomUUID()), arriving(bytes));

      expect(stored).toMatchObject({
        name: 'jalan-berlubang.jpg',
        mediaType: 'image/jpeg',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      const read = await store.read(stored.id);
      expect(read!.attachment).toEqual(stored);
      expect((await collect(read!.body)).equals(bytes)).toBe(true);
      expect(await store.describe(stored.id)).toEqual(stored);
    });

    it('given a stored file, then what the backend holds is not its plaintext', async () => {
      const marker = Buffer.from(`PENANDA-RAHASIA-${randomUUID()}`);
      const stored = await store.store(photo(randomUUID()), arriving(Buffer.concat([marker, marker, marker])));
      const all = await collect(backend.chunks.read(stored.id, 0, 0));
      expect(all.includes(marker)).toBe(false);
    });

    it('given an empty file, when it is read, then it is empty', async () => {
      const stored = await store.store(photo(randomUUID()), arriving(Buffer.alloc(0)));
      expect(stored.size).toBe(0);
      expect((await collect((await store.read(stored.id))!.body)).length).toBe(0);
    });

    it.each([
      ['within one chunk', 10, 20],
      ['across chunk boundaries', CHUNK - 5, 2 * CHUNK + 5],
      ['the last byte', CHUNK * 3 + 122, CHUNK * 3 + 122],
      ['past the end, cut at the end', CHUNK * 3, CHUNK * 10],
      ['exactly one chunk', CHUNK, 2 * CHUNK - 1],
    ])('given a file, when bytes are read by range (%s), then exactly those bytes come back', async (_, start, end) => {
      const bytes = randomBytes(CHUNK * 3 + 123);
      const stored = await store.store(photo(randomUUID()), arriving(bytes));
      const read = await store.read(stored.id, { start, end });
      expect((await collect(read!.body)).equals(bytes.subarray(start, end + 1))).toBe(true);
    });

    it('given a chunk changed in storage, when the file is read, then the change is detected and no altered byte is served', async () => {
      const bytes = randomBytes(CHUNK * 3);
      const stored = await store.store(photo(randomUUID()), arriving(bytes));
      await backend.tamper(stored.id, 1);

      await expect(collect((await store.read(stored.id))!.body)).rejects.toBeInstanceOf(ChunkTampered);
      // the chunks before it are intact and still read
      expect((await collect((await store.read(stored.id, { start: 0, end: CHUNK - 1 }))!.body)).equals(bytes.subarray(0, CHUNK))).toBe(true);
    });

    it("given the complaint's personal data erased and shredded, then its reporter's files can never be read, and a unit's follow-up files still can", async () => {
      const complaintId = randomUUID();
      const reporters = await store.store(photo(complaintId), arriving(randomBytes(CHUNK * 2)));
      const units = await store.store(
        photo(complaintId, { name: 'surat-balasan.pdf', mediaType: 'application/pdf', sealedUnder: 'deployment' }),
        arriving(randomBytes(100)),
      );
      await vault.erase(complaintId, 'admin-nasional');
      await vault.shred();

      await expect(store.read(reporters.id)).rejects.toBeInstanceOf(AttachmentErased);
      await expect(store.describe(reporters.id)).rejects.toBeInstanceOf(AttachmentErased);
      await expect(store.store(photo(complaintId), arriving(randomBytes(10)))).rejects.toBeInstanceOf(AttachmentErased);
      expect((await store.describe(units.id))?.name).toBe('surat-balasan.pdf');
    });

    it('given eight uploads at once to two complaints, then each reads back as its own', async () => {
      const complaints = [randomUUID(), randomUUID()];
      const files = Array.from({ length: 8 }, () => randomBytes(CHUNK * 2 + 17));
      const stored = await Promise.all(files.map((bytes, i) => store.store(photo(complaints[i % 2]!, { name: `foto-${i}.jpg` }), arriving(bytes, 333))));
      for (const [i, file] of stored.entries()) {
        expect(file.name).toBe(`foto-${i}.jpg`);
        expect((await collect((await store.read(file.id))!.body)).equals(files[i]!)).toBe(true);
      }
    });

    it('given an upload cut off half way, then nothing of it is kept', async () => {
      const [rows, chunks] = [await filesRows(), await backend.chunkCount()];
      async function* cutOff(): AsyncIterable<Buffer> {
        yield randomBytes(CHUNK * 2);
        throw new Error('client went away');
      }
      await expect(store.store(photo(randomUUID()), cutOff())).rejects.toThrow('client went away');
      expect([await filesRows(), await backend.chunkCount()]).toEqual([rows, chunks]);
    });

    it('given an upload over its size limit, then it stops there, nothing of it is kept', async () => {
      const [rows, chunks] = [await filesRows(), await backend.chunkCount()];
      await expect(store.store(photo(randomUUID(), { maxBytes: CHUNK * 2 }), arriving(randomBytes(CHUNK * 5)))).rejects.toBeInstanceOf(AttachmentTooLarge);
      expect([await filesRows(), await backend.chunkCount()]).toEqual([rows, chunks]);
    });

    it('given a file the malware scanner refuses, then the upload fails with its finding and nothing of it is kept', async () => {
      const refusing = await AttachmentStore.open(backend.db, backend.chunks, vault, {
        chunkBytes: CHUNK,
        scanner: { start: async () => ({ write: async () => undefined, verdict: async () => 'Eicar-Test-Signature', abort: () => undefined }) },
      });
      const [rows, chunks] = [await filesRows(), await backend.chunkCount()];
      await expect(refusing.store(photo(randomUUID()), arriving(randomBytes(CHUNK * 2)))).rejects.toEqual(new MalwareFound('Eicar-Test-Signature'));
      expect([await filesRows(), await backend.chunkCount()]).toEqual([rows, chunks]);
    });

    it('given uploads never attached to a command, when the grace period has passed, then the sweep removes them and keeps attached ones', async () => {
      const complaintId = randomUUID();
      const long = new Date('2026-01-01T00:00:00Z');
      const orphan = await store.store(photo(complaintId, { at: long }), arriving(randomBytes(CHUNK + 1)));
      const attached = await store.store(photo(complaintId, { at: long }), arriving(randomBytes(10)));
      const recent = await store.store(photo(complaintId, { at: new Date('2026-01-02T00:00:00Z') }), arriving(randomBytes(10)));
      expect(await store.attach(complaintId, [attached.id, 'not-an-upload'])).toEqual([attached.id]);
      // another complaint's command cannot claim this complaint's file
      expect(await store.attach(randomUUID(), [recent.id])).toEqual([]);

      await store.sweepOrphans(new Date('2026-01-01T12:00:00Z'));
      expect(await store.describe(orphan.id)).toBeUndefined();
      await expect(collect(backend.chunks.read(orphan.id, 0, 0))).rejects.toBeInstanceOf(ChunkTampered);
      expect((await store.describe(attached.id))?.attached).toBe(true);
      expect(await store.describe(recent.id)).toBeDefined();
    });
  });
}
