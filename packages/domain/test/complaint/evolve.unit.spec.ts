import type { Complaint, ComplaintEvent, ComplaintState } from '../../src';
import { evolve, initialState, STATUS_LABELS } from '../../src';
import {
  actors,
  autoClosed,
  disposed,
  FOLLOW_UP_1,
  FOLLOW_UP_2,
  followUpPosted,
  missingDataRequested,
  missingDataSupplied,
  replied,
  returned,
  submitted,
  t,
  uuid,
  verified,
} from './fixtures';

const replay = (events: ComplaintEvent[]): Complaint => {
  const state: ComplaintState = events.reduce(evolve, initialState());
  if (!state.submitted) throw new Error('expected a submitted complaint');
  return state;
};

/** The status column an officer sees after each event of a complaint's life. */
const statusesAlong = (events: ComplaintEvent[]): string[] => events.map((_, i) => STATUS_LABELS[replay(events.slice(0, i + 1)).status]);

describe('the status an officer sees', () => {
  it('follows a complaint from receipt through Tunda, disposition, follow-up and auto-close', () => {
    const life = [
      submitted(),
      missingDataRequested(uuid(1), actors.adminNasional, t(1)),
      missingDataSupplied(uuid(1), actors.reporter, t(20)),
      verified(actors.adminNasional, t(22)),
      disposed('nasional', 'pemprov-ntt', actors.adminNasional, t(23)),
      disposed('pemprov-ntt', 'ntt-dikbud', actors.adminNtt, t(25)),
      followUpPosted(FOLLOW_UP_1, actors.liaisonDikbud, t(40)),
      replied(uuid(2), FOLLOW_UP_1, actors.reporter, t(50)),
      followUpPosted(FOLLOW_UP_2, actors.liaisonDikbud, t(60)),
      autoClosed(FOLLOW_UP_2, t(300)),
    ];
    expect(statusesAlong(life)).toEqual([
      'Belum Terverifikasi',
      'Tunda',
      'Belum Terverifikasi',
      'Belum Terverifikasi',
      'Belum Terverifikasi',
      'Belum Ditindaklanjuti',
      'Proses',
      'Proses',
      'Proses',
      'Selesai',
    ]);
  });

  it('goes back to Belum Ditindaklanjuti when a unit hands the complaint on, and to the admin on a return', () => {
    const life = [
      submitted(),
      verified(),
      disposed('nasional', 'pemprov-ntt', actors.adminNasional, t(3)),
      disposed('pemprov-ntt', 'ntt-dikbud', actors.adminNtt, t(5)),
      followUpPosted(FOLLOW_UP_1, actors.liaisonDikbud, t(6)),
      disposed('ntt-dikbud', 'ntt-dikbud-sma', actors.liaisonDikbud, t(7)),
      returned('ntt-dikbud-sma', 'ntt-dikbud', actors.liaisonSma, t(8)),
      returned('ntt-dikbud', 'pemprov-ntt', actors.liaisonDikbud, t(9)),
    ];
    expect(statusesAlong(life).slice(3)).toEqual(['Belum Ditindaklanjuti', 'Proses', 'Belum Ditindaklanjuti', 'Belum Ditindaklanjuti', 'Belum Terverifikasi']);
    const final = replay(life);
    expect(final.assignedUnit).toBeNull();
    expect(final.holder.id).toBe('pemprov-ntt');
    expect(final.followUps).toHaveLength(1); // history is kept, the new holder starts afresh
    expect(final.lastFollowUp).toBeNull();
  });
});

describe('the moments statistics read', () => {
  it('keeps receipt, verification, disposition, first follow-up and completion times', () => {
    const state = replay([
      submitted(),
      verified(actors.adminNasional, t(2)),
      disposed('nasional', 'pemprov-ntt', actors.adminNasional, t(3)),
      disposed('pemprov-ntt', 'ntt-dikbud', actors.adminNtt, t(5)),
      followUpPosted(FOLLOW_UP_1, actors.liaisonDikbud, t(24)),
      followUpPosted(FOLLOW_UP_2, actors.liaisonDikbud, t(30)),
      autoClosed(FOLLOW_UP_2, t(300)),
    ]);
    expect(state).toMatchObject({
      receivedAt: t(0),
      verifiedAt: t(2),
      verificationDecidedAt: t(2),
      verificationDecidedBy: 'nasional',
      assignedAt: t(5),
      firstFollowUpAt: t(24),
      completedAt: t(300),
      slaClass: 'tanpa_pengawasan',
      category: 'PUNGLI',
    });
  });

  it('counts Tunda as the verification decision (RV), not the later verification', () => {
    const state = replay([
      submitted(),
      missingDataRequested(uuid(1), actors.adminNasional, t(1)),
      missingDataSupplied(uuid(1), actors.reporter, t(20)),
      verified(actors.adminNasional, t(22)),
    ]);
    expect(state.verificationDecidedAt).toBe(t(1));
    expect(state.verifiedAt).toBe(t(22));
  });
});

describe('evolve on a stream that does not start with a submission', () => {
  it('leaves the empty state alone rather than invent a complaint', () => {
    expect(evolve(initialState(), verified())).toEqual(initialState());
  });

  it('does not let a second submission overwrite the first', () => {
    const first = replay([submitted()]);
    expect(evolve(first, submitted({ title: 'Lain' }))).toBe(first);
  });
});
