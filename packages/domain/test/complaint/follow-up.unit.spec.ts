import type { Actor, EnteredVia } from '../../src';
import {
  actors,
  autoClosed,
  command,
  completed,
  disposed,
  FOLLOW_UP_1,
  FOLLOW_UP_2,
  followedUp,
  followUpPosted,
  replied,
  returned,
  spec,
  submitted,
  t,
  uuid,
  verified,
  withDikbud,
} from './fixtures';

const followUp = (actor: Actor, followUpId = FOLLOW_UP_1, at = t(24)) =>
  command('PostFollowUp', actor, at, { followUpId, message: 'Sekolah telah ditegur dan biaya dikembalikan.', attachments: [] });
const REPLY = uuid(301);
/** An admin types in what came by letter unless told otherwise; the reporter names no channel. */
const staffVia = (actor: Actor): EnteredVia | null | undefined => (actor.role === 'reporter' ? undefined : 'letter');
const reply = (actor: Actor, enteredVia = staffVia(actor)) =>
  command('ReplyToFollowUp', actor, t(48), { replyId: REPLY, message: 'Uang belum dikembalikan.', attachments: [], enteredVia });
const autoClose = (lastFollowUpId = FOLLOW_UP_1, actor: Actor = actors.scheduler) => command('CompleteComplaint', actor, t(400), { lastFollowUpId });
const rate = (rating: number, actor: Actor = actors.reporter, enteredVia = staffVia(actor)) =>
  command('RateHandling', actor, t(500), { rating, comment: null, enteredVia });

describe('follow-up (tindak lanjut)', () => {
  it('is posted by the liaison of the unit the complaint was disposed to', () => {
    spec
      .given(withDikbud)
      .when(followUp(actors.liaisonDikbud))
      .then([followUpPosted(FOLLOW_UP_1, actors.liaisonDikbud, t(24))]);
  });

  it('is refused from any other unit, or from the admin above it', () => {
    spec.given(withDikbud).when(followUp(actors.liaisonPupr)).thenThrows('NOT_ASSIGNED_UNIT');
    spec.given(withDikbud).when(followUp(actors.adminNtt)).thenThrows('NOT_ASSIGNED_UNIT');
    spec.given(withDikbud).when(followUp(actors.reporter)).thenThrows('NOT_ASSIGNED_UNIT');
  });

  it('moves with the complaint: after a return the unit that gave it back cannot post', () => {
    const returnedAndRedisposed = [
      ...withDikbud,
      returned('ntt-dikbud', 'pemprov-ntt', actors.liaisonDikbud, t(6)),
      disposed('pemprov-ntt', 'ntt-pupr', actors.adminNtt, t(7)),
    ];
    spec.given(returnedAndRedisposed).when(followUp(actors.liaisonDikbud)).thenThrows('NOT_ASSIGNED_UNIT');
    spec
      .given(returnedAndRedisposed)
      .when(followUp(actors.liaisonPupr))
      .then([followUpPosted(FOLLOW_UP_1, actors.liaisonPupr, t(24))]);
  });

  it('needs the complaint to be at a unit', () => {
    spec.given([submitted(), verified()]).when(followUp(actors.liaisonDikbud)).thenThrows('NOT_DISPOSED');
  });

  it('is posted once per id (a retried request does not post twice)', () => {
    spec.given(followedUp).when(followUp(actors.liaisonDikbud)).thenThrows('DUPLICATE_FOLLOW_UP');
    spec
      .given(followedUp)
      .when(followUp(actors.liaisonDikbud, FOLLOW_UP_2))
      .then([followUpPosted(FOLLOW_UP_2, actors.liaisonDikbud, t(24))]);
  });

  it('ends with completion', () => {
    spec.given(completed).when(followUp(actors.liaisonDikbud, FOLLOW_UP_2)).thenThrows('COMPLAINT_CLOSED');
  });
});

describe('the reporter’s reply', () => {
  it('answers the latest follow-up', () => {
    spec
      .given(followedUp)
      .when(reply(actors.reporter))
      .then([replied(REPLY, FOLLOW_UP_1, actors.reporter, t(48))]);
  });

  it('may be entered by an admin on the reporter’s side: nasional, or the instansi handling it', () => {
    spec
      .given(followedUp)
      .when(reply(actors.adminNasional))
      .then([replied(REPLY, FOLLOW_UP_1, actors.adminNasional, t(48))]);
    spec
      .given(followedUp)
      .when(reply(actors.adminNtt))
      .then([replied(REPLY, FOLLOW_UP_1, actors.adminNtt, t(48))]);
    spec.given(followedUp).when(reply(actors.adminBatam)).thenThrows('OUTSIDE_SCOPE');
  });

  it('is marked with the channel it came by when an admin enters it, and never when the reporter writes', () => {
    spec
      .given(followedUp)
      .when(reply(actors.adminNtt, 'call_centre'))
      .then([replied(REPLY, FOLLOW_UP_1, actors.adminNtt, t(48), 'call_centre')]);
    spec.given(followedUp).when(reply(actors.adminNtt, null)).thenThrows('ENTERED_VIA_REQUIRED');
    spec.given(followedUp).when(reply(actors.reporter, 'letter')).thenThrows('ENTERED_VIA_ONLY_FOR_STAFF');
  });

  it('is not the unit’s (it posts follow-ups) nor another reporter’s', () => {
    spec.given(followedUp).when(reply(actors.liaisonDikbud)).thenThrows('ROLE_NOT_ALLOWED');
    spec.given(followedUp).when(reply(actors.otherReporter)).thenThrows('NOT_REPORTER');
  });

  it('needs a follow-up to reply to', () => {
    spec.given(withDikbud).when(reply(actors.reporter)).thenThrows('NO_FOLLOW_UP');
  });

  it('cannot reopen a completed complaint', () => {
    spec.given(completed).when(reply(actors.reporter)).thenThrows('COMPLAINT_CLOSED');
  });
});

