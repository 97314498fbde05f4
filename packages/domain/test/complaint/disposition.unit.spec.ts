import type { ComplaintEvent, NodeRef } from '../../src';
import { evolve, initialState } from '../../src';
import {
  actors,
  command,
  completed,
  disposed,
  followedUp,
  missingDataRequested,
  ref,
  returned,
  spec,
  submitted,
  t,
  uuid,
  verified,
  withDikbud,
} from './fixtures';

const dispose = (actor: (typeof actors)[keyof typeof actors], to: NodeRef, extra: { tembusan?: string[]; slaClass?: 'informasi_normatif' | null } = {}) =>
  command('DisposeComplaint', actor, t(6), { to, tembusan: [], slaClass: null, note: null, ...extra });
const bukanWewenang = (actor: (typeof actors)[keyof typeof actors], to: NodeRef, reason = 'Bukan kewenangan kami') =>
  command('ReturnComplaint', actor, t(8), { to, reason });

const atNtt: ComplaintEvent[] = [submitted(), verified(), disposed('nasional', 'pemprov-ntt', actors.adminNasional, t(3))];

describe('disposition (disposisi)', () => {
  it('sends a verified complaint from nasional to an instansi', () => {
    spec
      .given([submitted(), verified()])
      .when(dispose(actors.adminNasional, ref('pemprov-ntt')))
      .then([disposed('nasional', 'pemprov-ntt', actors.adminNasional, t(6))]);
  });

  it('sends it on from the instansi to a unit, with copies to other bodies', () => {
    spec
      .given(atNtt)
      .when(dispose(actors.adminNtt, ref('ntt-dikbud'), { tembusan: ['ntt-pupr', 'pemkot-batam'] }))
      .then([disposed('pemprov-ntt', 'ntt-dikbud', actors.adminNtt, t(6), { tembusan: ['ntt-pupr', 'pemkot-batam'] })]);
  });

  it('lets a unit hand it to its sub-unit', () => {
    spec
      .given(withDikbud)
      .when(dispose(actors.liaisonDikbud, ref('ntt-dikbud-sma')))
      .then([disposed('ntt-dikbud', 'ntt-dikbud-sma', actors.liaisonDikbud, t(6))]);
  });

  it('lets the admin who hands it to the unit correct the SLA class', () => {
    spec
      .given(atNtt)
      .when(dispose(actors.adminNtt, ref('ntt-dikbud'), { slaClass: 'informasi_normatif' }))
      .then([disposed('pemprov-ntt', 'ntt-dikbud', actors.adminNtt, t(6), { slaClass: 'informasi_normatif' })]);
  });

  it('never happens before verification', () => {
    spec
      .given([submitted()])
      .when(dispose(actors.adminNasional, ref('pemprov-ntt')))
      .thenThrows('NOT_VERIFIED');
    // naming an SLA class on the disposition does not stand in for verification
    spec
      .given([submitted()])
      .when(dispose(actors.adminNasional, ref('pemprov-ntt'), { slaClass: 'informasi_normatif' }))
      .thenThrows('NOT_VERIFIED');
  });

  it('is done by the holder only', () => {
    spec
      .given([submitted(), verified()])
      .when(dispose(actors.adminNtt, ref('ntt-dikbud')))
      .thenThrows('NOT_HOLDER');
    spec
      .given(atNtt)
      .when(dispose(actors.adminNasional, ref('ntt-dikbud')))
      .thenThrows('NOT_HOLDER');
    spec
      .given(withDikbud)
      .when(dispose(actors.liaisonPupr, ref('ntt-dikbud-sma')))
      .thenThrows('NOT_HOLDER');
  });

  it('goes one level down, to a node directly below the holder', () => {
    spec
      .given([submitted(), verified()])
      .when(dispose(actors.adminNasional, ref('ntt-dikbud')))
      .thenThrows('NOT_DIRECTLY_BELOW');
    spec
      .given(atNtt)
      .when(dispose(actors.adminNtt, ref('batam-diskominfo')))
      .thenThrows('NOT_DIRECTLY_BELOW');
    spec
      .given(atNtt)
      .when(dispose(actors.adminNtt, ref('nasional')))
      .thenThrows('NOT_DIRECTLY_BELOW');
    // facts that contradict the tree's kinds are refused too
    spec
      .given(atNtt)
      .when(dispose(actors.adminNtt, { id: 'x', kind: 'instansi', parentId: 'pemprov-ntt' }))
      .thenThrows('NOT_DIRECTLY_BELOW');
  });

  it('copies other bodies, each once, never the holder or the target', () => {
    spec
      .given(atNtt)
      .when(dispose(actors.adminNtt, ref('ntt-dikbud'), { tembusan: ['ntt-dikbud'] }))
      .thenThrows('INVALID_TEMBUSAN');
    spec
      .given(atNtt)
      .when(dispose(actors.adminNtt, ref('ntt-dikbud'), { tembusan: ['pemprov-ntt'] }))
      .thenThrows('INVALID_TEMBUSAN');
    spec
      .given(atNtt)
      .when(dispose(actors.adminNtt, ref('ntt-dikbud'), { tembusan: ['ntt-pupr', 'ntt-pupr'] }))
      .thenThrows('INVALID_TEMBUSAN');
  });

  it('waits while the reporter owes data, and stops once closed', () => {
    spec
      .given([...atNtt, missingDataRequested(uuid(3), actors.adminNtt, t(4))])
      .when(dispose(actors.adminNtt, ref('ntt-dikbud')))
      .thenThrows('COMPLAINT_POSTPONED');
    spec
      .given(completed)
      .when(dispose(actors.liaisonDikbud, ref('ntt-dikbud-sma')))
      .thenThrows('COMPLAINT_CLOSED');
  });
});

