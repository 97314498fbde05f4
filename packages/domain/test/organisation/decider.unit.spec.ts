import { DeciderSpecification } from '@lapor/testing';
import { foldOrganisation, initialOrganisationState, organisationDecider } from '../../src';
import type { Actor, OrganisationCommand, OrganisationEvent, OrganisationNode } from '../../src';

// The organisation tree's rules, given what the stream holds and an administrator's command.

const spec = DeciderSpecification.for(organisationDecider);
const NOW = '2025-07-01T02:00:00.000Z';
const EARLIER = '2025-06-20T00:00:00.000Z';

const actors = {
  nasional: { role: 'admin_nasional', id: 'admin-nas-1', nodeId: 'nasional' },
  ntt: { role: 'admin_instansi', id: 'admin-ntt-1', nodeId: 'pemprov-ntt' },
  batam: { role: 'admin_instansi', id: 'admin-batam-1', nodeId: 'pemkot-batam' },
  liaison: { role: 'liaison', id: 'pp-dikbud-1', nodeId: 'ntt-dikbud' },
  reporter: { role: 'reporter', id: 'akun-1', nodeId: null },
} as const satisfies Record<string, Actor>;

// As the first start seeds them: OrganisationNodeRegistered, with no actor.
const seeded = (node: OrganisationNode): OrganisationEvent => ({ type: 'OrganisationNodeRegistered', schemaVersion: 1, data: node });
const SEED: OrganisationEvent[] = [
  seeded({ kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null }),
  seeded({ kind: 'instansi', id: 'pemprov-ntt', name: 'Pemerintah Provinsi NTT', parentId: 'nasional', timeZone: 'Asia/Makassar' }),
  seeded({ kind: 'unit', id: 'ntt-dikbud', name: 'Dinas Pendidikan dan Kebudayaan', parentId: 'pemprov-ntt' }),
  seeded({ kind: 'subunit', id: 'ntt-dikbud-sma', name: 'Bidang Pembinaan SMA', parentId: 'ntt-dikbud' }),
  seeded({ kind: 'unit', id: 'ntt-pupr', name: 'Dinas PUPR', parentId: 'pemprov-ntt' }),
  seeded({ kind: 'instansi', id: 'pemkot-batam', name: 'Pemerintah Kota Batam', parentId: 'nasional', timeZone: 'Asia/Jakarta' }),
  seeded({ kind: 'unit', id: 'batam-diskominfo', name: 'Diskominfo Kota Batam', parentId: 'pemkot-batam' }),
];

const meta = (actor: Actor) => ({ now: NOW, actor });
const stamp = (actor: Actor, effectiveAt = NOW) => ({ effectiveAt, at: NOW, by: actor });

const registerSikka = (
  actor: Actor = actors.nasional,
  extra: Partial<Extract<OrganisationCommand, { type: 'RegisterInstansi' }>['data']> = {},
): OrganisationCommand => ({
  type: 'RegisterInstansi',
  data: {
    nodeId: 'pemkab-sikka',
    name: 'Pemerintah Kabupaten Sikka',
    instansiKind: 'pemkab',
    timeZone: 'Asia/Makassar',
    parentId: 'nasional',
    effectiveAt: null,
    ...extra,
  },
  metadata: meta(actor),
});
const addUnit = (actor: Actor, nodeId: string, parentId: string, name = `Unit ${nodeId}`, effectiveAt: string | null = null): OrganisationCommand => ({
  type: 'AddUnit',
  data: { nodeId, name, parentId, effectiveAt },
  metadata: meta(actor),
});
const rename = (actor: Actor, nodeId: string, name: string): OrganisationCommand => ({
  type: 'RenameNode',
  data: { nodeId, name, effectiveAt: null },
  metadata: meta(actor),
});
const move = (actor: Actor, nodeId: string, parentId: string): OrganisationCommand => ({
  type: 'MoveNode',
  data: { nodeId, parentId, effectiveAt: null },
  metadata: meta(actor),
});
const deactivate = (actor: Actor, nodeId: string, openComplaints = 0): OrganisationCommand => ({
  type: 'DeactivateNode',
  data: { nodeId, openComplaints, effectiveAt: null },
  metadata: meta(actor),
});
const deactivated = (actor: Actor, nodeId: string): OrganisationEvent => ({ type: 'NodeDeactivated', schemaVersion: 1, data: { nodeId, ...stamp(actor) } });
const unitAdded = (actor: Actor, nodeId: string, parentId: string, kind: 'unit' | 'subunit' = 'unit', name = `Unit ${nodeId}`): OrganisationEvent => ({
  type: 'UnitAdded',
  schemaVersion: 1,
  data: { nodeId, kind, name, parentId, ...stamp(actor) },
});

