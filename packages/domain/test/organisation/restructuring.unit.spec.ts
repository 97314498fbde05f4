import { DeciderSpecification } from '@lapor/testing';
import { buildOrganisationTree, foldOrganisation, initialOrganisationState, organisationDecider } from '../../src';
import type { Actor, OrganisationCommand, OrganisationEvent, OrganisationNode } from '../../src';

// Merging and splitting units by decree: the events a restructuring leaves in the organisation
// stream, and the successor the tree then names for each unit that went away.

const spec = DeciderSpecification.for(organisationDecider);
const NOW = '2025-07-01T02:00:00.000Z';
const DECREE = '2025-06-02T00:00:00.000+08:00';

const ntt: Actor = { role: 'admin_instansi', id: 'admin-ntt-1', nodeId: 'pemprov-ntt' };
const batam: Actor = { role: 'admin_instansi', id: 'admin-batam-1', nodeId: 'pemkot-batam' };
const liaison: Actor = { role: 'liaison', id: 'pp-pupr-1', nodeId: 'ntt-pupr' };

const seeded = (node: OrganisationNode): OrganisationEvent => ({ type: 'OrganisationNodeRegistered', schemaVersion: 1, data: node });
const SEED: OrganisationEvent[] = [
  seeded({ kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null }),
  seeded({ kind: 'instansi', id: 'pemprov-ntt', name: 'Pemerintah Provinsi NTT', parentId: 'nasional', timeZone: 'Asia/Makassar' }),
  seeded({ kind: 'unit', id: 'ntt-kominfo', name: 'Dinas Komunikasi dan Informatika', parentId: 'pemprov-ntt' }),
  seeded({ kind: 'unit', id: 'ntt-persandian', name: 'Dinas Persandian dan Statistik', parentId: 'pemprov-ntt' }),
  seeded({ kind: 'subunit', id: 'ntt-persandian-stat', name: 'Bidang Statistik', parentId: 'ntt-persandian' }),
  seeded({ kind: 'unit', id: 'ntt-pupr', name: 'Dinas PUPR', parentId: 'pemprov-ntt' }),
  seeded({ kind: 'instansi', id: 'pemkot-batam', name: 'Pemerintah Kota Batam', parentId: 'nasional', timeZone: 'Asia/Jakarta' }),
  seeded({ kind: 'unit', id: 'batam-diskominfo', name: 'Diskominfo Kota Batam', parentId: 'pemkot-batam' }),
];

const stamp = (by: Actor) => ({ effectiveAt: DECREE, at: NOW, by });
const merge = (actor: Actor, nodeIds: string[], successorId: string, successorName: string | null = null): OrganisationCommand => ({
  type: 'MergeUnits',
  data: { nodeIds, successorId, successorName, effectiveAt: DECREE },
  metadata: { now: NOW, actor },
});
const split = (actor: Actor, nodeId: string, into: string[], heirId: string): OrganisationCommand => ({
  type: 'SplitUnit',
  data: { nodeId, into: into.map((id) => ({ nodeId: id, name: `Dinas ${id}` })), heirId, effectiveAt: DECREE },
  metadata: { now: NOW, actor },
});

describe('merging units', () => {
  it('into a new unit: the successor is added beside them, their sub-units move under it, and they become inactive with it as successor', () => {
    const events: OrganisationEvent[] = [
      {
        type: 'UnitAdded',
        schemaVersion: 1,
        data: { nodeId: 'ntt-diskominfo', kind: 'unit', name: 'Dinas Kominfo, Statistik dan Persandian', parentId: 'pemprov-ntt', ...stamp(ntt) },
      },
      {
        type: 'NodeMoved',
        schemaVersion: 1,
        data: { nodeId: 'ntt-persandian-stat', parentId: 'ntt-diskominfo', previousParentId: 'ntt-persandian', kind: 'subunit', ...stamp(ntt) },
      },
      { type: 'UnitsMerged', schemaVersion: 1, data: { nodeIds: ['ntt-kominfo', 'ntt-persandian'], successorId: 'ntt-diskominfo', ...stamp(ntt) } },
    ];
    spec
      .given(SEED)
      .when(merge(ntt, ['ntt-kominfo', 'ntt-persandian'], 'ntt-diskominfo', 'Dinas Kominfo, Statistik dan Persandian'))
      .then(events);

    const after = foldOrganisation(initialOrganisationState(), [...SEED, ...events]);
    expect(after.nodes.get('ntt-kominfo')).toMatchObject({ active: false, successor: { nodeId: 'ntt-diskominfo', reason: 'MERGE' } });
    expect(after.nodes.get('ntt-persandian')).toMatchObject({ active: false, successor: { nodeId: 'ntt-diskominfo', reason: 'MERGE' } });
    expect(after.nodes.get('ntt-persandian-stat')).toMatchObject({ active: true, node: { parentId: 'ntt-diskominfo' } });
  });

  it('into an existing unit: it absorbs the others', () => {
    spec
      .given(SEED)
      .when(merge(ntt, ['ntt-persandian'], 'ntt-kominfo'))
      .then([
        {
          type: 'NodeMoved',
          schemaVersion: 1,
          data: { nodeId: 'ntt-persandian-stat', parentId: 'ntt-kominfo', previousParentId: 'ntt-persandian', kind: 'subunit', ...stamp(ntt) },
        },
        { type: 'UnitsMerged', schemaVersion: 1, data: { nodeIds: ['ntt-persandian'], successorId: 'ntt-kominfo', ...stamp(ntt) } },
      ]);
  });

  it('names each unit once, a successor outside them, in the same instansi, within the admin’s scope', () => {
    spec
      .given(SEED)
      .when(merge(ntt, ['ntt-kominfo', 'ntt-kominfo'], 'ntt-baru', 'Baru'))
      .thenThrows('INVALID_RESTRUCTURING');
    spec
      .given(SEED)
      .when(merge(ntt, ['ntt-kominfo', 'ntt-pupr'], 'ntt-pupr'))
      .thenThrows('INVALID_RESTRUCTURING');
    spec
      .given(SEED)
      .when(merge(ntt, ['ntt-kominfo'], 'ntt-baru', 'Baru'))
      .thenThrows('INVALID_RESTRUCTURING');
    spec
      .given(SEED)
      .when(merge(ntt, ['ntt-kominfo'], 'batam-diskominfo'))
      .thenThrows('NODE_NOT_FOUND');
    spec
      .given(SEED)
      .when(merge(batam, ['ntt-kominfo'], 'batam-diskominfo'))
      .thenThrows('NODE_NOT_FOUND');
    spec
      .given(SEED)
      .when(merge(liaison, ['ntt-kominfo'], 'ntt-pupr'))
      .thenThrows('ROLE_NOT_ALLOWED');
    spec
      .given(SEED)
      .when(merge(ntt, ['ntt-persandian'], 'ntt-persandian-stat'))
      .thenThrows('INVALID_RESTRUCTURING');
    spec
      .given(SEED)
      .when(merge(ntt, ['ntt-kominfo', 'ntt-persandian'], 'ntt-pupr', 'Dinas PUPR'))
      .thenThrows('NODE_ID_TAKEN');
  });

  it('refuses a unit already merged away', () => {
    const merged: OrganisationEvent = { type: 'UnitsMerged', schemaVersion: 1, data: { nodeIds: ['ntt-pupr'], successorId: 'ntt-kominfo', ...stamp(ntt) } };
    spec
      .given([...SEED, merged])
      .when(merge(ntt, ['ntt-pupr'], 'ntt-persandian'))
      .thenThrows('NODE_INACTIVE');
    spec
      .given([...SEED, merged])
      .when(merge(ntt, ['ntt-persandian'], 'ntt-pupr'))
      .thenThrows('NODE_INACTIVE');
  });
});

