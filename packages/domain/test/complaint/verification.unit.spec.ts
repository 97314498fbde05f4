import type { Actor, ComplaintEvent, EnteredVia } from '../../src';
import {
  actors,
  archived,
  attachment,
  command,
  disposed,
  missingDataRequested,
  missingDataSupplied,
  ref,
  spec,
  submitted,
  t,
  uuid,
  verified,
  withDikbud,
  completed,
} from './fixtures';

const verify = (actor: Actor = actors.adminNasional, fields: Partial<{ anonymous: boolean; confidential: boolean }> = {}) =>
  command('VerifyComplaint', actor, t(2), {
    slaClass: 'tanpa_pengawasan',
    category: 'PUNGLI',
    anonymous: false,
    confidential: false,
    note: null,
    ...fields,
  });

const REQUEST = uuid(201);
const tunda = (actor: Actor = actors.adminNasional, requestId = REQUEST) =>
  command('RequestMissingData', actor, t(2), { requestId, message: 'Mohon lampirkan bukti pembayaran.' });
const supply = (actor: Actor = actors.reporter, enteredVia: EnteredVia | null | undefined = actor.role === 'reporter' ? undefined : 'letter') =>
  command('SupplyMissingData', actor, t(30), { message: 'Terlampir kuitansi.', attachments: [attachment('kuitansi')], enteredVia });
const archive = (
  actor: Actor = actors.adminNasional,
  reason: 'SPAM' | 'OTHER' | 'MISSING_DATA_TIMEOUT' = 'SPAM',
  extra: { note?: string | null; missingDataRequestId?: string | null } = {},
) => command('ArchiveComplaint', actor, t(300), { reason, note: null, missingDataRequestId: null, ...extra });
const answer = (actor: Actor = actors.adminNasional) =>
  command('AnswerAspiration', actor, t(4), { answer: 'Terima kasih, usulan diteruskan ke perencanaan 2025.', category: 'PERBAIKAN JALAN' });

describe('verification (Verifikasi)', () => {
  it('records the SLA class, category and protection the holding admin decides', () => {
    spec.given([submitted()]).when(verify()).then([verified()]);
  });

  it('is the holding admin’s decision alone', () => {
    spec.given([submitted()]).when(verify(actors.adminNtt)).thenThrows('NOT_HOLDER');
    spec.given([submitted()]).when(verify(actors.reporter)).thenThrows('NOT_HOLDER');
    spec
      .given([submitted({ addressedTo: ref('pemprov-ntt') })])
      .when(verify(actors.adminNtt))
      .then([verified(actors.adminNtt)]);
  });

  it('happens once', () => {
    spec.given([submitted(), verified()]).when(verify()).thenThrows('ALREADY_VERIFIED');
  });

  it('may add anonymity or confidentiality, never lift what the reporter asked for', () => {
    spec
      .given([submitted()])
      .when(verify(actors.adminNasional, { anonymous: true, confidential: true }))
      .then([verified(actors.adminNasional, t(2), { anonymous: true, confidential: true })]);
    spec
      .given([submitted({ anonymous: true })])
      .when(verify())
      .thenThrows('CANNOT_LOWER_PROTECTION');
    spec
      .given([submitted({ confidential: true })])
      .when(verify(actors.adminNasional, { anonymous: true }))
      .thenThrows('CANNOT_LOWER_PROTECTION');
  });

  it('keeps a whistle-blowing report confidential', () => {
    spec
      .given([submitted({ kind: 'wbs', confidential: true })])
      .when(verify())
      .thenThrows('WBS_MUST_BE_CONFIDENTIAL');
  });

  it('waits while the reporter owes data', () => {
    spec
      .given([submitted(), missingDataRequested(REQUEST, actors.adminNasional, t(1))])
      .when(verify())
      .thenThrows('COMPLAINT_POSTPONED');
  });

  it('takes nothing once the complaint is archived', () => {
    spec
      .given([submitted(), archived(actors.adminNasional, t(1))])
      .when(verify())
      .thenThrows('COMPLAINT_CLOSED');
  });
});

