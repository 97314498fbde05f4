import { DeciderSpecification } from '@lapor/testing';
import { buildOrganisationTree, complaintDecider } from '../../src';
import type {
  Actor,
  AttachmentRef,
  EnteredVia,
  ComplaintArchived,
  ComplaintCommand,
  ComplaintCompleted,
  ComplaintDisposed,
  ComplaintEvent,
  ComplaintReturned,
  ComplaintSubmitted,
  ComplaintVerified,
  FollowUpPosted,
  MissingDataRequested,
  MissingDataSupplied,
  NodeRef,
  OrganisationNode,
  ReporterReplied,
} from '../../src';

// A small piece of the real tree: one province in WITA with two dinas and a bidang under
// one of them, and a city in WIB.

export const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null },
  { kind: 'instansi', id: 'pemprov-ntt', name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'ntt-dikbud', name: 'Dinas Pendidikan dan Kebudayaan Provinsi NTT', parentId: 'pemprov-ntt' },
  { kind: 'subunit', id: 'ntt-dikbud-sma', name: 'Bidang Pembinaan SMA', parentId: 'ntt-dikbud' },
  { kind: 'unit', id: 'ntt-pupr', name: 'Dinas Pekerjaan Umum dan Perumahan Rakyat Provinsi NTT', parentId: 'pemprov-ntt' },
  { kind: 'instansi', id: 'pemkot-batam', name: 'Pemerintah Kota Batam', parentId: 'nasional', timeZone: 'Asia/Jakarta' },
  { kind: 'unit', id: 'batam-diskominfo', name: 'Dinas Komunikasi dan Informatika Kota Batam', parentId: 'pemkot-batam' },
];

export const tree = buildOrganisationTree(NODES);
export const ref = (nodeId: string): NodeRef => tree.nodeRef(nodeId);

export const actors = {
  reporter: { role: 'reporter', id: 'akun-7f3a', nodeId: null },
  otherReporter: { role: 'reporter', id: 'akun-99b1', nodeId: null },
  adminNasional: { role: 'admin_nasional', id: 'admin-nas-1', nodeId: 'nasional' },
  adminNtt: { role: 'admin_instansi', id: 'admin-ntt-1', nodeId: 'pemprov-ntt' },
  adminBatam: { role: 'admin_instansi', id: 'admin-batam-1', nodeId: 'pemkot-batam' },
  liaisonDikbud: { role: 'liaison', id: 'pp-dikbud-1', nodeId: 'ntt-dikbud' },
  liaisonSma: { role: 'liaison', id: 'pp-sma-1', nodeId: 'ntt-dikbud-sma' },
  liaisonPupr: { role: 'liaison', id: 'pp-pupr-1', nodeId: 'ntt-pupr' },
  liaisonBatam: { role: 'liaison', id: 'pp-batam-1', nodeId: 'batam-diskominfo' },
  scheduler: { role: 'system', id: 'scheduler', nodeId: null },
  smsGateway: { role: 'integration', id: 'sms-1708', nodeId: null },
  nttSystem: { role: 'integration', id: 'ntt-aduan', nodeId: 'pemprov-ntt' },
} as const satisfies Record<string, Actor>;

export const COMPLAINT_ID = '0190f5a2-7c1e-7a3b-9d4e-2f6a8b0c1d2e';
export const TRACKING_ID = 'LAP-7KQ2M9XH4D';
export const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const START = Date.parse('2024-03-04T01:00:00.000Z'); // Monday 09:00 WITA
/** An instant `hours` after the complaint arrived. */
export const t = (hours: number): string => new Date(START + hours * 3_600_000).toISOString();

export const spec = DeciderSpecification.for(complaintDecider);

// ---------------------------------------------------------------------------
// Events, as the store would hold them
// ---------------------------------------------------------------------------

/** A file as a command carries it and its event names it. */
export const attachment = (id: string, name = `${id}.pdf`): AttachmentRef => ({
  id,
  name,
  mediaType: 'application/pdf',
  size: 48_213,
  sha256: 'ab'.repeat(32),
});

export const submitted = (data: Partial<ComplaintSubmitted['data']> = {}): ComplaintSubmitted => ({
  type: 'ComplaintSubmitted',
  schemaVersion: 2,
  data: {
    complaintId: COMPLAINT_ID,
    trackingId: TRACKING_ID,
    kind: 'pengaduan',
    channel: 'web',
    title: 'Pungutan liar pendaftaran ulang SMA',
    description: 'Sekolah meminta biaya daftar ulang Rp 500.000 tanpa dasar aturan.',
    occurredOn: '2024-02-28',
    location: 'Kupang',
    attachments: [attachment('lampiran-1')],
    addressedTo: ref('nasional'),
    reporter: { sealed: 'c2VhbGVk', keyId: 'key-2024-01' },
    reporterRef: actors.reporter.id,
    anonymous: false,
    confidential: false,
    externalReference: null,
    at: t(0),
    by: actors.reporter,
    ...data,
  },
});