describe('splitting a unit', () => {
  it('adds the new units beside it, hands its sub-units to the heir, and names the heir its successor', () => {
    const added = (nodeId: string): OrganisationEvent => ({
      type: 'UnitAdded',
      schemaVersion: 1,
      data: { nodeId, kind: 'unit', name: `Dinas ${nodeId}`, parentId: 'pemprov-ntt', ...stamp(ntt) },
    });
    const events: OrganisationEvent[] = [
      added('ntt-persandian-baru'),
      added('ntt-statistik'),
      {
        type: 'NodeMoved',
        schemaVersion: 1,
        data: { nodeId: 'ntt-persandian-stat', parentId: 'ntt-statistik', previousParentId: 'ntt-persandian', kind: 'subunit', ...stamp(ntt) },
      },
      {
        type: 'UnitSplit',
        schemaVersion: 1,
        data: { nodeId: 'ntt-persandian', successorIds: ['ntt-persandian-baru', 'ntt-statistik'], heirId: 'ntt-statistik', ...stamp(ntt) },
      },
    ];
    spec
      .given(SEED)
      .when(split(ntt, 'ntt-persandian', ['ntt-persandian-baru', 'ntt-statistik'], 'ntt-statistik'))
      .then(events);
    const state = foldOrganisation(initialOrganisationState(), [...SEED, ...events]);
    expect(state.nodes.get('ntt-persandian')).toMatchObject({ active: false, successor: { nodeId: 'ntt-statistik', reason: 'SPLIT' } });
  });

  it('needs an heir among the new units, ids not taken, within scope', () => {
    spec
      .given(SEED)
      .when(split(ntt, 'ntt-persandian', ['ntt-a', 'ntt-b'], 'ntt-pupr'))
      .thenThrows('INVALID_RESTRUCTURING');
    spec
      .given(SEED)
      .when(split(ntt, 'ntt-persandian', ['ntt-a', 'ntt-pupr'], 'ntt-a'))
      .thenThrows('NODE_ID_TAKEN');
    spec
      .given(SEED)
      .when(split(ntt, 'pemprov-ntt', ['ntt-a', 'ntt-b'], 'ntt-a'))
      .thenThrows('OUTSIDE_SCOPE');
    spec
      .given(SEED)
      .when(split(batam, 'ntt-persandian', ['ntt-a', 'ntt-b'], 'ntt-a'))
      .thenThrows('NODE_NOT_FOUND');
  });
});

describe('the tree after restructurings', () => {
  it('names the last successor of a unit merged and then merged again, and none for a unit still active', () => {
    const events: OrganisationEvent[] = [
      ...SEED,
      { type: 'UnitsMerged', schemaVersion: 1, data: { nodeIds: ['ntt-persandian-stat'], successorId: 'ntt-persandian', ...stamp(ntt) } },
      { type: 'UnitsMerged', schemaVersion: 1, data: { nodeIds: ['ntt-persandian'], successorId: 'ntt-kominfo', ...stamp(ntt) } },
    ];
    const state = foldOrganisation(initialOrganisationState(), events);
    const successors = new Map([...state.nodes.values()].flatMap((entry) => (entry.successor ? [[entry.node.id, entry.successor.nodeId] as const] : [])));
    const tree = buildOrganisationTree(
      [...state.nodes.values()].map((entry) => entry.node),
      { successors },
    );
    expect(tree.successorOf('ntt-persandian-stat')).toBe('ntt-kominfo');
    expect(tree.successorOf('ntt-persandian')).toBe('ntt-kominfo');
    expect(tree.successorOf('ntt-pupr')).toBeNull();
  });
});
