import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const KEY_DIR_VARIABLE = 'LAPOR_KEY_DIR';

/**
 * Where the epoch keys (each wrapped by the master key) live: outside the database, because a row
 * that is deleted stays readable in the WAL, in dead tuples and in backups, and a file can be
 * destroyed. Destroying the old epoch's key is what makes an erasure final.
 */
export interface EpochKeyStore {
  /** The wrapped epoch key, or null when it is not (or no longer) there. */
  read(epochId: string): Promise<Buffer | null>;
  /** Stores a new epoch key durably (it must survive a crash once the database refers to it). */
  write(epochId: string, wrapped: Buffer): Promise<void>;
  /** Destroys it for good; a no-op when it is already gone. */
  destroy(epochId: string): Promise<void>;
  /** The epoch ids it holds. */
  list(): Promise<string[]>;
  /** Where, for messages; never a key. */
  readonly where: string;
}

const PREFIX = 'epoch-';
/** A key being destroyed: no longer found under its name, not yet overwritten. */
const DOOMED = '.destroying-';
/** A key being written, before it is linked into place under its epoch's name. */
const WRITING = '.writing-';
const EPOCH_ID = /^[0-9a-f]{16,64}$/;

function fileOf(dir: string, epochId: string): string {
  // the id comes from the database: it must never name a path outside the folder
  if (!EPOCH_ID.test(epochId)) throw new Error(`not an epoch id: ${JSON.stringify(epochId)}`);
  return join(dir, `${PREFIX}${epochId}`);
}

async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Overwritten in place before the name goes, so the blocks do not keep the key on a plain filesystem. */
async function overwriteAndUnlink(file: string): Promise<void> {
  let handle;
  try {
    handle = await open(file, 'r+');
  } catch (error) {
    // another process destroyed it at the same time
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    await handle.write(randomBytes(size), 0, size, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** One file per epoch (mode 0600) in `dir`, which is kept out of database backups. */
export function directoryKeyStore(dir: string): EpochKeyStore {
  return {
    where: dir,
    async read(epochId) {
      try {
        return Buffer.from((await readFile(fileOf(dir, epochId), 'utf8')).trim(), 'base64');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async write(epochId, wrapped) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // written aside, then linked into place (atomic, and refused if the epoch exists): a process
      // reading the new epoch finds its key whole or not at all, never an empty file
      const aside = join(dir, `${WRITING}${epochId}-${randomBytes(4).toString('hex')}`);
      const handle = await open(aside, 'wx', 0o600);
      try {
        await handle.writeFile(`${wrapped.toString('base64')}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(aside, fileOf(dir, epochId));
      } finally {
        await unlink(aside);
      }
      await syncFolder(dir);
    },
    async destroy(epochId) {
      // renamed first (atomic): a reader finds the key whole or not at all, never half overwritten
      const doomed = join(dir, `${DOOMED}${epochId}-${randomBytes(4).toString('hex')}`);
      try {
        await rename(fileOf(dir, epochId), doomed);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      // also what a process that died while destroying left behind
      for (const name of await readdir(dir).catch(() => [])) {
        if (name.startsWith(DOOMED)) await overwriteAndUnlink(join(dir, name));
      }
      await syncFolder(dir).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      });
    },
    async list() {
      try {
        return (await readdir(dir)).filter((name) => name.startsWith(PREFIX)).map((name) => name.slice(PREFIX.length));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
  };
}

/** For a database in memory (tests, the in-memory embedded default): the keys die with the process, like the data. */
export function memoryKeyStore(): EpochKeyStore {
  const keys = new Map<string, Buffer>();
  return {
    where: 'memory',
    async read(epochId) {
      return keys.get(epochId) ?? null;
    },
    async write(epochId, wrapped) {
      if (keys.has(epochId)) throw new Error(`epoch key ${epochId} exists`);
      keys.set(epochId, Buffer.from(wrapped));
    },
    async destroy(epochId) {
      keys.get(epochId)?.fill(0);
      keys.delete(epochId);
    },
    async list() {
      return [...keys.keys()];
    },
  };
}
