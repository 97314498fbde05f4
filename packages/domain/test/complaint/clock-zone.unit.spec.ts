import { clockZoneOf, complaintDecider, receivedZoneOf, type Complaint, type ComplaintEvent } from '../../src';
import { actors, disposed, missingDataRequested, submitted, t, tree, uuid, verified, withDikbud } from './fixtures';

// Which zone a clock counts in, for a complaint that came in at Admin Nasional's door (WIB) and is
// handled in NTT (WITA): the scheduler and the statistics both ask here.

const fold = (events: ComplaintEvent[]): Complaint => {
  const state = events.reduce(complaintDecider.evolve, complaintDecider.initialState());
  if (!state.submitted) throw new Error('not submitted');
  return state;
};

describe('the zone a complaint clock counts in', () => {
  it('given a complaint at the national door handled by an NTT unit, then verification counts at the door (WIB) and the unit’s stages in NTT (WITA)', () => {
    const complaint = fold(withDikbud);
    expect(clockZoneOf(complaint, 'verification', tree)).toBe('Asia/Jakarta');
    expect(clockZoneOf(complaint, 'first_follow_up', tree)).toBe('Asia/Makassar');
    expect(clockZoneOf(complaint, 'completion', tree)).toBe('Asia/Makassar');
    expect(clockZoneOf(complaint, 'quiet_after_follow_up', tree)).toBe('Asia/Makassar');
  });

  it('given a complaint addressed to Kota Batam (WIB) and postponed there, then its missing-data clock counts in WIB', () => {
    const complaint = fold([submitted({ addressedTo: tree.nodeRef('pemkot-batam') }), missingDataRequested(uuid(7), actors.adminNasional, t(2))]);
    expect(clockZoneOf(complaint, 'missing_data', tree)).toBe('Asia/Jakarta');
  });

  it('given a complaint inside NTT but not yet at a unit, then the unit’s clocks would count in NTT’s zone', () => {
    const complaint = fold([submitted(), verified(), disposed('nasional', 'pemprov-ntt', actors.adminNasional, t(3))]);
    expect(clockZoneOf(complaint, 'first_follow_up', tree)).toBe('Asia/Makassar');
    expect(clockZoneOf(complaint, 'missing_data', tree)).toBe('Asia/Makassar');
  });

  it('given any complaint, then the date it is counted in for a period is its door’s, whoever handles it later', () => {
    expect(receivedZoneOf(fold(withDikbud), tree)).toBe('Asia/Jakarta');
    expect(receivedZoneOf(fold([submitted({ addressedTo: tree.nodeRef('pemprov-ntt') })]), tree)).toBe('Asia/Makassar');
  });
});
