import type { Actor, ComplaintEvent } from '../../src';
import { evolve, initialState } from '../../src';
import { actors, command, completed, followedUp, ref, spec, submitted, t, withDikbud } from './fixtures';

// A restructuring's hand-over: the unit holding the complaint was merged into Dinas PUPR (or split,
// PUPR its heir). The successor takes the complaint where it stood.

const SUCCESSIONS: Actor = { role: 'system', id: 'organisation-successions', nodeId: null };
const handOver = (actor: Actor = SUCCESSIONS, from = 'ntt-dikbud', to = 'ntt-pupr', toInstansiId = 'pemprov-ntt') =>
  command('HandOverToSuccessor', actor, t(30), { from, to: ref(to), toInstansiId, reason: 'MERGE' });
const handedOver: ComplaintEvent = {
  type: 'ComplaintHandedOver',
  schemaVersion: 1,
  data: { from: ref('ntt-dikbud'), to: ref('ntt-pupr'), reason: 'MERGE', at: t(30), by: SUCCESSIONS },
};

describe('a hand-over to the successor of a restructured unit', () => {
  it('moves the complaint to the successor', () => {
    spec.given(followedUp).when(handOver()).then([handedOver]);
  });

  it('keeps its status, follow-ups and the clock the unit received it on; the successor’s liaison answers for it', () => {
    const before = [...followedUp].reduce(evolve, initialState());
    const after = [...followedUp, handedOver].reduce(evolve, initialState());
    if (!before.submitted || !after.submitted) throw new Error('not submitted');
    expect(after).toMatchObject({ holder: { id: 'ntt-pupr' }, assignedUnit: { id: 'ntt-pupr' }, status: 'PROSES', assignedAt: before.assignedAt });
    expect(after.followUps).toEqual(before.followUps);
    expect(after.hops.at(-1)).toMatchObject({ type: 'succession', from: 'ntt-dikbud', to: 'ntt-pupr' });
    spec
      .given([...followedUp, handedOver])
      .when(command('PostFollowUp', actors.liaisonPupr, t(40), { followUpId: '00000000-0000-4000-8000-000000000777', message: 'Ditangani', attachments: [] }))
      .then([
        {
          type: 'FollowUpPosted',
          schemaVersion: 2,
          data: {
            followUpId: '00000000-0000-4000-8000-000000000777',
            unitId: 'ntt-pupr',
            message: 'Ditangani',
            attachments: [],
            at: t(40),
            by: actors.liaisonPupr,
          },
        },
      ]);
  });

  it('is the system’s alone, for a complaint still with the restructured unit, to a unit of its instansi, while it is open', () => {
    spec.given(withDikbud).when(handOver(actors.adminNtt)).thenThrows('ROLE_NOT_ALLOWED');
    spec
      .given([...withDikbud, handedOver])
      .when(handOver())
      .thenThrows('NOT_HOLDER');
    spec
      .given(withDikbud)
      .when(handOver(SUCCESSIONS, 'ntt-dikbud', 'batam-diskominfo', 'pemkot-batam'))
      .thenThrows('INVALID_SUCCESSOR');
    spec
      .given(withDikbud)
      .when(handOver(SUCCESSIONS, 'ntt-dikbud', 'pemprov-ntt'))
      .thenThrows('INVALID_SUCCESSOR');
    spec.given(completed).when(handOver()).thenThrows('COMPLAINT_CLOSED');
  });

  it('is refused for a complaint its instansi still holds: only units are restructured, so nothing unverified reaches one', () => {
    const atInstansi = [submitted({ addressedTo: ref('pemprov-ntt') })];
    spec
      .given(atInstansi)
      .when(handOver(SUCCESSIONS, 'pemprov-ntt', 'ntt-dikbud'))
      .thenThrows('INVALID_SUCCESSOR');
    spec
      .given(withDikbud.slice(0, 3))
      .when(handOver(SUCCESSIONS, 'pemprov-ntt', 'ntt-dikbud'))
      .thenThrows('INVALID_SUCCESSOR');
  });
});
