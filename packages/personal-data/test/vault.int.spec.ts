import { PGlite } from '@electric-sql/pglite';
import { createPGliteRunner, createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { directoryKeyStore, masterKey, PersonalDataVault, SealError, type EpochKeyStore, type ReporterIdentity } from '../src';
import { decrypt, encrypt } from '../src/envelope';

const IDENTITY: ReporterIdentity = { name: 'Maria Goreti Bunga', phone: '+6281234567890', nik: '5371012345678901', email: 'maria@example.id' };

describe.each([
  [
    'PGlite',
    async (folder: string) => {
      // on disk, as the embedded default runs: its WAL is what kept erased keys
      const pglite = await PGlite.create(join(folder, 'eventstore'));
      return { runner: createPGliteRunner(pglite, { ownsDatabase: true }), done: async () => undefined };
    },
  ],
  [
    'a PostgreSQL server',
    async () => {
      const database: TestDatabase = await createTestDatabase('vault');
      const pool = new Pool({ connectionString: database.url });
      pool.on('error', () => undefined); // the database is dropped WITH (FORCE) at the end: a straggler may be cut off
      return { runner: createPgRunner(pool, { ownsPool: true }), done: () => database.drop() };
    },
  ],
] as const)('the personal-data vault on %s', (_name, open) => {
  let runner: SqlRunner;
  let done: () => Promise<unknown>;
  let vault: PersonalDataVault;
  let folder: string;
  let keyDir: string;
  let keys: EpochKeyStore;
  const opened: PersonalDataVault[] = [];
  const master = masterKey(randomBytes(32));
  /** A vault as a process opens it: shredding in the background only long after the test. */
  const openVault = async (options: { master?: typeof master; shredWithinMs?: number } = {}) => {
    const opening = await PersonalDataVault.open(runner, options.master ?? master, { keys, shredWithinMs: options.shredWithinMs ?? 600_000 });
    opened.push(opening);
    return opening;
  };
  /** Every epoch key an attacker holding the master key and the key folder can unwrap now. */
  const epochKeysOnDisk = async (): Promise<Buffer[]> =>
    Promise.all(
      (await readdir(keyDir))
        .filter((name) => name.startsWith('epoch-')) // not a key being written or destroyed: those are gone or not yet there
        .map(async (name) =>
          decrypt(master.key, Buffer.from((await readFile(join(keyDir, name), 'utf8')).trim(), 'base64'), `epoch:${name.slice('epoch-'.length)}`),
        ),
    );
  const keyRow = async (complaintId: string) =>
    (
      await runner.query<{ wrapped_key: string; epoch_id: string | null }>(
        'SELECT wrapped_key, epoch_id FROM personal_data.data_keys WHERE complaint_id = $1',
        [complaintId],
      )
    )[0];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'lapor-vault-'));
    keyDir = join(folder, 'keys');
    keys = directoryKeyStore(keyDir);
    ({ runner, done } = await open(folder));
    vault = await openVault();
  });
  afterAll(async () => {
    for (const each of opened) await each.close();
    await runner.close();
    await done();
    await rm(folder, { recursive: true, force: true });
  });

  it('given an identity sealed for a complaint, then it opens again, and nothing of it is readable in the sealed value', async () => {
    const complaintId = randomUUID();
    const sealed = await vault.seal(complaintId, IDENTITY);
    expect(await vault.open(complaintId, sealed)).toEqual(IDENTITY);
    const bytes = Buffer.from(sealed.sealed, 'base64');
    const [stored] = await runner.query<{ wrapped_key: string }>('SELECT wrapped_key FROM personal_data.data_keys WHERE complaint_id = $1', [complaintId]);
    for (const value of ['Maria', 'Goreti', '+6281234567890', '81234567890', '5371012345678901', 'maria@example.id']) {
      expect(JSON.stringify(sealed)).not.toContain(value);
      expect(bytes.toString('latin1')).not.toContain(value);
      expect(bytes.toString('utf8')).not.toContain(value);
      expect(JSON.stringify(stored)).not.toContain(value);
    }
    expect(sealed.keyId).toBe(master.id);
  });

  it('given a sealed value moved to another complaint, or tampered with, then it does not open', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const sealed = await vault.seal(a, IDENTITY);
    await vault.seal(b, { name: 'Someone else' });
    await expect(vault.open(b, sealed)).rejects.toThrow(SealError);
    const bytes = Buffer.from(sealed.sealed, 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0x01, bytes.length - 1);
    await expect(vault.open(a, { ...sealed, sealed: bytes.toString('base64') })).rejects.toThrow(SealError);
  });

  it('given the data erased, then the identity never opens again, a second erasure is a no-op, and nothing new is sealed', async () => {
    const complaintId = randomUUID();
    const sealed = await vault.seal(complaintId, IDENTITY);
    expect(await vault.erase(complaintId, 'admin-nasional')).toEqual({ erased: true });
    expect(await vault.open(complaintId, sealed)).toBeNull();
    expect(await vault.isErased(complaintId)).toBe(true);
    expect(await vault.erase(complaintId, 'admin-nasional')).toEqual({ erased: false });
    await expect(vault.seal(complaintId, IDENTITY)).rejects.toThrow(SealError);
    // the data key is gone: with the master key alone the sealed value stays shut, in this vault and a new one
    expect(await runner.query('SELECT 1 FROM personal_data.data_keys WHERE complaint_id = $1', [complaintId])).toHaveLength(0);
    expect(() => decrypt(master.key, Buffer.from(sealed.sealed, 'base64'), complaintId)).toThrow(SealError);
    expect(await (await openVault()).open(complaintId, sealed)).toBeNull();
  });

  it('given an erasure, then the log says who, when and under which epoch, and holds no personal data', async () => {
    const complaintId = randomUUID();
    await vault.seal(complaintId, IDENTITY);
    await vault.erase(complaintId, 'admin-nasional-1');
    expect(await vault.erase(complaintId, 'someone-else')).toEqual({ erased: false });
    const rows = await runner.query<Record<string, unknown>>('SELECT * FROM personal_data.erasures WHERE complaint_id = $1', [complaintId]);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['complaint_id', 'epoch_id', 'erased_at', 'erased_by']);
    expect(rows[0]).toMatchObject({ complaint_id: complaintId, erased_by: 'admin-nasional-1' });
    expect(rows[0]?.erased_at).toBeInstanceOf(Date);
    expect(await vault.isErased(randomUUID())).toBe(false);
  });

  it('given the vault opened again on the same database, then the migration is a no-op and sealed values still open', async () => {
    const complaintId = randomUUID();
    const sealed = await vault.seal(complaintId, IDENTITY);
    const [again] = await Promise.all([openVault(), openVault()]);
    expect(await again.open(complaintId, sealed)).toEqual(IDENTITY);
  });

  it('given another master key, then a stored data key does not open with it', async () => {
    const complaintId = randomUUID();
    const sealed = await vault.seal(complaintId, IDENTITY);
    const other = await openVault({ master: masterKey(randomBytes(32)) });
    await expect(other.open(complaintId, sealed)).rejects.toThrow(SealError);
    await expect(other.open(complaintId, sealed)).rejects.toThrow(
      `wrong master key: the data key of complaint ${complaintId} is wrapped by master key ${master.id}`,
    );
  });

  it('given two seals for one complaint at once, then one data key serves both', async () => {
    const complaintId = randomUUID();
    const names = Array.from({ length: 8 }, (_, index) => `Pelapor ${index}`);
    const [first, second, ...others] = await Promise.all([
      vault.seal(complaintId, IDENTITY),
      vault.seal(complaintId, { name: 'Kedua' }),
      ...names.map((name) => vault.seal(complaintId, { name })),
    ]);
    expect(await runner.query('SELECT 1 FROM personal_data.data_keys WHERE complaint_id = $1', [complaintId])).toHaveLength(1);
    expect(await vault.open(complaintId, first!)).toEqual(IDENTITY);
    expect(await vault.open(complaintId, second!)).toEqual({ name: 'Kedua' });
    expect(await Promise.all(others.map((sealed) => vault.open(complaintId, sealed)))).toEqual(names.map((name) => ({ name })));
  });
  it('given a key captured from the disk before its erasure, when erased and shredded, then nothing on disk opens it, while every other identity still opens', async () => {
    const [erased, kept] = [randomUUID(), randomUUID()];
    const sealed = await vault.seal(erased, IDENTITY);
    const keptSealed = await vault.seal(kept, { name: 'Yohanes' });
    // what a dead tuple, the WAL or a backup keeps of the row
    const captured = await keyRow(erased);
    expect(captured?.epoch_id).toEqual(expect.any(String));
    expect(await epochKeysOnDisk()).toHaveLength(1);
    // before the shred, the captured bytes do open: this is what the issue found
    const [before] = await epochKeysOnDisk();
    expect(() => decrypt(before!, Buffer.from(captured!.wrapped_key, 'base64'), erased)).not.toThrow();

    expect(await vault.erase(erased, 'admin-nasional')).toEqual({ erased: true });
    expect(await vault.shred()).toEqual({ shredded: true });

    const wrapped = Buffer.from(captured!.wrapped_key, 'base64');
    expect(await readdir(keyDir)).not.toContain(`epoch-${captured!.epoch_id}`);
    const now = await epochKeysOnDisk();
    expect(now).toHaveLength(1);
    for (const key of [...now, master.key]) expect(() => decrypt(key, wrapped, erased)).toThrow(SealError);
    expect(await vault.open(erased, sealed)).toBeNull();
    expect(await vault.isErased(erased)).toBe(true);
    // the others were re-wrapped: they open here and in a vault that starts from the disk alone
    expect((await keyRow(kept))?.epoch_id).not.toBe(captured!.epoch_id);
    expect(await vault.open(kept, keptSealed)).toEqual({ name: 'Yohanes' });
    expect(await (await openVault()).open(kept, keptSealed)).toEqual({ name: 'Yohanes' });
    expect(await vault.shred()).toEqual({ shredded: false }); // nothing pending: no new epoch
  });

  it('given an erasure and no call to shred, then it is shredded within the bound on its own', async () => {
    const quick = await openVault({ shredWithinMs: 50 });
    const complaintId = randomUUID();
    await quick.seal(complaintId, IDENTITY);
    const captured = await keyRow(complaintId);
    await quick.erase(complaintId, 'admin-nasional');
    for (let waited = 0; (await readdir(keyDir)).includes(`epoch-${captured!.epoch_id}`); waited += 50) {
      if (waited > 10_000) throw new Error('not shredded within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const key of await epochKeysOnDisk()) expect(() => decrypt(key, Buffer.from(captured!.wrapped_key, 'base64'), complaintId)).toThrow(SealError);
  });

  it('given a process that stopped after an erasure and before its shred, then the next vault opened shreds it; a graceful close shreds too', async () => {
    const stopped = await openVault();
    const [first, second] = [randomUUID(), randomUUID()];
    await stopped.seal(first, IDENTITY);
    const captured = await keyRow(first);
    await stopped.erase(first, 'admin-nasional');
    await openVault();
    expect(await readdir(keyDir)).not.toContain(`epoch-${captured!.epoch_id}`);

    const closing = await PersonalDataVault.open(runner, master, { keys, shredWithinMs: 600_000 });
    await closing.seal(second, IDENTITY);
    const capturedSecond = await keyRow(second);
    await closing.erase(second, 'admin-nasional');
    await closing.close();
    expect(await readdir(keyDir)).not.toContain(`epoch-${capturedSecond!.epoch_id}`);
  });

  it('given data keys from before epochs (wrapped by the master key itself), when the vault opens, then they move under the epoch and still open', async () => {
    const complaintId = randomUUID();
    const dataKey = randomBytes(32);
    const legacy = encrypt(master.key, dataKey, complaintId).toString('base64');
    await runner.query('INSERT INTO personal_data.data_keys (complaint_id, wrapped_key, master_key_id) VALUES ($1, $2, $3)', [complaintId, legacy, master.id]);
    const sealed = { sealed: encrypt(dataKey, Buffer.from(JSON.stringify(IDENTITY), 'utf8'), complaintId).toString('base64'), keyId: master.id };
    await openVault();
    const moved = await keyRow(complaintId);
    expect(moved?.epoch_id).toEqual(expect.any(String));
    expect(moved?.wrapped_key).not.toBe(legacy);
    expect(await vault.open(complaintId, sealed)).toEqual(IDENTITY);
  });

  it('given seals, opens and erasures while another vault shreds, then every live identity opens and every erased one is gone', async () => {
    const other = await openVault();
    const ids = Array.from({ length: 12 }, () => randomUUID());
    const sealed = await Promise.all(ids.map((id) => vault.seal(id, { name: `Pelapor ${id.slice(0, 4)}` })));
    const more = Array.from({ length: 6 }, () => randomUUID());
    await Promise.all([
      ...ids.slice(0, 4).map((id) => vault.erase(id, 'admin-nasional')),
      other.shred(),
      ...more.map((id) => other.seal(id, IDENTITY)),
      ...ids.slice(4).map((id, index) => vault.open(id, sealed[index + 4]!)),
      other.shred(),
    ]);
    await vault.shred();
    const opened = await Promise.all(ids.map((id, index) => vault.open(id, sealed[index]!)));
    expect(opened.slice(0, 4)).toEqual([null, null, null, null]);
    expect(opened.slice(4)).toEqual(ids.slice(4).map((id) => ({ name: `Pelapor ${id.slice(0, 4)}` })));
    expect(await runner.query('SELECT 1 FROM personal_data.epochs WHERE retired_at IS NULL')).toHaveLength(1); // the current one; every superseded one retired
    expect(await epochKeysOnDisk()).toHaveLength(1);
  });
  it('given a shred that stopped half-way through its re-wrapping, then every identity still opens, new seals use the new epoch, and the next shred finishes and destroys the old key', async () => {
    let chunksLeft = 1; // the second chunk's transaction dies, as a killed process would
    const dying: SqlRunner = {
      query: (sql, params) => runner.query(sql, params),
      exec: (sql) => runner.exec(sql),
      listen: (channel, onNotify) => runner.listen(channel, onNotify),
      notify: (channel, payload) => runner.notify(channel, payload),
      close: async () => undefined,
      transaction: (fn) =>
        runner.transaction((tx) =>
          fn({
            exec: (sql) => tx.exec(sql),
            query: async (sql, params) => {
              if (sql.includes('unnest') && chunksLeft-- <= 0) throw new Error('killed mid-shred');
              return tx.query(sql, params);
            },
          }),
        ),
    };
    const stopping = await PersonalDataVault.open(dying, master, { keys, shredWithinMs: 600_000, rewrapChunk: 2 });
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const sealed = await Promise.all(ids.map((id) => stopping.seal(id, { name: `Pelapor ${id.slice(0, 4)}` })));
    const old = (await keyRow(ids[0]!))!.epoch_id!;
    await stopping.erase(ids[0]!, 'admin-nasional');
    await expect(stopping.shred()).rejects.toThrow('killed mid-shred');
    // half-way: some keys under each epoch, both keys still there, seals under the new one
    expect(await readdir(keyDir)).toContain(`epoch-${old}`);
    const fresh = randomUUID();
    const freshSealed = await vault.seal(fresh, IDENTITY);
    expect((await keyRow(fresh))?.epoch_id).not.toBe(old);
    expect(await Promise.all(ids.slice(1).map((id, index) => vault.open(id, sealed[index + 1]!)))).toEqual(
      ids.slice(1).map((id) => ({ name: `Pelapor ${id.slice(0, 4)}` })),
    );

    expect(await vault.shred()).toEqual({ shredded: true });
    expect(await readdir(keyDir)).not.toContain(`epoch-${old}`);
    expect(await runner.query('SELECT 1 FROM personal_data.data_keys WHERE epoch_id = $1', [old])).toHaveLength(0);
    expect(await vault.open(fresh, freshSealed)).toEqual(IDENTITY);
    expect(await vault.open(ids[1]!, sealed[1]!)).toEqual({ name: `Pelapor ${ids[1]!.slice(0, 4)}` });
    await stopping.close();
  });
});
