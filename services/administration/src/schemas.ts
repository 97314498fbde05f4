import { IndonesianTimeZone, InstansiKind, NodeId, NodeName, NodeSlug, OrganisationNodeKind } from '@lapor/domain';
import { Problem, nameSchemas } from '@lapor/http-kit';
import { z } from 'zod';

// The administration routes' input and answers. Input is validated here (400 naming the field);
// the organisation's rules are the decider's (403, 404, 409, 422 with the rule's code).

export const ADMINISTRATION_TAG = {
  name: 'administration',
  description: 'The organisation tree: instansi, units and sub-units, restructured with an effective date',
};

export const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem, 422: Problem };

const name = NodeName.trim();
/** When the change took effect (a decree typed in later); absent: now. Never in the future. */
const effectiveAt = z.iso.datetime({ offset: true }).optional();

export const NodeParams = z.strictObject({ nodeId: NodeId });

export const RegisterInstansiBody = z.strictObject({
  id: NodeSlug,
  name,
  kind: InstansiKind,
  timeZone: IndonesianTimeZone,
  /** Where it sits; only nasional takes an instansi today. */
  parentId: NodeId.default('nasional'),
  effectiveAt,
});

export const AddUnitBody = z.strictObject({
  /** The new unit's id; absent: one is generated. */
  id: NodeSlug.optional(),
  name,
  effectiveAt,
});

export const ChangeNodeBody = z
  .strictObject({
    /** A new name. */
    name: name.optional(),
    /** A new parent in the same instansi. */
    parentId: NodeId.optional(),
    effectiveAt,
  })
  // one change, one event, one append: a rename and a move are two requests
  .refine((body) => (body.name === undefined) !== (body.parentId === undefined), { message: 'give either name or parentId, not both', path: ['name'] });

export const DeactivationBody = z.strictObject({ effectiveAt });

export const OrganisationChangeAccepted = z.object({
  nodeId: NodeId,
  /** The tree's version after the change: the next If-Match. */
  version: z.string(),
});
export type OrganisationChangeAccepted = z.infer<typeof OrganisationChangeAccepted>;

/** One node of the tree, as GET /organisation and GET /organisation/nodes/{nodeId} show it. */
export const OrganisationNode = z.object({
  id: NodeId,
  kind: OrganisationNodeKind,
  name: z.string(),
  parentId: NodeId.nullable(),
  /** An instansi's time zone; null for other nodes. */
  timeZone: IndonesianTimeZone.nullable(),
  /** An instansi's kind, where it was recorded; null for other nodes. */
  instansiKind: InstansiKind.nullable(),
  /** False once deactivated: it takes no new dispositions, and stays for the complaints and recaps that name it. */
  active: z.boolean(),
});
export type OrganisationNode = z.infer<typeof OrganisationNode>;

export const OrganisationView = z.object({
  /** The tree's version (also the ETag): send it as If-Match with a change. */
  version: z.string(),
  nodes: z.array(OrganisationNode),
});
export type OrganisationView = z.infer<typeof OrganisationView>;

// The names these shapes have in the API document (components.schemas), for generated clients.
nameSchemas(
  { RegisterInstansiBody, AddUnitBody, ChangeNodeBody, DeactivationBody, OrganisationChangeAccepted, OrganisationView, OrganisationNode },
  {
    RegisterInstansiBody: {
      description: 'A new instansi: its id, name, kind and the time zone its working days count in',
      examples: [{ id: 'pemkab-sikka', name: 'Pemerintah Kabupaten Sikka', kind: 'pemkab', timeZone: 'Asia/Makassar' }],
    },
    AddUnitBody: { description: 'A unit (or sub-unit) added under a node', examples: [{ id: 'sikka-dinas-kesehatan', name: 'Dinas Kesehatan' }] },
    DeactivationBody: {
      description: 'A node deactivated, from now or from a moment given: it takes no new dispositions',
      examples: [{ effectiveAt: '2027-01-01T00:00:00+08:00' }],
    },
    OrganisationChangeAccepted: {
      description: 'The node a change made or touched, and the tree’s version after it (its ETag)',
      examples: [{ nodeId: 'sikka-dinas-kesehatan', version: '42' }],
    },
    OrganisationNode: {
      description: 'One node of the organisation tree: nasional, an instansi, a unit or a sub-unit',
      examples: [
        {
          id: 'pemkab-sikka',
          kind: 'instansi',
          name: 'Pemerintah Kabupaten Sikka',
          parentId: 'nasional',
          timeZone: 'Asia/Makassar',
          instansiKind: 'pemkab',
          active: true,
        },
      ],
    },
    OrganisationView: {
      description: 'The organisation tree as the caller may see it, with its version (its ETag)',
      examples: [
        {
          version: '42',
          nodes: [
            {
              id: 'pemprov-ntt',
              kind: 'instansi',
              name: 'Pemerintah Provinsi NTT',
              parentId: 'nasional',
              timeZone: 'Asia/Makassar',
              instansiKind: 'pemprov',
              active: true,
            },
            {
              id: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
              kind: 'unit',
              name: 'Dinas PUPR',
              parentId: 'pemprov-ntt',
              timeZone: null,
              instansiKind: null,
              active: true,
            },
            {
              id: 'ntt-bidang-bina-marga',
              kind: 'subunit',
              name: 'Bidang Bina Marga',
              parentId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
              timeZone: null,
              instansiKind: null,
              active: true,
            },
          ],
        },
      ],
    },
    ChangeNodeBody: {
      description: 'A node renamed or moved under another parent in the same instansi (one of the two per request), from now or from a moment given',
      examples: [
        { name: 'Dinas Pekerjaan Umum dan Penataan Ruang', effectiveAt: '2027-01-01T00:00:00+08:00' },
        { parentId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat' },
      ],
    },
  },
);
