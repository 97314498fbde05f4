import type { OrganisationNode, OrganisationProblemCode } from '../../src';
import { buildOrganisationTree, OrganisationTreeError, TIME_ZONE_LABELS, UnknownNodeError, validateOrganisation } from '../../src';
import { NODES, tree } from '../complaint/fixtures';

const ids = (nodes: readonly OrganisationNode[]): string[] => nodes.map((n) => n.id);
const problemCodes = (nodes: readonly unknown[]): OrganisationProblemCode[] => validateOrganisation(nodes).map((p) => p.code);

describe('the organisation tree', () => {
  it('walks up from a sub-unit to nasional, nearest first', () => {
    expect(ids(tree.ancestorsOf('ntt-dikbud-sma'))).toEqual(['ntt-dikbud', 'pemprov-ntt', 'nasional']);
    expect(tree.ancestorsOf('nasional')).toEqual([]);
  });

  it('lists children and every descendant', () => {
    expect(ids(tree.childrenOf('pemprov-ntt'))).toEqual(['ntt-dikbud', 'ntt-pupr']);
    expect(ids(tree.descendantsOf('pemprov-ntt')).sort()).toEqual(['ntt-dikbud', 'ntt-dikbud-sma', 'ntt-pupr']);
    expect(tree.descendantsOf('nasional')).toHaveLength(NODES.length - 1);
    expect(tree.childrenOf('ntt-dikbud-sma')).toEqual([]);
  });

  it('answers scope questions: a node is within its own scope and its ancestors’', () => {
    expect(tree.isWithinScope('ntt-dikbud-sma', 'pemprov-ntt')).toBe(true);
    expect(tree.isWithinScope('ntt-dikbud-sma', 'nasional')).toBe(true);
    expect(tree.isWithinScope('pemprov-ntt', 'pemprov-ntt')).toBe(true);
    expect(tree.isWithinScope('pemprov-ntt', 'ntt-dikbud')).toBe(false);
    expect(tree.isWithinScope('batam-diskominfo', 'pemprov-ntt')).toBe(false);
  });

  it('never puts an unknown node in scope (deny by default)', () => {
    expect(tree.isWithinScope('unknown', 'nasional')).toBe(false);
    expect(tree.isWithinScope('ntt-dikbud', 'unknown')).toBe(false);
  });

  it('finds the instansi of a node and the time zone it works in', () => {
    expect(tree.instansiOf('ntt-dikbud-sma')?.id).toBe('pemprov-ntt');
    expect(tree.instansiOf('pemprov-ntt')?.id).toBe('pemprov-ntt');
    expect(tree.instansiOf('nasional')).toBeNull();
    expect(tree.timeZoneOf('ntt-dikbud-sma')).toBe('Asia/Makassar');
    expect(TIME_ZONE_LABELS[tree.timeZoneOf('ntt-pupr')]).toBe('WITA');
    expect(TIME_ZONE_LABELS[tree.timeZoneOf('batam-diskominfo')]).toBe('WIB');
    expect(tree.timeZoneOf('nasional')).toBe('Asia/Jakarta');
  });

  it('gives commands the facts they carry about a node', () => {
    expect(tree.nodeRef('ntt-dikbud')).toEqual({ id: 'ntt-dikbud', kind: 'unit', parentId: 'pemprov-ntt' });
    expect(tree.root.id).toBe('nasional');
  });

  it('throws on an unknown id rather than answer for a node that is not there', () => {
    expect(() => tree.ancestorsOf('unknown')).toThrow(UnknownNodeError);
    expect(() => tree.childrenOf('unknown')).toThrow(UnknownNodeError);
    expect(tree.has('unknown')).toBe(false);
  });
});

describe('validating an organisation', () => {
  it('accepts the fixture tree', () => {
    expect(validateOrganisation(NODES)).toEqual([]);
  });

  it('needs exactly one nasional root', () => {
    expect(problemCodes(NODES.filter((n) => n.kind !== 'nasional'))).toContain('NO_ROOT');
    expect(problemCodes([...NODES, { kind: 'nasional', id: 'nasional-2', name: 'Kedua', parentId: null }])).toEqual(['MULTIPLE_ROOTS']);
  });

  it('needs a time zone on every instansi', () => {
    const { timeZone: _zone, ...noZone } = NODES[1] as Extract<OrganisationNode, { kind: 'instansi' }>;
    expect(problemCodes([NODES[0], noZone])).toEqual(['MISSING_TIME_ZONE']);
    expect(problemCodes([NODES[0], { ...noZone, timeZone: 'Asia/Singapore' }])).toEqual(['MISSING_TIME_ZONE']);
  });

  it('checks each parent exists and has the right kind', () => {
    expect(problemCodes([...NODES, { kind: 'unit', id: 'orphan', name: 'Yatim', parentId: 'nowhere' }])).toEqual(['UNKNOWN_PARENT']);
    expect(problemCodes([...NODES, { kind: 'unit', id: 'u', name: 'Unit di bawah nasional', parentId: 'nasional' }])).toEqual(['WRONG_PARENT_KIND']);
    expect(problemCodes([...NODES, { kind: 'instansi', id: 'i', name: 'Instansi di bawah unit', parentId: 'ntt-dikbud', timeZone: 'Asia/Jakarta' }])).toEqual([
      'WRONG_PARENT_KIND',
    ]);
    expect(problemCodes([...NODES, { kind: 'subunit', id: 'seksi', name: 'Seksi', parentId: 'ntt-dikbud-sma' }])).toEqual([]);
  });

  it('finds a loop among nested sub-units', () => {
    const loop = [...NODES, { kind: 'subunit', id: 'a', name: 'A', parentId: 'b' }, { kind: 'subunit', id: 'b', name: 'B', parentId: 'a' }];
    expect(problemCodes(loop)).toEqual(['CYCLE']);
  });

  it('reports duplicate ids and malformed nodes', () => {
    expect(problemCodes([...NODES, NODES[2]])).toEqual(['DUPLICATE_ID']);
    expect(problemCodes([...NODES, { kind: 'kecamatan', id: 'x', name: 'X', parentId: 'nasional' }])).toEqual(['INVALID_NODE']);
  });

  it('lists every problem at once and refuses to build', () => {
    const broken = [
      { kind: 'unit', id: 'u', name: 'U', parentId: 'nowhere' },
      { kind: 'instansi', id: 'i', name: 'I', parentId: 'nasional' },
    ];
    expect(problemCodes(broken).sort()).toEqual(['MISSING_TIME_ZONE', 'NO_ROOT', 'UNKNOWN_PARENT']);
    expect(() => buildOrganisationTree(broken as OrganisationNode[])).toThrow(OrganisationTreeError);
  });
});