describe('asking for missing data (Tunda)', () => {
  it('postpones the complaint until the reporter answers', () => {
    spec
      .given([submitted()])
      .when(tunda())
      .then([missingDataRequested(REQUEST, actors.adminNasional, t(2))]);
  });

  it('may come from an instansi that received a verified complaint', () => {
    const atNtt: ComplaintEvent[] = [submitted(), verified(), disposed('nasional', 'pemprov-ntt', actors.adminNasional, t(1))];
    spec
      .given(atNtt)
      .when(tunda(actors.adminNtt))
      .then([missingDataRequested(REQUEST, actors.adminNtt, t(2))]);
  });

  it('is asked once at a time', () => {
    spec
      .given([submitted(), missingDataRequested(REQUEST, actors.adminNasional, t(1))])
      .when(tunda())
      .thenThrows('ALREADY_POSTPONED');
  });

  it('is for administrators: a unit asks the reporter in a follow-up', () => {
    spec.given(withDikbud).when(tunda(actors.liaisonDikbud)).thenThrows('ALREADY_WITH_UNIT');
    spec.given([submitted()]).when(tunda(actors.adminBatam)).thenThrows('NOT_HOLDER');
  });
});

describe('supplying missing data', () => {
  const postponed = [submitted(), missingDataRequested(REQUEST, actors.adminNasional, t(1))];

  it('returns the complaint to Belum Terverifikasi, answering the open request', () => {
    spec
      .given(postponed)
      .when(supply())
      .then([missingDataSupplied(REQUEST, actors.reporter, t(30))]);
  });

  it('may be typed in by the holding admin when the data came by letter', () => {
    spec
      .given(postponed)
      .when(supply(actors.adminNasional))
      .then([missingDataSupplied(REQUEST, actors.adminNasional, t(30))]);
  });

  it('is marked with the channel when the admin types it in, and needs one', () => {
    spec
      .given(postponed)
      .when(supply(actors.adminNasional, 'face_to_face'))
      .then([missingDataSupplied(REQUEST, actors.adminNasional, t(30), 'face_to_face')]);
    spec.given(postponed).when(supply(actors.adminNasional, null)).thenThrows('ENTERED_VIA_REQUIRED');
    spec.given(postponed).when(supply(actors.reporter, 'letter')).thenThrows('ENTERED_VIA_ONLY_FOR_STAFF');
  });

  it('comes from this complaint’s reporter or its holding admin only', () => {
    spec.given(postponed).when(supply(actors.otherReporter)).thenThrows('NOT_REPORTER');
    spec.given(postponed).when(supply(actors.adminNtt)).thenThrows('NOT_HOLDER');
    spec.given(postponed).when(supply(actors.liaisonDikbud)).thenThrows('ROLE_NOT_ALLOWED');
  });

  it('needs an open request', () => {
    spec.given([submitted()]).when(supply()).thenThrows('NOT_POSTPONED');
    spec
      .given([...postponed, missingDataSupplied(REQUEST, actors.reporter, t(20))])
      .when(supply())
      .thenThrows('NOT_POSTPONED');
  });
});

