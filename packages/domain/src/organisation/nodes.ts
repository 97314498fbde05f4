import { z } from 'zod';

// The nodes of the organisation tree: nasional → instansi → unit → sub-unit.

export const NodeId = z.string().min(1).max(100);
export type NodeId = z.infer<typeof NodeId>;

export const OrganisationNodeKind = z.enum(['nasional', 'instansi', 'unit', 'subunit']);
export type OrganisationNodeKind = z.infer<typeof OrganisationNodeKind>;

/** The three Indonesian time zones an instansi can live in. */
export const IndonesianTimeZone = z.enum(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']);
export type IndonesianTimeZone = z.infer<typeof IndonesianTimeZone>;

export const TIME_ZONE_LABELS: Readonly<Record<IndonesianTimeZone, 'WIB' | 'WITA' | 'WIT'>> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

// The national administrators sit in Jakarta; their own deadlines (verifying what is
// addressed nationally) run on WIB.
export const NATIONAL_TIME_ZONE: IndonesianTimeZone = 'Asia/Jakarta';

const name = z.string().min(1).max(300);

export const OrganisationNode = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('nasional'), id: NodeId, name, parentId: z.null() }),
  z.object({ kind: z.literal('instansi'), id: NodeId, name, parentId: NodeId, timeZone: IndonesianTimeZone }),
  z.object({ kind: z.literal('unit'), id: NodeId, name, parentId: NodeId }),
  z.object({ kind: z.literal('subunit'), id: NodeId, name, parentId: NodeId }),
]);
export type OrganisationNode = z.infer<typeof OrganisationNode>;

/**
 * What a command needs to know about a node, looked up from the tree at the edge so the
 * decider can check a hand-off without holding the whole tree.
 */
export const NodeRef = z.object({ id: NodeId, kind: OrganisationNodeKind, parentId: NodeId.nullable() });
export type NodeRef = z.infer<typeof NodeRef>;

/** Which kinds may sit directly above a kind. Sub-units may nest (a section inside a division). */
export const PARENT_KINDS: Readonly<Record<OrganisationNodeKind, readonly OrganisationNodeKind[]>> = {
  nasional: [],
  instansi: ['nasional'],
  unit: ['instansi'],
  subunit: ['unit', 'subunit'],
};

export const canBeChildOf = (child: OrganisationNodeKind, parent: OrganisationNodeKind): boolean => PARENT_KINDS[child].includes(parent);

/** Units and sub-units: the nodes that follow complaints up, and the only ones a restructuring merges or splits. */
export const isUnitKind = (kind: OrganisationNodeKind): boolean => kind === 'unit' || kind === 'subunit';