export const verified = (by: Actor = actors.adminNasional, at = t(2), data: Partial<ComplaintVerified['data']> = {}): ComplaintVerified => ({
  type: 'ComplaintVerified',
  schemaVersion: 1,
  data: { slaClass: 'tanpa_pengawasan', category: 'PUNGLI', anonymous: false, confidential: false, note: null, at, by, ...data },
});

export const disposed = (from: string, to: string, by: Actor, at: string, data: Partial<ComplaintDisposed['data']> = {}): ComplaintDisposed => ({
  type: 'ComplaintDisposed',
  schemaVersion: 1,
  data: { from: ref(from), to: ref(to), tembusan: [], slaClass: 'tanpa_pengawasan', note: null, at, by, ...data },
});

export const returned = (from: string, to: string, by: Actor, at: string, reason = 'Bukan kewenangan kami'): ComplaintReturned => ({
  type: 'ComplaintReturned',
  schemaVersion: 1,
  data: { from: ref(from), to: ref(to), reason, at, by },
});

export const followUpPosted = (followUpId: string, by: Actor, at: string): FollowUpPosted => ({
  type: 'FollowUpPosted',
  schemaVersion: 2,
  data: { followUpId, unitId: by.nodeId ?? 'unknown', message: 'Sekolah telah ditegur dan biaya dikembalikan.', attachments: [], at, by },
});

/** `enteredVia` is the channel an admin names when typing in the reporter's words; null when the reporter acts. */
const viaOf = (by: Actor, enteredVia?: EnteredVia | null): EnteredVia | null => enteredVia ?? (by.role === 'reporter' ? null : 'letter');

export const replied = (replyId: string, followUpId: string, by: Actor, at: string, enteredVia?: EnteredVia | null): ReporterReplied => ({
  type: 'ReporterReplied',
  schemaVersion: 2,
  data: { replyId, followUpId, message: 'Uang belum dikembalikan.', attachments: [], enteredVia: viaOf(by, enteredVia), at, by },
});

export const missingDataRequested = (requestId: string, by: Actor, at: string): MissingDataRequested => ({
  type: 'MissingDataRequested',
  schemaVersion: 1,
  data: { requestId, message: 'Mohon lampirkan bukti pembayaran.', at, by },
});

export const missingDataSupplied = (requestId: string, by: Actor, at: string, enteredVia?: EnteredVia | null): MissingDataSupplied => ({
  type: 'MissingDataSupplied',
  schemaVersion: 2,
  data: { requestId, message: 'Terlampir kuitansi.', attachments: [attachment('kuitansi')], enteredVia: viaOf(by, enteredVia), at, by },
});

export const archived = (by: Actor, at: string, data: Partial<ComplaintArchived['data']> = {}): ComplaintArchived => ({
  type: 'ComplaintArchived',
  schemaVersion: 1,
  data: { reason: 'SPAM', note: null, missingDataRequestId: null, at, by, ...data },
});

export const autoClosed = (lastFollowUpId: string, at: string): ComplaintCompleted => ({
  type: 'ComplaintCompleted',
  schemaVersion: 1,
  data: { completion: 'AUTO_CLOSE', lastFollowUpId, at, by: actors.scheduler },
});

/** Submitted nationally, verified, disposed to Pemprov NTT and on to its Dinas Pendidikan. */
export const withDikbud: ComplaintEvent[] = [
  submitted(),
  verified(),
  disposed('nasional', 'pemprov-ntt', actors.adminNasional, t(3)),
  disposed('pemprov-ntt', 'ntt-dikbud', actors.adminNtt, t(5)),
];

export const FOLLOW_UP_1 = uuid(101);
export const FOLLOW_UP_2 = uuid(102);

export const followedUp: ComplaintEvent[] = [...withDikbud, followUpPosted(FOLLOW_UP_1, actors.liaisonDikbud, t(24))];

export const completed: ComplaintEvent[] = [...followedUp, autoClosed(FOLLOW_UP_1, t(400))];

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

type CommandOf<T extends ComplaintCommand['type']> = Extract<ComplaintCommand, { type: T }>;

/** A command for this complaint, asked by `actor` at `now`. */
export const command = <T extends ComplaintCommand['type']>(
  type: T,
  actor: Actor,
  now: string,
  data: Omit<CommandOf<T>['data'], 'complaintId'>,
): CommandOf<T> => ({ type, data: { complaintId: COMPLAINT_ID, ...data }, metadata: { now, actor } }) as unknown as CommandOf<T>;

export const submitCommand = (actor: Actor, data: Partial<CommandOf<'SubmitComplaint'>['data']> = {}): CommandOf<'SubmitComplaint'> => {
  const { at: _at, by: _by, complaintId: _id, ...fields } = submitted().data;
  return command('SubmitComplaint', actor, t(0), { ...fields, attachments: [attachment('lampiran-1')], reporterRef: null, ...data });
};