describe('Bukan Wewenang (not our authority)', () => {
  it('returns from a unit to its instansi with the reason', () => {
    spec
      .given(withDikbud)
      .when(bukanWewenang(actors.liaisonDikbud, ref('pemprov-ntt')))
      .then([returned('ntt-dikbud', 'pemprov-ntt', actors.liaisonDikbud, t(8))]);
  });

  it('returns from a unit that already followed up, when it finds out late', () => {
    spec
      .given(followedUp)
      .when(bukanWewenang(actors.liaisonDikbud, ref('pemprov-ntt')))
      .then([returned('ntt-dikbud', 'pemprov-ntt', actors.liaisonDikbud, t(8))]);
  });

  it('returns from an instansi to nasional, even before it verified what was wrongly addressed to it', () => {
    spec
      .given([submitted({ addressedTo: ref('pemprov-ntt') })])
      .when(bukanWewenang(actors.adminNtt, ref('nasional')))
      .then([returned('pemprov-ntt', 'nasional', actors.adminNtt, t(8))]);
  });

  it('returns from a sub-unit to its unit', () => {
    const atSma = [...withDikbud, disposed('ntt-dikbud', 'ntt-dikbud-sma', actors.liaisonDikbud, t(6))];
    spec
      .given(atSma)
      .when(bukanWewenang(actors.liaisonSma, ref('ntt-dikbud')))
      .then([returned('ntt-dikbud-sma', 'ntt-dikbud', actors.liaisonSma, t(8))]);
  });

  it('can be disposed again after a return, to another unit', () => {
    spec
      .given([...withDikbud, returned('ntt-dikbud', 'pemprov-ntt', actors.liaisonDikbud, t(6))])
      .when(dispose(actors.adminNtt, ref('ntt-pupr')))
      .then([disposed('pemprov-ntt', 'ntt-pupr', actors.adminNtt, t(6))]);
  });

  it('goes exactly one level up', () => {
    spec
      .given(withDikbud)
      .when(bukanWewenang(actors.liaisonDikbud, ref('nasional')))
      .thenThrows('NOT_PARENT');
    spec
      .given(withDikbud)
      .when(bukanWewenang(actors.liaisonDikbud, ref('pemkot-batam')))
      .thenThrows('NOT_PARENT');
  });

  it('has nowhere to go from nasional', () => {
    spec
      .given([submitted()])
      .when(bukanWewenang(actors.adminNasional, ref('nasional')))
      .thenThrows('AT_TOP_LEVEL');
  });

  it('is said by the holder, with a reason', () => {
    spec
      .given(withDikbud)
      .when(bukanWewenang(actors.adminNtt, ref('nasional')))
      .thenThrows('NOT_HOLDER');
    spec
      .given(withDikbud)
      .when(bukanWewenang(actors.liaisonPupr, ref('pemprov-ntt')))
      .thenThrows('NOT_HOLDER');
    spec
      .given(withDikbud)
      .when(bukanWewenang(actors.liaisonDikbud, ref('pemprov-ntt'), '  '))
      .thenThrows('REASON_REQUIRED');
  });

  it('is not possible once closed', () => {
    spec
      .given(completed)
      .when(bukanWewenang(actors.liaisonDikbud, ref('pemprov-ntt')))
      .thenThrows('COMPLAINT_CLOSED');
  });
});

describe('the hop history an officer reads', () => {
  it('keeps every disposition and return, and who holds the complaint now', () => {
    const history = [
      ...withDikbud,
      returned('ntt-dikbud', 'pemprov-ntt', actors.liaisonDikbud, t(7), 'Urusan SMA ada di bidang lain'),
      returned('pemprov-ntt', 'nasional', actors.adminNtt, t(8), 'Bukan urusan provinsi'),
      disposed('nasional', 'pemkot-batam', actors.adminNasional, t(9), { tembusan: ['pemprov-ntt'] }),
      disposed('pemkot-batam', 'batam-diskominfo', actors.adminBatam, t(10)),
    ];
    const state = history.reduce(evolve, initialState());
    if (!state.submitted) throw new Error('expected a complaint');

    expect(state.hops.map((h) => [h.type, h.from, h.to])).toEqual([
      ['disposition', 'nasional', 'pemprov-ntt'],
      ['disposition', 'pemprov-ntt', 'ntt-dikbud'],
      ['return', 'ntt-dikbud', 'pemprov-ntt'],
      ['return', 'pemprov-ntt', 'nasional'],
      ['disposition', 'nasional', 'pemkot-batam'],
      ['disposition', 'pemkot-batam', 'batam-diskominfo'],
    ]);
    expect(state.hops[2]?.reason).toBe('Urusan SMA ada di bidang lain');
    expect(state.holder.id).toBe('batam-diskominfo');
    expect(state.assignedUnit?.id).toBe('batam-diskominfo');
    expect(state.instansiId).toBe('pemkot-batam');
    expect(state.tembusan).toEqual(['pemprov-ntt']);
    expect(state.status).toBe('BELUM_DITINDAKLANJUTI');
    expect(state.assignedAt).toBe(t(10));
  });
});