describe('completion (auto-close)', () => {
  it('closes after a follow-up the reporter left unanswered', () => {
    spec
      .given(followedUp)
      .when(autoClose())
      .then([autoClosed(FOLLOW_UP_1, t(400))]);
  });

  it('needs a follow-up from the unit holding the complaint', () => {
    spec.given(withDikbud).when(autoClose()).thenThrows('NO_FOLLOW_UP');
    const handedOn = [...followedUp, disposed('ntt-dikbud', 'ntt-dikbud-sma', actors.liaisonDikbud, t(30))];
    spec.given(handedOn).when(autoClose()).thenThrows('NO_FOLLOW_UP');
  });

  it('waits while a reply is pending: the unit answers first', () => {
    spec
      .given([...followedUp, replied(REPLY, FOLLOW_UP_1, actors.reporter, t(48))])
      .when(autoClose())
      .thenThrows('REPLY_PENDING');
  });

  it('restarts with the next follow-up, so an older timer cannot close early', () => {
    const conversation = [...followedUp, replied(REPLY, FOLLOW_UP_1, actors.reporter, t(48)), followUpPosted(FOLLOW_UP_2, actors.liaisonDikbud, t(72))];
    spec.given(conversation).when(autoClose(FOLLOW_UP_1)).thenThrows('STALE_FOLLOW_UP');
    spec
      .given(conversation)
      .when(autoClose(FOLLOW_UP_2))
      .then([autoClosed(FOLLOW_UP_2, t(400))]);
  });

  it('is the scheduler’s', () => {
    spec.given(followedUp).when(autoClose(FOLLOW_UP_1, actors.adminNtt)).thenThrows('ROLE_NOT_ALLOWED');
  });

  it('happens once', () => {
    spec.given(completed).when(autoClose()).thenThrows('COMPLAINT_CLOSED');
  });
});

describe('rating the handling', () => {
  it('takes 1 to 5 from the reporter once the complaint is Selesai', () => {
    spec
      .given(completed)
      .when(rate(5))
      .then([{ type: 'HandlingRated', schemaVersion: 2, data: { rating: 5, comment: null, enteredVia: null, at: t(500), by: actors.reporter } }]);
  });

  it.each([0, 6, 3.5, -1, Number.NaN])('refuses %p (INVALID_RATING)', (rating) => {
    spec.given(completed).when(rate(rating)).thenThrows('INVALID_RATING');
  });

  it('comes after completion, not before', () => {
    spec.given(followedUp).when(rate(4)).thenThrows('NOT_COMPLETED');
    spec
      .given([
        submitted(),
        { type: 'ComplaintArchived', schemaVersion: 1, data: { reason: 'SPAM', note: null, missingDataRequestId: null, at: t(1), by: actors.adminNasional } },
      ])
      .when(rate(4))
      .thenThrows('NOT_COMPLETED');
  });

  it('comes once', () => {
    const rated = [
      ...completed,
      { type: 'HandlingRated' as const, schemaVersion: 2 as const, data: { rating: 4, comment: null, enteredVia: null, at: t(450), by: actors.reporter } },
    ];
    spec.given(rated).when(rate(5)).thenThrows('ALREADY_RATED');
  });

  it('comes from the reporter alone where the reporter can act', () => {
    spec.given(completed).when(rate(5, actors.otherReporter)).thenThrows('NOT_REPORTER');
    spec.given(completed).when(rate(5, actors.adminNtt)).thenThrows('REPORTER_CAN_ACT');
    spec.given(completed).when(rate(5, actors.liaisonDikbud)).thenThrows('NOT_REPORTER');
  });

  describe('for a reporter who came on paper, in person or by phone (no reporter reference)', () => {
    const onPaper = [submitted({ reporterRef: null, channel: 'letter', by: actors.adminNasional }), ...completed.slice(1)];

    it('is recorded by an admin over the complaint, marked with the channel it came by', () => {
      spec
        .given(onPaper)
        .when(rate(4, actors.adminNtt, 'face_to_face'))
        .then([{ type: 'HandlingRated', schemaVersion: 2, data: { rating: 4, comment: null, enteredVia: 'face_to_face', at: t(500), by: actors.adminNtt } }]);
      spec
        .given(onPaper)
        .when(rate(4, actors.adminNasional, 'call_centre'))
        .then([
          {
            type: 'HandlingRated',
            schemaVersion: 2,
            data: { rating: 4, comment: null, enteredVia: 'call_centre', at: t(500), by: actors.adminNasional },
          },
        ]);
    });

    it('is refused to another instansi’s admin, to a unit, to a reporter and without the channel', () => {
      spec.given(onPaper).when(rate(4, actors.adminBatam)).thenThrows('OUTSIDE_SCOPE');
      spec.given(onPaper).when(rate(4, actors.liaisonDikbud)).thenThrows('NOT_REPORTER');
      spec.given(onPaper).when(rate(5)).thenThrows('NOT_REPORTER');
      spec
        .given(onPaper)
        .when(rate(4, actors.adminNtt, null))
        .thenThrows('ENTERED_VIA_REQUIRED');
    });
  });
});
