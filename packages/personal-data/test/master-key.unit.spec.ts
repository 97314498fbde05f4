import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MASTER_KEY_FILE, masterKey, masterKeyFromEnv, masterKeyFromFolder } from '../src';

describe('master key from the environment', () => {
  it('given LAPOR_MASTER_KEY with 32 bytes in base64, then it is the master key', () => {
    const bytes = randomBytes(32);
    expect(masterKeyFromEnv({ LAPOR_MASTER_KEY: bytes.toString('base64') })).toEqual(masterKey(bytes));
  });

  it('given LAPOR_MASTER_KEY missing or empty, then the error names the variable', () => {
    expect(() => masterKeyFromEnv({})).toThrow(/LAPOR_MASTER_KEY is not set/);
    expect(() => masterKeyFromEnv({ LAPOR_MASTER_KEY: '' })).toThrow(/LAPOR_MASTER_KEY is not set/);
  });

  it('given LAPOR_MASTER_KEY of the wrong length, then the error names the variable and the length', () => {
    expect(() => masterKeyFromEnv({ LAPOR_MASTER_KEY: randomBytes(16).toString('base64') })).toThrow(
      /LAPOR_MASTER_KEY must be 32 bytes in base64; it decodes to 16 bytes/,
    );
  });
});

describe('master key file of the embedded default', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lapor-master-key-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('given a folder without a key file, then a key file with mode 0600 is created and the message says so', async () => {
    const folder = join(dir, 'data');
    const first = await masterKeyFromFolder(folder);
    expect(first.created).toBe(true);
    expect(first.message).toContain('created a new master key');
    expect(first.message).toContain(first.key.id);
    expect(first.message).not.toContain(first.key.key.toString('base64'));
    const file = join(folder, MASTER_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(await readFile(file, 'utf8'), 'base64').equals(first.key.key)).toBe(true);
  });

  it('given a key file already there, then it is reused and nothing is created', async () => {
    const first = await masterKeyFromFolder(dir);
    const second = await masterKeyFromFolder(dir);
    expect(second.created).toBe(false);
    expect(second.key).toEqual(first.key);
    expect(second.message).toBe(`using master key ${first.key.id} from ${join(dir, MASTER_KEY_FILE)}`);
  });

  it('given two processes starting at once on an empty folder, then both get the same key and only one created it', async () => {
    const results = await Promise.all([masterKeyFromFolder(dir), masterKeyFromFolder(dir)]);
    expect(results[0]?.key).toEqual(results[1]?.key);
    expect(results.filter((result) => result.created)).toHaveLength(1);
  });
});
