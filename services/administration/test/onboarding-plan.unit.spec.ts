import { buildOrganisationTree, foldOrganisation, initialOrganisationState, type OrganisationEvent, type OrganisationNode } from '@lapor/domain';
import { planOnboarding } from '../src/organisation/onboarding/plan';

// The plan of an upload, against the tree as it stands: what the dry run shows the instansi admin.

const nodes: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null },
  { kind: 'instansi', id: 'pemkab-loteng', name: 'Pemerintah Kabupaten Lombok Tengah', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'loteng-setda', name: 'Sekretariat Daerah', parentId: 'pemkab-loteng' },
];
const state = foldOrganisation(
  initialOrganisationState(),
  nodes.map((node): OrganisationEvent => ({ type: 'OrganisationNodeRegistered', schemaVersion: 1, data: node })),
);
const tree = buildOrganisationTree(nodes);
const HEADER = ['Unit Kerja', 'Induk', 'Nama Penghubung', 'Email'];
const plan = (rows: string[][], accounts: Array<{ username: string; nodeId: string; role: string }> = []) =>
  planOnboarding({ instansiId: 'pemkab-loteng', state, tree, header: HEADER, rows: rows.map((cells, index) => ({ row: index + 2, cells })), accounts });

describe('planning an onboarding upload', () => {
  it('finds parents among the file’s rows and the units already there, and adds parents before children', () => {
    const planned = plan([
      ['Subbagian Tata Laksana', 'Bagian Organisasi', '', ''],
      ['Bagian Organisasi', 'SEKRETARIAT DAERAH', '', ''],
      ['Sekretariat Daerah', '', '', ''],
    ]);
    expect(planned.problems).toEqual([]);
    expect(planned.units.map(({ row, status }) => ({ row, status }))).toEqual([
      { row: 2, status: 'baru' },
      { row: 3, status: 'baru' },
      { row: 4, status: 'sudah ada' },
    ]);
    expect(planned.toAdd.map((unit) => unit.name)).toEqual(['Bagian Organisasi', 'Subbagian Tata Laksana']);
    expect(planned.toAdd[0]).toMatchObject({ id: 'pemkab-loteng-bagian-organisasi', parentId: 'loteng-setda' });
  });

  it('names a loop among the rows on each of its rows, and an e-mail someone else signs in with', () => {
    const planned = plan(
      [
        ['Bagian A', 'Bagian B', '', ''],
        ['Bagian B', 'Bagian A', 'Penghubung', 'dipakai@lomboktengah.example'],
      ],
      [{ username: 'dipakai@lomboktengah.example', nodeId: 'loteng-setda', role: 'liaison' }],
    );
    expect(planned.problems.map((problem) => problem.message)).toEqual([
      'Baris 2: induk "Bagian B" melingkar: unit ini berada di bawah dirinya sendiri.',
      'Baris 3: induk "Bagian A" melingkar: unit ini berada di bawah dirinya sendiri.',
    ]);
    expect(
      plan(
        [['Bagian C', '', 'Penghubung', 'dipakai@lomboktengah.example']],
        [{ username: 'dipakai@lomboktengah.example', nodeId: 'loteng-setda', role: 'liaison' }],
      ).problems,
    ).toEqual([{ row: 2, column: 'Email', message: 'Baris 2: email "dipakai@lomboktengah.example" sudah dipakai akun lain.' }]);
  });
});
