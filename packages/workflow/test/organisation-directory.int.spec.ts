import type { Actor, OrganisationCommand, OrganisationNode } from '@lapor/domain';
import { createPGliteEventStore, WrongExpectedVersionError, type EventStore } from '@lapor/event-store';
import { ComplaintRepository, ORGANISATION_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS, OrganisationDirectory } from '../src';

// Two processes on one store, each with its own directory and clock: what one administrator
// changes, the other sees within the bound, and at once when asked about an id it does not know.

const SEED: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null },
  { kind: 'instansi', id: 'pemprov-ntt', name: 'Pemerintah Provinsi NTT', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'ntt-pupr', name: 'Dinas PUPR', parentId: 'pemprov-ntt' },
];
const admin: Actor = { role: 'admin_instansi', id: 'admin-ntt', nodeId: 'pemprov-ntt' };
const meta = { now: '2025-07-01T02:00:00.000Z', actor: admin };
const addDinkes: OrganisationCommand = {
  type: 'AddUnit',
  data: { nodeId: 'ntt-dinkes', name: 'Dinas Kesehatan', parentId: 'pemprov-ntt', effectiveAt: null },
  metadata: meta,
};
const deactivatePupr: OrganisationCommand = { type: 'DeactivateNode', data: { nodeId: 'ntt-pupr', openComplaints: 0, effectiveAt: null }, metadata: meta };

