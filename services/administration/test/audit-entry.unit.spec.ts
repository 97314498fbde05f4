import { STAFF_ACCOUNTS_STREAM } from '@lapor/accounts';
import { CATEGORY_STREAM, OrganisationEvent } from '@lapor/domain';
import type { RecordedEvent } from '@lapor/event-store';
import { auditEntryOf, categoryOwnerOf, ORGANISATION_STREAM } from '../src/audit/entry';

// Who may read an audit entry goes by the nodes it names (an instansi admin: those of its subtree).
// Given each kind of administrative event, then its entry names every node the change touched, and
// no secret; an event with no administrator behind it (the first start's seed) is no entry.

const NTT_ADMIN = { id: 'acc-ntt', role: 'admin_instansi', nodeId: 'pemprov-ntt' };
const STAMP = { at: '2025-01-15T01:00:00.000Z', effectiveAt: '2025-01-15T00:00:00.000Z', by: NTT_ADMIN };
let position = 0n;

const recorded = (streamId: string, type: string, data: unknown, metadata: Record<string, unknown> = {}): RecordedEvent => ({
  id: crypto.randomUUID(),
  streamId,
  streamVersion: 0n,
  position: ++position,
  type,
  data,
  metadata,
  recordedAt: new Date('2025-01-15T01:00:00.000Z'),
});

const ORGANISATION_EVENTS: Record<string, { data: Record<string, unknown>; nodes: string[] }> = {
  InstansiRegistered: {
    data: { nodeId: 'pemkab-sikka', name: 'Pemerintah Kabupaten Sikka', instansiKind: 'pemkab', timeZone: 'Asia/Makassar', parentId: 'nasional' },
    nodes: ['pemkab-sikka', 'nasional'],
  },
  UnitAdded: { data: { nodeId: 'ntt-dinkes', kind: 'unit', name: 'Dinas Kesehatan', parentId: 'pemprov-ntt' }, nodes: ['ntt-dinkes', 'pemprov-ntt'] },
  NodeRenamed: { data: { nodeId: 'ntt-dinkes', name: 'Dinas Kesehatan Baru', previousName: 'Dinas Kesehatan' }, nodes: ['ntt-dinkes'] },
  NodeMoved: {
    data: { nodeId: 'ntt-sma', parentId: 'ntt-dikbud', previousParentId: 'ntt-setda', kind: 'subunit' },
    nodes: ['ntt-sma', 'ntt-dikbud', 'ntt-setda'],
  },
  NodeDeactivated: { data: { nodeId: 'ntt-tutup' }, nodes: ['ntt-tutup'] },
  UnitsMerged: { data: { nodeIds: ['ntt-peternakan', 'ntt-perikanan'], successorId: 'ntt-pertanian' }, nodes: ['ntt-peternakan', 'ntt-perikanan'] },
  UnitSplit: { data: { nodeId: 'ntt-pariwisata', successorIds: ['ntt-wisata', 'ntt-ekraf'], heirId: 'ntt-wisata' }, nodes: ['ntt-pariwisata'] },
};

describe('an audit entry names the nodes its change touched', () => {
  it('for every organisation event an administrator decides (a new kind of event must be added here)', () => {
    const kinds = OrganisationEvent.options.map((option) => option.shape.type.value).filter((type) => type !== 'OrganisationNodeRegistered');
    expect(Object.keys(ORGANISATION_EVENTS).sort()).toEqual([...kinds].sort());
    for (const [type, { data, nodes }] of Object.entries(ORGANISATION_EVENTS)) {
      const entry = auditEntryOf(recorded(ORGANISATION_STREAM, type, { ...data, ...STAMP }, { origin: { clientAddress: '203.0.113.9' } }));
      expect({ type, nodeIds: entry?.nodeIds }).toEqual({ type, nodeIds: expect.arrayContaining(nodes) });
      expect(entry).toMatchObject({ action: type, actor: NTT_ADMIN, clientAddress: '203.0.113.9', at: STAMP.at });
    }
  });

  it('for the first start’s seed, none: no administrator made it', () => {
    const seed = { kind: 'unit', id: 'ntt-pupr', name: 'Dinas PUPR', parentId: 'pemprov-ntt' };
    expect(auditEntryOf(recorded(ORGANISATION_STREAM, 'OrganisationNodeRegistered', seed))).toBeUndefined();
  });

  it('for an account: where it was and where it went; never a hash; a rehash or own change is no administration', () => {
    const moved = auditEntryOf(
      recorded(STAFF_ACCOUNTS_STREAM, 'StaffAccountMoved', {
        accountId: 'acc-pupr',
        nodeId: 'ntt-dikbud',
        previousNodeId: 'ntt-pupr',
        role: 'liaison',
        by: NTT_ADMIN,
        at: STAMP.at,
      }),
    );
    expect(moved).toMatchObject({ subject: 'acc-pupr', nodeIds: expect.arrayContaining(['ntt-dikbud', 'ntt-pupr']) });
    const reset = auditEntryOf(
      recorded(STAFF_ACCOUNTS_STREAM, 'StaffPasswordResetIssued', {
        accountId: 'acc-pupr',
        nodeId: 'ntt-pupr',
        codeHash: 'sha-of-the-code',
        expiresAt: '2025-01-18T01:00:00.000Z',
        by: NTT_ADMIN,
        at: STAMP.at,
      }),
    );
    expect(reset).toMatchObject({ nodeIds: ['ntt-pupr'] });
    expect(JSON.stringify(reset?.detail)).not.toContain('sha-of-the-code');
    const rehash = {
      accountId: 'acc-pupr',
      nodeId: 'ntt-pupr',
      passwordHash: 'argon2id$x',
      via: 'rehash',
      by: { id: 'acc-pupr', role: 'liaison', nodeId: 'ntt-pupr' },
      at: STAMP.at,
    };
    expect(auditEntryOf(recorded(STAFF_ACCOUNTS_STREAM, 'StaffPasswordChanged', rehash))).toBeUndefined();
  });

  it('for a category: an instansi’s own names the instansi, and is kept as its owner for its later changes; a national one names no node', () => {
    const added = recorded(CATEGORY_STREAM, 'CategoryAdded', {
      categoryId: 'ntt-air',
      name: 'Air',
      parentId: null,
      instansiId: 'pemprov-ntt',
      by: NTT_ADMIN,
      at: STAMP.at,
    });
    expect(auditEntryOf(added)).toMatchObject({ action: 'CategoryAdded', subject: 'ntt-air', nodeIds: ['pemprov-ntt'] });
    expect(categoryOwnerOf(added)).toEqual({ categoryId: 'ntt-air', instansiId: 'pemprov-ntt' });
    const renamed = recorded(CATEGORY_STREAM, 'CategoryRenamed', {
      categoryId: 'ntt-air',
      name: 'Air Minum',
      previousName: 'Air',
      by: NTT_ADMIN,
      at: STAMP.at,
    });
    expect(auditEntryOf(renamed)).toMatchObject({ nodeIds: [], ownerOfCategory: 'ntt-air', detail: { name: 'Air Minum', previousName: 'Air' } });
    const nasional = { id: 'acc-nasional', role: 'admin_nasional', nodeId: 'nasional' };
    const national = recorded(CATEGORY_STREAM, 'CategoryAdded', {
      categoryId: 'kesehatan',
      name: 'Kesehatan',
      parentId: null,
      instansiId: null,
      by: nasional,
      at: STAMP.at,
    });
    expect(auditEntryOf(national)).toMatchObject({ nodeIds: [] });
    expect(categoryOwnerOf(national)).toBeUndefined();
  });
});