describe('registering an instansi', () => {
  it('is Admin Nasional’s: the instansi, its kind and time zone, who and when', () => {
    spec
      .given(SEED)
      .when(registerSikka())
      .then([
        {
          type: 'InstansiRegistered',
          schemaVersion: 1,
          data: {
            nodeId: 'pemkab-sikka',
            name: 'Pemerintah Kabupaten Sikka',
            instansiKind: 'pemkab',
            timeZone: 'Asia/Makassar',
            parentId: 'nasional',
            ...stamp(actors.nasional),
          },
        },
      ]);
  });

  it('is refused to anyone else', () => {
    spec.given(SEED).when(registerSikka(actors.ntt)).thenThrows('ROLE_NOT_ALLOWED');
    spec.given(SEED).when(registerSikka(actors.liaison)).thenThrows('ROLE_NOT_ALLOWED');
    spec.given(SEED).when(registerSikka(actors.reporter)).thenThrows('ROLE_NOT_ALLOWED');
  });

  it('takes an id nobody has and a parent where an instansi sits', () => {
    spec
      .given(SEED)
      .when(registerSikka(actors.nasional, { nodeId: 'pemprov-ntt' }))
      .thenThrows('NODE_ID_TAKEN');
    spec
      .given(SEED)
      .when(registerSikka(actors.nasional, { parentId: 'pemprov-ntt' }))
      .thenThrows('WRONG_PARENT_KIND');
    spec
      .given(SEED)
      .when(registerSikka(actors.nasional, { parentId: 'nowhere' }))
      .thenThrows('NODE_NOT_FOUND');
    spec
      .given(SEED)
      .when(registerSikka(actors.nasional, { name: '  pemerintah kota  BATAM ' }))
      .thenThrows('NAME_TAKEN');
  });

  it('may be recorded after it took effect, never before', () => {
    spec
      .given(SEED)
      .when(registerSikka(actors.nasional, { effectiveAt: EARLIER }))
      .then([
        {
          type: 'InstansiRegistered',
          schemaVersion: 1,
          data: {
            nodeId: 'pemkab-sikka',
            name: 'Pemerintah Kabupaten Sikka',
            instansiKind: 'pemkab',
            timeZone: 'Asia/Makassar',
            parentId: 'nasional',
            ...stamp(actors.nasional, EARLIER),
          },
        },
      ]);
    spec
      .given(SEED)
      .when(registerSikka(actors.nasional, { effectiveAt: '2025-07-02T00:00:00.000Z' }))
      .thenThrows('EFFECTIVE_IN_FUTURE');
  });
});