describe('archiving (Arsipkan)', () => {
  it('records the reason the holding admin gives', () => {
    spec
      .given([submitted()])
      .when(archive())
      .then([archived(actors.adminNasional, t(300))]);
  });

  it('needs a note when the reason is OTHER', () => {
    spec.given([submitted()]).when(archive(actors.adminNasional, 'OTHER')).thenThrows('NOTE_REQUIRED');
    spec
      .given([submitted()])
      .when(archive(actors.adminNasional, 'OTHER', { note: '   ' }))
      .thenThrows('NOTE_REQUIRED');
    spec
      .given([submitted()])
      .when(archive(actors.adminNasional, 'OTHER', { note: 'Pelapor mencabut laporan' }))
      .then([archived(actors.adminNasional, t(300), { reason: 'OTHER', note: 'Pelapor mencabut laporan' })]);
  });

  it('is not for a unit, which returns what it cannot handle', () => {
    spec.given(withDikbud).when(archive(actors.liaisonDikbud)).thenThrows('ALREADY_WITH_UNIT');
    spec.given(withDikbud).when(archive(actors.adminNtt)).thenThrows('ALREADY_WITH_UNIT');
  });

  it('archives automatically when the reporter leaves the open request unanswered', () => {
    const postponed = [submitted(), missingDataRequested(REQUEST, actors.adminNasional, t(1))];
    spec
      .given(postponed)
      .when(archive(actors.scheduler, 'MISSING_DATA_TIMEOUT', { missingDataRequestId: REQUEST }))
      .then([archived(actors.scheduler, t(300), { reason: 'MISSING_DATA_TIMEOUT', missingDataRequestId: REQUEST })]);
  });

  it('does not let an old timer archive a complaint whose data came and was asked for again', () => {
    const askedAgain = [
      submitted(),
      missingDataRequested(uuid(1), actors.adminNasional, t(1)),
      missingDataSupplied(uuid(1), actors.reporter, t(10)),
      missingDataRequested(uuid(2), actors.adminNasional, t(12)),
    ];
    spec
      .given(askedAgain)
      .when(archive(actors.scheduler, 'MISSING_DATA_TIMEOUT', { missingDataRequestId: uuid(1) }))
      .thenThrows('STALE_REQUEST');
    spec
      .given(askedAgain.slice(0, 3))
      .when(archive(actors.scheduler, 'MISSING_DATA_TIMEOUT', { missingDataRequestId: uuid(1) }))
      .thenThrows('NOT_POSTPONED');
  });

  it('keeps the timeout reason to the scheduler, and the scheduler to that reason', () => {
    const postponed = [submitted(), missingDataRequested(REQUEST, actors.adminNasional, t(1))];
    spec
      .given(postponed)
      .when(archive(actors.adminNasional, 'MISSING_DATA_TIMEOUT', { missingDataRequestId: REQUEST }))
      .thenThrows('ROLE_NOT_ALLOWED');
    spec.given(postponed).when(archive(actors.scheduler, 'SPAM')).thenThrows('ROLE_NOT_ALLOWED');
  });

  it('happens once', () => {
    spec
      .given([submitted(), archived(actors.adminNasional, t(1))])
      .when(archive())
      .thenThrows('COMPLAINT_CLOSED');
    spec.given(completed).when(archive(actors.adminNtt)).thenThrows('COMPLAINT_CLOSED');
  });
});

describe('answering an aspiration directly', () => {
  const aspiration = submitted({ kind: 'aspirasi' });

  it('answers and completes it in one step', () => {
    spec
      .given([aspiration])
      .when(answer())
      .then([
        {
          type: 'AspirationAnswered',
          schemaVersion: 1,
          data: { answer: 'Terima kasih, usulan diteruskan ke perencanaan 2025.', category: 'PERBAIKAN JALAN', at: t(4), by: actors.adminNasional },
        },
        { type: 'ComplaintCompleted', schemaVersion: 1, data: { completion: 'ASPIRATION_ANSWERED', lastFollowUpId: null, at: t(4), by: actors.adminNasional } },
      ]);
  });

  it('is only for aspirations', () => {
    spec.given([submitted()]).when(answer()).thenThrows('NOT_AN_ASPIRATION');
  });

  it('is the holding admin’s to give', () => {
    spec.given([aspiration]).when(answer(actors.adminNtt)).thenThrows('NOT_HOLDER');
    spec
      .given([aspiration, missingDataRequested(REQUEST, actors.adminNasional, t(1))])
      .when(answer())
      .thenThrows('COMPLAINT_POSTPONED');
  });
});
