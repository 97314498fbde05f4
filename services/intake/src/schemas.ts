import { SubmissionBody } from '@lapor/submission';
import { ComplaintKind, ComplaintStatus, STATUS_LABELS, TrackingId } from '@lapor/domain';
import { AttachmentRef, ReadAfter, nameSchemas, NextCursor, pageCursor, pageLimit } from '@lapor/http-kit';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

export const SubmissionAccepted = z.object({
  complaintId: z.uuid(),
  trackingId: TrackingId,
  status: ComplaintStatus,
  /** Shown once: with the tracking id it lets the reporter act on the complaint. Absent for staff submissions. */
  reporterSecret: z.string().optional(),
  version: z.string(),
  /** True when a system resubmitted an external reference it sent before: the answer is that complaint, as it is now. */
  alreadySubmitted: z.boolean().optional(),
  /** The files sent with it (multipart submissions only), as its event refers to them. */
  attachments: z.array(AttachmentRef).optional(),
});

export const TrackingParams = z.strictObject({ trackingId: z.string().min(1).max(20) });

export const PublicView = z.object({
  trackingId: TrackingId,
  kind: ComplaintKind,
  title: z.string().nullable(),
  status: ComplaintStatus,
  statusLabel: z.enum(Object.values(STATUS_LABELS) as [string, ...string[]]),
  receivedAt: z.string(),
  history: z.array(z.object({ at: z.string(), event: z.string() })),
});

export const ReporterMessage = z.strictObject({ message: text(10_000) });
export const RatingBody = z.strictObject({ rating: z.int().min(1).max(5), comment: text(2_000).optional() });
export const CommandAccepted = z.object({ status: ComplaintStatus, version: z.string(), attachments: z.array(AttachmentRef).optional() });

// ---------------------------------------------------------------------------
// An integrating system's own complaints
// ---------------------------------------------------------------------------

export const SystemComplaintsQuery = z.strictObject({
  status: ComplaintStatus.optional(),
  /** Changed at or after this moment: pass the last `lastChange.at` you saw to pick up what moved since. */
  updatedSince: z.iso.datetime({ offset: true }).optional(),
  /**
   * Read your own write: `<complaintId>:<version>` from a write's answer. The list waits (at most
   * 2 s) until it shows that version, else answers 503 read-model-catching-up.
   */
  readAfter: ReadAfter.optional(),
  /** Where the page starts: the page before's `nextCursor` (or follow the Link header); `page` is the older, numbered way. */
  cursor: pageCursor.optional(),
  /** How many per page, as every list names it; `pageSize` is its older name (limit wins when both are sent). */
  limit: pageLimit(200),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const ExternalReferenceParams = z.strictObject({ externalReference: text(300) });

export const SystemComplaint = z.object({
  /** The system's own ticket id; null when it sent none. */
  externalReference: z.string().nullable(),
  trackingId: TrackingId,
  complaintId: z.uuid(),
  kind: ComplaintKind,
  status: ComplaintStatus,
  statusLabel: z.enum(Object.values(STATUS_LABELS) as [string, ...string[]]),
  receivedAt: z.string(),
  /** The complaint's latest event: when, which (stable English name), and its label where the public has one. */
  lastChange: z.object({ at: z.string(), event: z.string(), label: z.string().nullable() }),
  version: z.string(),
});

export const SystemComplaintList = z.object({
  /** The page number asked for (1 when paging by cursor). */
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  items: z.array(SystemComplaint),
  nextCursor: NextCursor,
});

const SYSTEM_COMPLAINT_EXAMPLE = {
  externalReference: 'SIMPEL-991',
  trackingId: 'LAP-7KQ2M9XH4D',
  complaintId: '0b8f6c2e-4d1a-4c3b-9e2f-7a6b5c4d3e2f',
  kind: 'pengaduan',
  status: 'BELUM_DITINDAKLANJUTI',
  statusLabel: 'Belum Ditindaklanjuti',
  receivedAt: '2026-11-20T01:15:00.000Z',
  lastChange: { at: '2026-11-21T02:00:00.000Z', event: 'ComplaintDisposed', label: 'Didisposisikan ke instansi/unit terkait' },
  version: '2',
};

// The names these shapes have in the API document (components.schemas), for generated clients.
nameSchemas(
  {
    SubmissionBody,
    ReporterCommandAccepted: CommandAccepted,
    SubmissionAccepted,
    PublicView,
    ReporterMessage,
    RatingBody,
    SystemComplaint,
    SystemComplaintList,
  },
  {
    SubmissionAccepted: {
      description: 'A complaint received: its tracking id, and once, the reporter secret that lets the reporter act on it',
      examples: [
        {
          complaintId: '0b8f6c2e-4d1a-4c3b-9e2f-7a6b5c4d3e2f',
          trackingId: 'LAP-7KQ2M9XH4D',
          status: 'BELUM_TERVERIFIKASI',
          reporterSecret: 'q7Zs0Jm2vT9xYkR4aB1cD3eF',
          version: '0',
        },
      ],
    },
    SubmissionBody: {
      description: 'A complaint, aspiration, information request or WBS report as it is submitted',
      examples: [
        {
          kind: 'pengaduan',
          channel: 'web',
          title: 'Jalan berlubang di Jalan Merdeka',
          description: 'Sudah tiga bulan jalan di depan SD Negeri 3 berlubang dan membahayakan pengendara motor.',
          occurredOn: '2026-11-20',
          location: 'Jalan Merdeka, Kota Bandung',
          anonymous: false,
          confidential: false,
        },
      ],
    },
    PublicView: {
      description: 'What anyone with the tracking id sees of a complaint: its status in Bahasa Indonesia and its public history',
      examples: [
        {
          trackingId: 'LAP-7KQ2M9XH4D',
          kind: 'pengaduan',
          title: 'Jalan berlubang di Jalan Merdeka',
          status: 'PROSES',
          statusLabel: 'Proses',
          receivedAt: '2026-11-20T01:15:00.000Z',
          history: [
            { at: '2026-11-20T01:15:00.000Z', event: 'Laporan diterima' },
            { at: '2026-11-21T02:00:00.000Z', event: 'Laporan diverifikasi' },
            { at: '2026-11-23T03:40:00.000Z', event: 'Tindak lanjut' },
          ],
        },
      ],
    },
    ReporterCommandAccepted: {
      description: 'A reporter’s message or rating recorded: where the complaint stands now, and its version',
      examples: [{ status: 'PROSES', version: '5' }],
    },
    SystemComplaintList: {
      description: 'The complaints an integrating system sent, newest first; nextCursor is where the next page starts',
      examples: [{ page: 1, pageSize: 50, total: 1, items: [SYSTEM_COMPLAINT_EXAMPLE], nextCursor: null }],
    },
    SystemComplaint: {
      description: 'A complaint an integrating system sent, as its list shows it: never who reported it',
      examples: [SYSTEM_COMPLAINT_EXAMPLE],
    },
    RatingBody: {
      description: "The reporter's rating of how the complaint was handled (1 to 5)",
      examples: [{ rating: 4, comment: 'Jalan sudah diperbaiki, terima kasih.' }],
    },
    ReporterMessage: {
      description: "A reporter's message: missing data supplied, or a reply to a follow-up",
      examples: [{ message: 'Lokasinya di depan SD Negeri 3, Jalan Merdeka.' }],
    },
  },
);