describe('OrganisationDirectory, followed by every process', () => {
  let store: EventStore;
  let clock = 0;
  const now = () => clock;
  let here: OrganisationDirectory;
  let elsewhere: OrganisationDirectory;

  beforeEach(async () => {
    store = await createPGliteEventStore();
    clock = 0;
    ({ directory: here } = await OrganisationDirectory.open(store, SEED, { now }));
    ({ directory: elsewhere } = await OrganisationDirectory.open(store, [], { now }));
  });
  afterEach(() => store.close());

  it('reads the first start’s seed as the tree', () => {
    expect(elsewhere.tree.node('ntt-pupr')).toEqual(SEED[2]);
    expect(elsewhere.tree.isActive('ntt-pupr')).toBe(true);
    expect(elsewhere.loadedVersion).toBe(2n);
  });

  it('finds a unit created elsewhere at once when asked for it by id', async () => {
    await here.execute(addDinkes, { commandId: 'c-1' });
    expect(here.tree.has('ntt-dinkes')).toBe(true);
    expect((await elsewhere.fresh()).has('ntt-dinkes')).toBe(false);
    expect((await elsewhere.knowing(['ntt-dinkes'])).node('ntt-dinkes')).toMatchObject({ kind: 'unit', parentId: 'pemprov-ntt' });
  });

  it('sees any other change once its copy is older than the bound, or when asked for the tree as stored', async () => {
    await here.execute(deactivatePupr, { commandId: 'c-2' });
    expect((await elsewhere.fresh()).isActive('ntt-pupr')).toBe(true);
    clock += ORGANISATION_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS;
    expect((await elsewhere.fresh()).isActive('ntt-pupr')).toBe(false);

    await here.execute(addDinkes, { commandId: 'c-3' });
    expect((await elsewhere.latest()).has('ntt-dinkes')).toBe(true);
  });

  it('given a change made elsewhere, when a complaint is loaded alongside the directory, then the tree is as stored now, read in the same statement', async () => {
    await here.execute(deactivatePupr, { commandId: 'c-4' });
    const reads: string[] = [];
    const counted = new Proxy(store, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof property === 'string' && property.startsWith('read')) reads.push(property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

    const loaded = await new ComplaintRepository(counted).load('9d1f1e3a-4c5b-4d6e-8f70-8192a3b4c5d6', [elsewhere]);

    expect(loaded.version).toBeUndefined();
    expect(elsewhere.tree.isActive('ntt-pupr')).toBe(false);
    expect(reads).toEqual(['readStreams']);
    // and caught up as of that read: fresh() reads nothing more within the bound
    await elsewhere.fresh();
    expect(reads).toEqual(['readStreams']);
  });

  it('appends with the version the change was decided on: a stale If-Match is a conflict, nothing is written', async () => {
    const seen = here.loadedVersion;
    await elsewhere.execute(addDinkes, { commandId: 'c-4' });
    await expect(here.execute(deactivatePupr, { commandId: 'c-5', expectedVersion: seen })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect((await here.latest()).isActive('ntt-pupr')).toBe(true);
    const outcome = await here.execute(deactivatePupr, { commandId: 'c-6', expectedVersion: here.loadedVersion });
    expect(outcome.version).toBe(seen + 2n);
  });
});

describe('the tree as it stood at a moment', () => {
  it('holds the changes that had taken effect by then, whenever they were recorded', async () => {
    const store = await createPGliteEventStore();
    try {
      const { directory } = await OrganisationDirectory.open(store, SEED);
      // recorded in July 2025, effective from January
      const renamed: OrganisationCommand = {
        type: 'RenameNode',
        data: { nodeId: 'ntt-pupr', name: 'Dinas Pekerjaan Umum', effectiveAt: '2025-01-01T00:00:00.000+08:00' },
        metadata: meta,
      };
      const added: OrganisationCommand = { ...addDinkes, data: { ...addDinkes.data, effectiveAt: '2024-06-01T00:00:00.000+08:00' } };
      await directory.executeAll([renamed, added], { commandId: 'c-8' });

      const in2023 = directory.treeAt(new Date('2023-12-31T15:59:59.999Z'));
      expect(in2023.node('ntt-pupr').name).toBe(SEED[2]!.name);
      expect(in2023.has('ntt-dinkes')).toBe(false);
      const mid2024 = directory.treeAt(new Date('2024-07-01T00:00:00.000Z'));
      expect(mid2024.node('ntt-pupr').name).toBe(SEED[2]!.name);
      expect(mid2024.has('ntt-dinkes')).toBe(true);
      expect(directory.treeAt(new Date('2025-02-01T00:00:00.000Z')).node('ntt-pupr').name).toBe('Dinas Pekerjaan Umum');
    } finally {
      await store.close();
    }
  });
});

describe('a read side meeting a node it has not read yet', () => {
  it('fails that attempt, and its retry finds the node', async () => {
    const store = await createPGliteEventStore();
    try {
      const { directory: here } = await OrganisationDirectory.open(store, SEED);
      const { directory: elsewhere } = await OrganisationDirectory.open(store, [], { now: () => 0 });
      const named: string[] = [];
      const handler = elsewhere.followedBy({
        name: 'names',
        handle: async (nodeId: string) => {
          named.push(elsewhere.tree.node(nodeId).name);
        },
      });
      await here.execute(addDinkes, { commandId: 'c-7' });
      await expect(handler.handle('ntt-dinkes')).rejects.toThrow(/ntt-dinkes/);
      // the feed retries after a backoff (100 ms at first); the catch-up the failure started is done by then
      for (let turn = 0; turn < 200 && !elsewhere.tree.has('ntt-dinkes'); turn++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(elsewhere.tree.has('ntt-dinkes')).toBe(true);
      await handler.handle('ntt-dinkes');
      expect(named).toEqual(['Dinas Kesehatan']);
    } finally {
      await store.close();
    }
  });

  it('given a read side that writes a page at once, when the page names the node, then that attempt fails and its retry finds the node', async () => {
    const store = await createPGliteEventStore();
    try {
      const { directory: here } = await OrganisationDirectory.open(store, SEED);
      const { directory: elsewhere } = await OrganisationDirectory.open(store, [], { now: () => 0 });
      const named: string[] = [];
      const handler = elsewhere.followedBy({
        name: 'names',
        handle: async (nodeId: string) => void named.push(elsewhere.tree.node(nodeId).name),
        handlePage: async (nodeIds: readonly string[]) => void named.push(...nodeIds.map((nodeId) => elsewhere.tree.node(nodeId).name)),
      });
      await here.execute(addDinkes, { commandId: 'c-8' });
      await expect(handler.handlePage(['ntt-pupr', 'ntt-dinkes'])).rejects.toThrow(/ntt-dinkes/);
      for (let turn = 0; turn < 200 && !elsewhere.tree.has('ntt-dinkes'); turn++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(elsewhere.tree.has('ntt-dinkes')).toBe(true);
      await handler.handlePage(['ntt-dinkes']);
      expect(named).toEqual(['Dinas Kesehatan']);
    } finally {
      await store.close();
    }
  });
});
