import { PGlite } from '@electric-sql/pglite';
import { createPGliteRunner, createPgRunner, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { masterKey, PersonalDataVault, SealError, type ReporterIdentity } from '../src';
import { decrypt } from '../src/envelope';

const IDENTITY: ReporterIdentity = { name: 'Maria Goreti Bunga', phone: '+6281234567890', nik: '5371012345678901', email: 'maria@example.id' };

describe.each([
  [
    'PGlite',
    async () => {
      const pglite = await PGlite.create();
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
  const master = masterKey(randomBytes(32));

  beforeAll(async () => {
    ({ runner, done } = await open());
    vault = await PersonalDataVault.open(runner, master);
  });
  afterAll(async () => {
    await runner.close();
    await done();
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
    expect(await (await PersonalDataVault.open(runner, master)).open(complaintId, sealed)).toBeNull();
  });

  it('given an erasure, then the log says who and when, and holds no personal data', async () => {
    const complaintId = randomUUID();
    await vault.seal(complaintId, IDENTITY);
    await vault.erase(complaintId, 'admin-nasional-1');
    expect(await vault.erase(complaintId, 'someone-else')).toEqual({ erased: false });
    const rows = await runner.query<Record<string, unknown>>('SELECT * FROM personal_data.erasures WHERE complaint_id = $1', [complaintId]);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['complaint_id', 'erased_at', 'erased_by']);
    expect(rows[0]).toMatchObject({ complaint_id: complaintId, erased_by: 'admin-nasional-1' });
    expect(rows[0]?.erased_at).toBeInstanceOf(Date);
    expect(await vault.isErased(randomUUID())).toBe(false);
  });

  it('given the vault opened again on the same database, then the migration is a no-op and sealed values still open', async () => {
    const complaintId = randomUUID();
    const sealed = await vault.seal(complaintId, IDENTITY);
    const [again] = await Promise.all([PersonalDataVault.open(runner, master), PersonalDataVault.open(runner, master)]);
    expect(await again.open(complaintId, sealed)).toEqual(IDENTITY);
  });

  it('given another master key, then a stored data key does not open with it', async () => {
    const complaintId = randomUUID();
    const sealed = await vault.seal(complaintId, IDENTITY);
    const other = await PersonalDataVault.open(runner, masterKey(randomBytes(32)));
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
});
