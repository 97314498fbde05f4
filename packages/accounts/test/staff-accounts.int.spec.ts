import { createPGliteEventStore, type EventStore } from '@lapor/event-store';
import { legacyScryptHash, StaffAccounts, STAFF_ACCOUNTS_STREAM, staffSessionsStream, type StaffAccount } from '../src';

const PASSWORD = 'kata-sandi-yang-panjang';
const NTT_ADMIN = { id: 'first-start', role: 'admin_nasional', nodeId: 'nasional' } as const;
const NODES = {
  facts: (nodeId: string) => (nodeId.startsWith('ntt-') ? { path: ['nasional', 'pemprov-ntt', nodeId], kind: 'unit' as const, active: true } : undefined),
};
const session = (account: StaffAccount, sid = 'session-1') => ({ sub: account.accountId, sid, gen: account.generation });

// Two StaffAccounts over one store stand for two processes (a gateway, a service) over the same database.
describe('staff accounts shared by several processes', () => {
  let store: EventStore;
  let a: StaffAccounts;
  let b: StaffAccounts;
  beforeAll(async () => {
    store = await createPGliteEventStore();
    ({ accounts: a } = await StaffAccounts.open(store, [{ username: 'admin-ntt', role: 'admin_instansi', nodeId: 'pemprov-ntt', password: PASSWORD }]));
    ({ accounts: b } = await StaffAccounts.open(store, []));
  });
  afterAll(() => store.close());

  it('given an account created in process A, when B is asked for its session at once, then B finds it', async () => {
    const created = await a.create({ username: 'penghubung-baru', role: 'liaison', nodeId: 'ntt-dinas-baru', password: PASSWORD });
    expect(await b.session(session(created))).toMatchObject({ username: 'penghubung-baru', role: 'liaison', nodeId: 'ntt-dinas-baru' });
  });

  it('given an account B already knows, when B checks its session, then one read of the store answers (the account stream is read again only when it moved)', async () => {
    const account = await a.create({ username: 'penghubung-sering', role: 'liaison', nodeId: 'ntt-dinas-sering', password: PASSWORD });
    expect(await b.session(session(account))).toBeDefined();
    const reads: string[] = [];
    const counted = new Proxy(store, {
      get: (target, name: keyof EventStore) =>
        typeof target[name] === 'function' && String(name).startsWith('read')
          ? (...args: unknown[]) => {
              reads.push(String(name));
              return (target[name] as (...a: unknown[]) => unknown)(...args);
            }
          : target[name],
    });
    const { accounts: c } = await StaffAccounts.open(counted, []);
    await c.session(session(account));
    reads.length = 0;
    expect(await c.session(session(account))).toBeDefined();
    expect(reads).toEqual(['readLatest']);
    await a.execute({
      type: 'DeactivateStaffAccount',
      data: { accountId: account.accountId },
      metadata: { now: new Date().toISOString(), actor: NTT_ADMIN, nodes: NODES },
    });
    reads.length = 0;
    expect(await c.session(session(account))).toBeUndefined();
    expect(reads).toEqual(['readLatest', 'readStream']);
  });

  it('given a username already taken, when it is created again, then it is refused', async () => {
    await expect(a.create({ username: 'admin-ntt', role: 'liaison', nodeId: 'ntt-x', password: PASSWORD })).rejects.toMatchObject({ code: 'USERNAME_TAKEN' });
  });

  it('given an active account known to B, when A deactivates it, then B refuses its session and its sign-in on the very next call', async () => {
    const account = await a.create({ username: 'penghubung-pindah', role: 'liaison', nodeId: 'ntt-dinas-lama', password: PASSWORD });
    expect(await b.session(session(account))).toBeDefined();
    expect(await b.authenticate('penghubung-pindah', PASSWORD)).toBeDefined();

    await a.execute({
      type: 'DeactivateStaffAccount',
      data: { accountId: account.accountId },
      metadata: { now: new Date().toISOString(), actor: NTT_ADMIN, nodes: NODES },
    });

    expect(await b.session(session(account))).toBeUndefined();
    expect(await b.authenticate('penghubung-pindah', PASSWORD)).toBeUndefined();
    expect(b.list().find((listed) => listed.accountId === account.accountId)).toMatchObject({ active: false });
  });

  it('given a session signed out in A, then B refuses that session and keeps the account’s others', async () => {
    const account = await a.create({ username: 'penghubung-keluar', role: 'liaison', nodeId: 'ntt-dinas-keluar', password: PASSWORD });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await a.signOut({ accountId: account.accountId, sessionId: 'laptop', until }, new Date().toISOString());
    expect(await b.session(session(account, 'laptop'))).toBeUndefined();
    expect(await b.session(session(account, 'phone'))).toBeDefined();
  });

  it('given sign-outs, then the account stream does not grow, and each sign-out’s event lists only the sessions whose tokens are still alive', async () => {
    const account = await a.create({ username: 'penghubung-sering-keluar', role: 'liaison', nodeId: 'ntt-dinas-keluar', password: PASSWORD });
    const accountEvents = (await store.readStream(STAFF_ACCOUNTS_STREAM)).length;
    // an old session whose token has expired by the time of the next sign-out, then two alive at once (B and A, concurrently)
    await a.signOut({ accountId: account.accountId, sessionId: 'lama', until: '2026-01-01T01:00:00.000Z' }, '2026-01-01T00:00:00.000Z');
    await Promise.all([
      a.signOut({ accountId: account.accountId, sessionId: 'laptop', until: '2026-01-02T01:00:00.000Z' }, '2026-01-02T00:00:00.000Z'),
      b.signOut({ accountId: account.accountId, sessionId: 'phone', until: '2026-01-02T01:00:00.000Z' }, '2026-01-02T00:00:00.000Z'),
    ]);
    expect((await store.readStream(STAFF_ACCOUNTS_STREAM)).length).toBe(accountEvents);
    const [latest] = await store.readLatest([staffSessionsStream(account.accountId)]);
    expect(Object.keys((latest!.data as { ended: Record<string, string> }).ended).sort()).toEqual(['laptop', 'phone']);
    expect(await b.session(session(account, 'laptop'))).toBeUndefined();
    expect(await a.session(session(account, 'phone'))).toBeUndefined();
  });

  it('given a sign-out an earlier version wrote into the account stream, then that session stays ended', async () => {
    const account = await a.create({ username: 'penghubung-versi-lama', role: 'liaison', nodeId: 'ntt-dinas-keluar', password: PASSWORD });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await store.appendToStream(STAFF_ACCOUNTS_STREAM, [
      { id: crypto.randomUUID(), type: 'StaffSignedOut', data: { accountId: account.accountId, sessionId: 'lama', until, at: new Date().toISOString() } },
    ]);
    expect(await b.session(session(account, 'lama'))).toBeUndefined();
    expect(await b.session(session(account, 'baru'))).toBeDefined();
  });

  it('given a password stored as scrypt by the first version, when its holder signs in, then it is accepted and stored again as argon2id', async () => {
    const legacy = await StaffAccounts.open(await createPGliteEventStore(), []);
    const oldStore = (legacy.accounts as unknown as { store: EventStore }).store;
    await oldStore.appendToStream(STAFF_ACCOUNTS_STREAM, [
      {
        id: crypto.randomUUID(),
        type: 'StaffAccountCreated',
        data: { accountId: 'old-1', username: 'lama', role: 'liaison', nodeId: 'ntt-x', passwordHash: await legacyScryptHash(PASSWORD) },
      },
    ]);
    expect(await legacy.accounts.authenticate('lama', PASSWORD)).toMatchObject({ accountId: 'old-1' });
    const events = await oldStore.readStream(STAFF_ACCOUNTS_STREAM);
    expect(events.at(-1)).toMatchObject({
      type: 'StaffPasswordChanged',
      data: { via: 'rehash', passwordHash: expect.stringMatching(/^argon2id\$v=19\$m=19456,t=2,p=1\$/) },
    });
    expect(await legacy.accounts.authenticate('lama', PASSWORD)).toBeDefined();
    expect(await legacy.accounts.authenticate('lama', 'salah-kata-sandi')).toBeUndefined();
    await oldStore.close();
  });

  it('given an id that is no account, then there is no session for it', async () => {
    expect(await b.session({ sub: 'no-such-account', sid: 's', gen: 0 })).toBeUndefined();
  });
});
