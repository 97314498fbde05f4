import { PGlite } from '@electric-sql/pglite';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract, type StoreUnderTest } from '../src/contract';
import { aStreamId, events } from '../src/contract/harness';
import { createPGliteEventStore } from '../src/drivers/pglite';

// One embedded database for the file (starting PGlite takes a while); a schema per store.
let pglite: PGlite;
beforeAll(async () => {
  pglite = await PGlite.create();
});
afterAll(() => pglite.close());

async function createStore(): Promise<StoreUnderTest> {
  const schema = `es_${randomBytes(5).toString('hex')}`;
  return {
    store: await createPGliteEventStore({ pglite, schema }),
    openSibling: () => createPGliteEventStore({ pglite, schema }),
  };
}

describe('event store embedded in the process (PGlite driver)', () => {
  // One connection runs the appends one at a time: the same checks, on a smaller load. A fresh PGlite
  // starts at transaction id 753, so this run crosses 999 -> 1000, where a text-ordered log breaks.
  describeEventStoreContract({ createStore, load: { writers: 8, events: 3_000, streams: 20, maxBatch: 10 } });

  it('given data in a folder, when the store is closed and opened again, then everything is still there', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lapor-pglite-'));
    try {
      const stream = aStreamId();
      const first = await createPGliteEventStore({ dataDir });
      await first.appendToStream(stream, events(3));
      await first.close();

      const reopened = await createPGliteEventStore({ dataDir });
      expect(await reopened.readStream(stream)).toHaveLength(3);
      await expect(reopened.appendToStream(stream, events(1), { expectedVersion: 2n })).resolves.toMatchObject({ nextExpectedVersion: 3n });
      await reopened.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('given a data folder, when the store opens it, then no other local user can reach or change its files', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'lapor-pglite-'));
    const dataDir = join(parent, 'eventstore');
    try {
      const store = await createPGliteEventStore({ dataDir });
      await store.appendToStream(aStreamId(), events(2));
      await store.close();

      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      const entries = await readdir(dataDir, { recursive: true, withFileTypes: true });
      expect(entries.length).toBeGreaterThan(100);
      const open = [];
      for (const entry of entries) {
        const mode = (await stat(join(entry.parentPath, entry.name))).mode & 0o777;
        if (mode & 0o077 && entry.isDirectory()) open.push(`${entry.name} ${mode.toString(8)}`);
        if (mode & 0o022) open.push(`${entry.name} ${mode.toString(8)}`);
      }
      // files PGlite creates after opening are behind the 0700 folder; none is writable by others
      expect(open).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
