import { PGlite } from '@electric-sql/pglite';
import { createPGliteRunner, createPgRunner, type SqlRunner } from '@lapor/event-store';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { masterKey, PersonalDataVault, SealError, type ReporterIdentity } from '../src';

const IDENTITY: ReporterIdentity = { name: 'Maria Goreti Bunga', phone: '+6281234567890', nik: '5371012345678901', email: 'maria@example.id' };

describe.each([
  ['PGlite', async () => {
    const pglite = await PGlite.create();
    return { runner: createPGliteRunner(pglite, { ownsDatabase: true }), done: async () => undefined };
  }],
  ['a PostgreSQL server', async () => {
    const database: TestDatabase = await createTestDatabase('vault');
    return { runner: createPgRunner(new Pool({ connectionString: database.url }), { ownsPool: true }), done: () => database.drop() };
  }],
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
    const bytes = Buffer.from(sealed.sealed, 'base64').toString('latin1');
    for (const value of ['Maria', '81234567890', '5371012345678901', 'maria@']) {
      expect(sealed.sealed).not.toContain(value);
      expect(bytes).not.toContain(value);
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
  });

  it('given another master key, then a stored data key does not open with it', async () => {
    const complaintId = randomUUID();
    const sealed = await vault.seal(complaintId, IDENTITY);
    const other = await PersonalDataVault.open(runner, masterKey(randomBytes(32)));
    await expect(other.open(complaintId, sealed)).rejects.toThrow(SealError);
  });

  it('given two seals for one complaint at once, then one data key serves both', async () => {
    const complaintId = randomUUID();
    const [first, second] = await Promise.all([vault.seal(complaintId, IDENTITY), vault.seal(complaintId, { name: 'Kedua' })]);
    expect(await vault.open(complaintId, first)).toEqual(IDENTITY);
    expect(await vault.open(complaintId, second)).toEqual({ name: 'Kedua' });
  });
});
