import { createPGliteEventStore, type EventStore } from '@lapor/event-store';
import { ACCOUNT_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS, StaffAccounts } from '../src';

const PASSWORD = 'kata-sandi-yang-panjang';

// Two StaffAccounts over one store stand for two processes (a gateway, a service) over the same database.
describe('staff accounts shared by several processes', () => {
  let store: EventStore;
  let clock: number;
  const now = () => clock;
  let a: StaffAccounts;
  let b: StaffAccounts;
  beforeAll(async () => {
    store = await createPGliteEventStore();
    clock = 1_000_000;
    ({ accounts: a } = await StaffAccounts.open(store, [{ username: 'admin-ntt', role: 'admin_instansi', nodeId: 'pemprov-ntt', password: PASSWORD }], {
      now,
    }));
    ({ accounts: b } = await StaffAccounts.open(store, [], { now }));
  });
  afterAll(() => store.close());

  it('given an account created in process A, when B is asked for it by id at once, then B finds it', async () => {
    const created = await a.create({ username: 'penghubung-baru', role: 'liaison', nodeId: 'ntt-dinas-baru', password: PASSWORD });
    expect(await b.activeAccount(created.accountId)).toMatchObject({ username: 'penghubung-baru', role: 'liaison', nodeId: 'ntt-dinas-baru' });
  });

  it('given a username already taken, when it is created again, then it is refused', async () => {
    await expect(a.create({ username: 'admin-ntt', role: 'liaison', nodeId: 'x', password: PASSWORD })).rejects.toThrow(RangeError);
  });

  it('given an active account known to B, when A deactivates it, then B refuses its tokens and its sign-in within the stated bound, and A at once', async () => {
    const account = await a.create({ username: 'penghubung-pindah', role: 'liaison', nodeId: 'ntt-dinas-lama', password: PASSWORD });
    clock += ACCOUNT_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS;
    expect(await b.activeAccount(account.accountId)).toBeDefined();
    expect(await b.authenticate('penghubung-pindah', PASSWORD)).toBeDefined();

    expect(await a.deactivate(account.accountId, 'admin-ntt', '2026-12-04T03:00:00Z')).toBe(true);
    expect(await a.activeAccount(account.accountId)).toBeUndefined();
    expect(await a.authenticate('penghubung-pindah', PASSWORD)).toBeUndefined();

    clock += ACCOUNT_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS;
    expect(await b.activeAccount(account.accountId)).toBeUndefined();
    expect(await b.authenticate('penghubung-pindah', PASSWORD)).toBeUndefined();
    expect(b.list().find((listed) => listed.accountId === account.accountId)).toMatchObject({ active: false });
  });

  it('given an id that is no account, then there is none, and deactivating it changes nothing', async () => {
    expect(await b.activeAccount('no-such-account')).toBeUndefined();
    expect(await a.deactivate('no-such-account', 'admin-ntt', '2026-12-04T03:00:00Z')).toBe(false);
  });
});
