import { DomainError } from '../../src';
import { actors, COMPLAINT_ID, ref, spec, submitCommand, submitted, t, uuid, verified, command } from './fixtures';

describe('submitting a complaint', () => {
  it('records a complaint a reporter sends on the web, addressed nationally', () => {
    spec.given([]).when(submitCommand(actors.reporter)).then([submitted()]);
  });

  it('recognises the reporter later by their own account, whatever the command says', () => {
    spec
      .given([])
      .when(submitCommand(actors.reporter, { reporterRef: actors.reporter.id }))
      .then([submitted({ reporterRef: actors.reporter.id })]);
    spec
      .given([])
      .when(submitCommand(actors.reporter, { reporterRef: actors.otherReporter.id }))
      .thenThrows('NOT_REPORTER');
  });

  it('lets an admin instansi type in a letter addressed to its own instansi', () => {
    const letter = { channel: 'letter', addressedTo: ref('pemprov-ntt'), reporterRef: null, externalReference: '800/123/DISKOMINFO' } as const;
    spec
      .given([])
      .when(submitCommand(actors.adminNtt, letter))
      .then([submitted({ ...letter, by: actors.adminNtt })]);
  });

  it('does not let an admin instansi file a complaint at another instansi', () => {
    spec
      .given([])
      .when(submitCommand(actors.adminNtt, { channel: 'call_centre', addressedTo: ref('pemkot-batam') }))
      .thenThrows('OUTSIDE_SCOPE');
  });

  it('lets the national admin type in a face-to-face complaint for any instansi', () => {
    const visit = { channel: 'face_to_face', addressedTo: ref('pemkot-batam') } as const;
    spec
      .given([])
      .when(submitCommand(actors.adminNasional, visit))
      .then([submitted({ ...visit, reporterRef: null, by: actors.adminNasional })]);
  });

  it('takes SMS 1708 from the gateway, with the reporter reference the gateway derived', () => {
    const sms = { channel: 'sms_1708', reporterRef: 'sms-ref-62812', reporter: null } as const;
    spec
      .given([])
      .when(submitCommand(actors.smsGateway, sms))
      .then([submitted({ ...sms, by: actors.smsGateway })]);
  });

  it('lets an agency system post only to its own instansi', () => {
    spec
      .given([])
      .when(submitCommand(actors.nttSystem, { channel: 'integration', addressedTo: ref('pemprov-ntt') }))
      .then([submitted({ channel: 'integration', addressedTo: ref('pemprov-ntt'), reporterRef: null, by: actors.nttSystem })]);
    spec
      .given([])
      .when(submitCommand(actors.nttSystem, { channel: 'integration', addressedTo: ref('nasional') }))
      .thenThrows('OUTSIDE_SCOPE');
  });

  it.each([
    ['a reporter typing a letter', actors.reporter, 'letter'],
    ['a unit liaison on the web', actors.liaisonDikbud, 'web'],
    ['an admin faking a web submission', actors.adminNasional, 'web'],
    ['the scheduler', actors.scheduler, 'email'],
    ['the SMS gateway claiming a call', actors.smsGateway, 'call_centre'],
  ] as const)('refuses %s (CHANNEL_NOT_ALLOWED)', (_, actor, channel) => {
    spec.given([]).when(submitCommand(actor, { channel })).thenThrows(DomainError, 'CHANNEL_NOT_ALLOWED');
  });

  it('is addressed to nasional or an instansi, never straight to a unit', () => {
    spec
      .given([])
      .when(submitCommand(actors.reporter, { addressedTo: ref('ntt-dikbud') }))
      .thenThrows('INVALID_ADDRESSEE');
  });

  it('needs a well-formed tracking id', () => {
    spec
      .given([])
      .when(submitCommand(actors.reporter, { trackingId: 'LAP-0000000000' }))
      .thenThrows('INVALID_TRACKING_ID');
  });

  it('keeps a whistle-blowing report confidential', () => {
    spec
      .given([])
      .when(submitCommand(actors.reporter, { kind: 'wbs', confidential: false }))
      .thenThrows('WBS_MUST_BE_CONFIDENTIAL');
    spec
      .given([])
      .when(submitCommand(actors.reporter, { kind: 'wbs', confidential: true, anonymous: true }))
      .then([submitted({ kind: 'wbs', confidential: true, anonymous: true })]);
  });

  it('happens once per complaint id', () => {
    spec.given([submitted()]).when(submitCommand(actors.reporter)).thenThrows('ALREADY_SUBMITTED');
  });
});

describe('any command but submission', () => {
  it('needs a submitted complaint', () => {
    spec
      .given([])
      .when(
        command('VerifyComplaint', actors.adminNasional, t(1), {
          slaClass: 'informasi_normatif',
          category: 'X',
          anonymous: false,
          confidential: false,
          note: null,
        }),
      )
      .thenThrows('COMPLAINT_NOT_FOUND');
  });

  it('must name the complaint that was loaded', () => {
    const verify = command('VerifyComplaint', actors.adminNasional, t(1), {
      slaClass: 'informasi_normatif',
      category: 'X',
      anonymous: false,
      confidential: false,
      note: null,
    });
    spec
      .given([submitted()])
      .when({ ...verify, data: { ...verify.data, complaintId: uuid(9) } })
      .thenThrows('COMPLAINT_MISMATCH');
    expect(verify.data.complaintId).toBe(COMPLAINT_ID);
    spec
      .given([submitted()])
      .when(verify)
      .then([verified(actors.adminNasional, t(1), { slaClass: 'informasi_normatif', category: 'X' })]);
  });
});