describe('adding a unit', () => {
  it('puts a unit under an instansi and a sub-unit under a unit or sub-unit', () => {
    spec
      .given(SEED)
      .when(addUnit(actors.ntt, 'ntt-dinkes', 'pemprov-ntt'))
      .then([unitAdded(actors.ntt, 'ntt-dinkes', 'pemprov-ntt', 'unit')]);
    spec
      .given(SEED)
      .when(addUnit(actors.ntt, 'ntt-dikbud-smk', 'ntt-dikbud'))
      .then([unitAdded(actors.ntt, 'ntt-dikbud-smk', 'ntt-dikbud', 'subunit')]);
    spec
      .given(SEED)
      .when(addUnit(actors.ntt, 'ntt-sma-seksi', 'ntt-dikbud-sma'))
      .then([unitAdded(actors.ntt, 'ntt-sma-seksi', 'ntt-dikbud-sma', 'subunit')]);
    spec
      .given(SEED)
      .when(addUnit(actors.nasional, 'batam-dishub', 'pemkot-batam'))
      .then([unitAdded(actors.nasional, 'batam-dishub', 'pemkot-batam')]);
  });

  it('keeps an instansi admin inside its own instansi: another instansi is outside, another’s unit unknown', () => {
    spec
      .given(SEED)
      .when(addUnit(actors.batam, 'x', 'pemprov-ntt'))
      .thenThrows('OUTSIDE_SCOPE');
    spec
      .given(SEED)
      .when(addUnit(actors.batam, 'x', 'ntt-dikbud'))
      .thenThrows('NODE_NOT_FOUND');
    spec
      .given(SEED)
      .when(addUnit(actors.ntt, 'x', 'nasional'))
      .thenThrows('OUTSIDE_SCOPE');
    spec
      .given(SEED)
      .when(addUnit(actors.liaison, 'x', 'ntt-dikbud'))
      .thenThrows('ROLE_NOT_ALLOWED');
  });

  it('needs a parent that takes units, is active, and a free id and name', () => {
    spec
      .given(SEED)
      .when(addUnit(actors.nasional, 'x', 'nasional'))
      .thenThrows('WRONG_PARENT_KIND');
    spec
      .given([...SEED, deactivated(actors.ntt, 'ntt-pupr')])
      .when(addUnit(actors.ntt, 'x', 'ntt-pupr'))
      .thenThrows('NODE_INACTIVE');
    spec
      .given(SEED)
      .when(addUnit(actors.ntt, 'ntt-pupr', 'pemprov-ntt'))
      .thenThrows('NODE_ID_TAKEN');
    spec
      .given(SEED)
      .when(addUnit(actors.ntt, 'x', 'pemprov-ntt', 'dinas pupr'))
      .thenThrows('NAME_TAKEN');
  });

  it('may reuse the name of a unit that was deactivated', () => {
    spec
      .given([...SEED, deactivated(actors.ntt, 'ntt-pupr')])
      .when(addUnit(actors.ntt, 'ntt-pupr-2025', 'pemprov-ntt', 'Dinas PUPR'))
      .then([unitAdded(actors.ntt, 'ntt-pupr-2025', 'pemprov-ntt', 'unit', 'Dinas PUPR')]);
  });
});

describe('renaming', () => {
  it('records the new name and the one before', () => {
    spec
      .given(SEED)
      .when(rename(actors.ntt, 'ntt-pupr', 'Dinas Pekerjaan Umum'))
      .then([
        { type: 'NodeRenamed', schemaVersion: 1, data: { nodeId: 'ntt-pupr', name: 'Dinas Pekerjaan Umum', previousName: 'Dinas PUPR', ...stamp(actors.ntt) } },
      ]);
  });

  it('leaves the instansi itself and the national level to whoever is above them', () => {
    spec
      .given(SEED)
      .when(rename(actors.ntt, 'pemprov-ntt', 'NTT'))
      .thenThrows('OUTSIDE_SCOPE');
    spec
      .given(SEED)
      .when(rename(actors.nasional, 'nasional', 'Pusat'))
      .thenThrows('ROOT_IS_FIXED');
    spec
      .given(SEED)
      .when(rename(actors.batam, 'ntt-pupr', 'x'))
      .thenThrows('NODE_NOT_FOUND');
  });

  it('refuses a name a sibling has, or the name it already has', () => {
    spec
      .given(SEED)
      .when(rename(actors.ntt, 'ntt-pupr', 'Dinas Pendidikan dan Kebudayaan'))
      .thenThrows('NAME_TAKEN');
    spec
      .given(SEED)
      .when(rename(actors.ntt, 'ntt-pupr', 'Dinas PUPR'))
      .thenThrows('NO_CHANGE');
  });
});

