import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryKeyStore, memoryKeyStore } from '../src';

describe('the epoch key folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lapor-epoch-keys-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('given a key written, then it reads back, its file is mode 0600 in a folder made 0700, and a second write of the same id is refused', async () => {
    const keys = directoryKeyStore(join(dir, 'keys'));
    const wrapped = randomBytes(60);
    await keys.write('0123456789abcdef', wrapped);
    expect((await keys.read('0123456789abcdef'))?.equals(wrapped)).toBe(true);
    expect((await stat(join(dir, 'keys', 'epoch-0123456789abcdef'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'keys'))).mode & 0o777).toBe(0o700);
    expect(await keys.list()).toEqual(['0123456789abcdef']);
    await expect(keys.write('0123456789abcdef', wrapped)).rejects.toThrow(/EEXIST/);
  });

  it('given a key destroyed, then it is gone, twice is a no-op, and what a destroy that died left behind goes with the next one', async () => {
    const keys = directoryKeyStore(dir);
    await keys.write('0123456789abcdef', randomBytes(60));
    await keys.write('fedcba9876543210', randomBytes(60));
    await writeFile(join(dir, '.destroying-aaaaaaaaaaaaaaaa-1234'), 'left by a crash');
    await keys.destroy('0123456789abcdef');
    await keys.destroy('0123456789abcdef');
    expect(await keys.read('0123456789abcdef')).toBeNull();
    expect(await readdir(dir)).toEqual(['epoch-fedcba9876543210']);
  });

  it('given an id that is not an epoch id, then no path is made from it', async () => {
    const keys = directoryKeyStore(dir);
    await expect(keys.read('../master-key')).rejects.toThrow(/not an epoch id/);
    await expect(keys.destroy('../../etc/passwd')).rejects.toThrow(/not an epoch id/);
  });

  it('given the memory store, then a destroyed key is gone', async () => {
    const keys = memoryKeyStore();
    await keys.write('0123456789abcdef', randomBytes(60));
    await keys.destroy('0123456789abcdef');
    expect(await keys.read('0123456789abcdef')).toBeNull();
    expect(await keys.list()).toEqual([]);
  });
});
