import {
  ActorRole,
  Channel,
  ComplaintKind,
  ComplaintStatus,
  EXAMPLE_COMPLAINT,
  OrganisationNodeKind,
  PUBLIC_EVENT_ACTOR_EXAMPLES,
  PUBLIC_EVENT_DATA,
  PUBLIC_EVENT_DATA_EXAMPLES,
  perEventType,
  SlaClass,
  STATUS_LABELS,
} from '@lapor/domain';
import { ReadAfter, nameSchemas, pageCursor, pageLimit } from '@lapor/http-kit';
import { ReporterIdentity } from '@lapor/personal-data';
import { z } from 'zod';

// the status as officials read it (DOMAIN.md), so a client never keeps its own copy of the labels
const StatusLabel = z.enum(Object.values(STATUS_LABELS) as [string, ...string[]]);

export const FollowUpBody = z.strictObject({ message: z.string().trim().min(1).max(10_000) });

export const InboxQuery = z.strictObject({
  status: ComplaintStatus.optional(),
  kind: ComplaintKind.optional(),
  /** Received on or after (ISO date or date-time). */
  from: z.iso
    .date()
    .or(z.iso.datetime({ offset: true }))
    .optional(),
  /** Received before. */
  to: z.iso
    .date()
    .or(z.iso.datetime({ offset: true }))
    .optional(),
  channel: Channel.optional(),
  category: z.string().min(1).max(200).optional(),
  /**
   * Search: words in the title or description (Bahasa Indonesia, stemmed), a part of a tracking id
   * (3 characters or more), or a title word with a typo. Results stay newest first.
   */
  q: z.string().trim().min(2, 'at least 2 characters').max(200).optional(),
  /**
   * Read your own write: `<complaintId>:<version>` from a write's answer. The list waits (at most
   * 2 s) until it shows that version, else answers 503 read-model-catching-up.
   */
  readAfter: ReadAfter.optional(),
  /** Where the previous page ended: its `nextCursor`. */
  cursor: pageCursor.optional(),
  /** How many per page, as every list names it; `pageSize` is its older name (limit wins when both are sent). */
  limit: pageLimit(200),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const InboxItem = z.object({
  complaintId: z.uuid(),
  trackingId: z.string(),
  title: z.string(),
  kind: ComplaintKind,
  status: ComplaintStatus,
  statusLabel: StatusLabel,
  /** Why it is in this inbox: the unit holds it, it was copied (tembusan), or it is below. */
  relation: z.enum(['holder', 'tembusan', 'below']),
  receivedAt: z.string(),
  updatedAt: z.string(),
  version: z.string(),
});

export const Inbox = z.object({
  nodeId: z.string(),
  pageSize: z.number(),
  /** Every complaint the filter matches in this inbox, on all pages: exact under status, kind, channel and category; with `from`/`to` exact up to 10,000 (with `q` up to 1,000), then that bound with `totalExact` false. */
  total: z.number(),
  /** False when there are more than `total` (with a period counting stops at 10,000, with a search at 1,000: filter to narrow it down). */
  totalExact: z.boolean(),
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: z.string().nullable(),
  items: z.array(InboxItem),
  /** When this node last opened its inbox before now. */
  lastSeenAt: z.string().nullable(),
});

// One entry shape per event type, its `data` the event's own shareable data (the domain's schema less
// the reporter's identity), so a client narrows `data` by `type`.
const historyEntries = perEventType((type, data) =>
  z.object({
    version: z.string(),
    type: z.literal(type),
    at: z.string(),
    by: z.object({ role: ActorRole, nodeId: z.string().nullable() }),
    data,
  }),
);
export const HistoryEntry = z.discriminatedUnion('type', [...historyEntries.values()] as unknown as [z.ZodObject, ...z.ZodObject[]]);

/** `<Type>Data`: what each event type records, as the history and the webhooks show it. */
const eventDataNames = Object.fromEntries([...PUBLIC_EVENT_DATA].map(([type, schema]) => [`${type}Data`, schema]));

export const ComplaintDetail = z.object({
  complaintId: z.uuid(),
  trackingId: z.string(),
  kind: ComplaintKind,
  channel: Channel,
  status: ComplaintStatus,
  statusLabel: StatusLabel,
  anonymous: z.boolean(),
  confidential: z.boolean(),
  holder: z.object({ id: z.string(), kind: OrganisationNodeKind }),
  assignedUnitId: z.string().nullable(),
  tembusan: z.array(z.string()),
  hops: z.array(
    z.object({ type: z.enum(['disposition', 'return', 'succession']), from: z.string(), to: z.string(), at: z.string(), reason: z.string().nullable() }),
  ),
  slaClass: SlaClass.nullable(),
  category: z.string().nullable(),
  rating: z.number().nullable(),
  receivedAt: z.string(),
  version: z.string(),
  /** The reporter's identity: null when none was given, the complaint is anonymous, or it was erased. */
  reporter: ReporterIdentity.nullable(),
  reporterVisibility: z.enum(['shown', 'none_given', 'anonymous', 'erased']),
  history: z.array(HistoryEntry),
});

/** Why the identity is read or erased: the access log keeps it (required of admins). */
const AccessReason = z.string().trim().min(1).max(500);
export const DetailQuery = z.strictObject({ reason: AccessReason.optional() });
export const ErasureBody = z.strictObject({ reason: AccessReason });

export const ErasureResult = z.object({ complaintId: z.uuid(), erased: z.boolean(), erasedAt: z.string() });

// Examples: the demo complaint's history, so a history entry and the detail read as one story.
const historyExample = (type: keyof typeof PUBLIC_EVENT_DATA_EXAMPLES, version: string, at: string) => {
  const { by } = PUBLIC_EVENT_ACTOR_EXAMPLES[type];
  return { version, type, at, by: { role: by.role, nodeId: by.nodeId }, data: PUBLIC_EVENT_DATA_EXAMPLES[type] };
};
const HISTORY_EXAMPLE = [
  historyExample('ComplaintSubmitted', '1', '2026-11-17T01:05:00.000Z'),
  historyExample('ComplaintVerified', '2', '2026-11-17T03:20:00.000Z'),
  historyExample('ComplaintDisposed', '3', '2026-11-18T02:00:00.000Z'),
  historyExample('FollowUpPosted', '4', '2026-11-23T03:40:00.000Z'),
];
const dataDocs = Object.fromEntries(
  Object.entries(PUBLIC_EVENT_DATA_EXAMPLES).map(([type, example]) => [
    `${type}Data`,
    { description: `What a ${type} event records, as the history and the webhooks show it (personal data left out)`, examples: [example] },
  ]),
);

// The names these shapes have in the API document (components.schemas), for generated clients.
nameSchemas(
  { FollowUpBody, InboxItem, Inbox, HistoryEntry, ComplaintDetail, ErasureResult, ErasePersonalDataBody: ErasureBody, ...eventDataNames },
  {
    ...dataDocs,
    ComplaintDetail: {
      description: 'A complaint as staff who can see it read it: where it is, who holds it, its reporter (when shown) and its whole history',
      examples: [
        {
          complaintId: EXAMPLE_COMPLAINT.complaintId,
          trackingId: EXAMPLE_COMPLAINT.trackingId,
          kind: 'pengaduan',
          channel: 'web',
          status: 'PROSES',
          statusLabel: 'Proses',
          anonymous: false,
          confidential: false,
          holder: { id: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat', kind: 'unit' },
          assignedUnitId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
          tembusan: ['ntt-inspektorat-daerah'],
          hops: [
            {
              type: 'disposition',
              from: 'pemprov-ntt',
              to: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
              at: '2026-11-18T02:00:00.000Z',
              reason: null,
            },
          ],
          slaClass: 'pengawasan_lapangan',
          category: 'Jalan rusak',
          rating: null,
          receivedAt: '2026-11-17T01:05:00.000Z',
          version: '4',
          reporter: null,
          reporterVisibility: 'none_given',
          history: HISTORY_EXAMPLE,
        },
      ],
    },
    HistoryEntry: {
      description: 'One event of a complaint, in order: its type, when, by whom, and what it recorded (personal data left out)',
      examples: [HISTORY_EXAMPLE[3]],
    },
    Inbox: {
      description: "A unit's inbox page: the complaints it holds, was copied on (tembusan) or that are below it, newest first",
      examples: [
        {
          nodeId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
          pageSize: 50,
          total: 1,
          totalExact: true,
          nextCursor: null,
          items: [
            {
              complaintId: EXAMPLE_COMPLAINT.complaintId,
              trackingId: EXAMPLE_COMPLAINT.trackingId,
              title: 'Jalan berlubang di depan SD Inpres Oebufu',
              kind: 'pengaduan',
              status: 'PROSES',
              statusLabel: 'Proses',
              relation: 'holder',
              receivedAt: '2026-11-17T01:05:00.000Z',
              updatedAt: '2026-11-23T03:40:00.000Z',
              version: '4',
            },
          ],
          lastSeenAt: '2026-11-22T08:00:00.000Z',
        },
      ],
    },
    FollowUpBody: {
      description: 'What the unit did about the complaint, as the reporter will read it',
      examples: [{ message: 'Tim Dinas PUPR sudah meninjau lokasi; penambalan jalan dijadwalkan pekan depan.' }],
    },
    InboxItem: {
      description: 'One complaint in an inbox: what it is, where it stands, and why it is in this inbox',
      examples: [
        {
          complaintId: '0b8f6c2e-4d1a-4c3b-9e2f-7a6b5c4d3e2f',
          trackingId: 'LAP-7KQ2M9XH4D',
          title: 'Jalan berlubang di Jalan El Tari',
          kind: 'pengaduan',
          status: 'PROSES',
          statusLabel: 'Proses',
          relation: 'holder',
          receivedAt: '2026-11-20T01:15:00.000Z',
          updatedAt: '2026-11-23T03:40:00.000Z',
          version: '4',
        },
      ],
    },
    ErasePersonalDataBody: {
      description: 'Why the reporter’s identity is erased: recorded in the access log with who erased it and when',
      examples: [{ reason: 'Permintaan penghapusan data oleh pelapor melalui surat tanggal 30 November 2026' }],
    },
    ErasureResult: {
      description: 'A reporter’s identity erased (its key destroyed): the complaint stays, without who sent it',
      examples: [{ complaintId: '0b8f6c2e-4d1a-4c3b-9e2f-7a6b5c4d3e2f', erased: true, erasedAt: '2026-12-01T02:00:00.000Z' }],
    },
  },
);