describe('moving', () => {
  it('moves a unit under another unit of the same instansi, where it becomes a sub-unit', () => {
    spec
      .given(SEED)
      .when(move(actors.ntt, 'ntt-pupr', 'ntt-dikbud'))
      .then([
        {
          type: 'NodeMoved',
          schemaVersion: 1,
          data: { nodeId: 'ntt-pupr', parentId: 'ntt-dikbud', previousParentId: 'pemprov-ntt', kind: 'subunit', ...stamp(actors.ntt) },
        },
      ]);
    spec
      .given(SEED)
      .when(move(actors.ntt, 'ntt-dikbud-sma', 'pemprov-ntt'))
      .then([
        {
          type: 'NodeMoved',
          schemaVersion: 1,
          data: { nodeId: 'ntt-dikbud-sma', parentId: 'pemprov-ntt', previousParentId: 'ntt-dikbud', kind: 'unit', ...stamp(actors.ntt) },
        },
      ]);
  });

  it('stays within the instansi and never goes below itself', () => {
    spec
      .given(SEED)
      .when(move(actors.nasional, 'ntt-pupr', 'pemkot-batam'))
      .thenThrows('INVALID_MOVE');
    spec
      .given(SEED)
      .when(move(actors.ntt, 'ntt-dikbud', 'ntt-dikbud-sma'))
      .thenThrows('INVALID_MOVE');
    spec
      .given(SEED)
      .when(move(actors.nasional, 'pemprov-ntt', 'pemkot-batam'))
      .thenThrows('INVALID_MOVE');
    spec
      .given(SEED)
      .when(move(actors.ntt, 'ntt-pupr', 'pemprov-ntt'))
      .thenThrows('NO_CHANGE');
    spec
      .given(SEED)
      .when(move(actors.ntt, 'ntt-pupr', 'batam-diskominfo'))
      .thenThrows('NODE_NOT_FOUND');
  });
});

describe('deactivating', () => {
  it('stops a node taking work; it stays in the tree, inactive', () => {
    spec
      .given(SEED)
      .when(deactivate(actors.ntt, 'ntt-pupr'))
      .then([deactivated(actors.ntt, 'ntt-pupr')]);
    const after = foldOrganisation(initialOrganisationState(), [...SEED, deactivated(actors.ntt, 'ntt-pupr')]);
    expect(after.nodes.get('ntt-pupr')).toMatchObject({ active: false, node: { name: 'Dinas PUPR' } });
  });

  it('is refused while active units sit below, and allowed once they are gone', () => {
    spec.given(SEED).when(deactivate(actors.ntt, 'ntt-dikbud')).thenThrows('HAS_ACTIVE_CHILDREN');
    spec
      .given([...SEED, deactivated(actors.ntt, 'ntt-dikbud-sma')])
      .when(deactivate(actors.ntt, 'ntt-dikbud'))
      .then([deactivated(actors.ntt, 'ntt-dikbud')]);
  });

  it('is refused while the unit holds open complaints: a merge hands them to a successor instead', () => {
    spec
      .given(SEED)
      .when(deactivate(actors.ntt, 'ntt-pupr', 2))
      .thenThrows('HOLDS_OPEN_COMPLAINTS');
  });

  it('happens once, within scope', () => {
    spec
      .given([...SEED, deactivated(actors.ntt, 'ntt-pupr')])
      .when(deactivate(actors.ntt, 'ntt-pupr'))
      .thenThrows('NODE_INACTIVE');
    spec.given(SEED).when(deactivate(actors.ntt, 'pemprov-ntt')).thenThrows('OUTSIDE_SCOPE');
    spec.given(SEED).when(deactivate(actors.batam, 'ntt-pupr')).thenThrows('NODE_NOT_FOUND');
    spec.given(SEED).when(deactivate(actors.nasional, 'nasional')).thenThrows('ROOT_IS_FIXED');
  });
});

describe('the stream as a tree', () => {
  it('reads the seed’s events and the administration’s alike', () => {
    const state = foldOrganisation(initialOrganisationState(), [
      ...SEED,
      unitAdded(actors.ntt, 'ntt-dinkes', 'pemprov-ntt'),
      { type: 'NodeRenamed', schemaVersion: 1, data: { nodeId: 'ntt-dinkes', name: 'Dinas Kesehatan', previousName: 'Unit ntt-dinkes', ...stamp(actors.ntt) } },
      {
        type: 'NodeMoved',
        schemaVersion: 1,
        data: { nodeId: 'ntt-dinkes', parentId: 'ntt-dikbud', previousParentId: 'pemprov-ntt', kind: 'subunit', ...stamp(actors.ntt) },
      },
    ]);
    expect(state.nodes.get('ntt-dinkes')).toEqual({
      node: { kind: 'subunit', id: 'ntt-dinkes', name: 'Dinas Kesehatan', parentId: 'ntt-dikbud' },
      active: true,
      instansiKind: null,
      successor: null,
    });
    expect(state.nodes.get('pemprov-ntt')?.node).toMatchObject({ kind: 'instansi', timeZone: 'Asia/Makassar' });
  });
});
