import { buildOrganisationTree, complaintDecider, type ComplaintEvent, type ComplaintState } from '@lapor/domain';
import { concernedNodes, subscriberNodes } from '../src/scope';
import { sampleEvents } from './samples';

const tree = buildOrganisationTree([
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: 'pemprov-ntt', name: 'Pemerintah Provinsi NTT', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'ntt-pupr', name: 'Dinas PUPR', parentId: 'pemprov-ntt' },
  { kind: 'instansi', id: 'pemkab-sikka', name: 'Pemerintah Kabupaten Sikka', parentId: 'nasional', timeZone: 'Asia/Makassar' },
]);
const fold = (events: ComplaintEvent[]): ComplaintState => events.reduce(complaintDecider.evolve, complaintDecider.initialState());
const [submitted] = sampleEvents();
const returned = sampleEvents().find((event) => event.type === 'ComplaintReturned')!;

describe('whose business an event is', () => {
  it('given a complaint that came in by an instansi’s door, then it concerns that instansi and, above it, nasional', () => {
    const after = fold([submitted!]);
    expect(concernedNodes(complaintDecider.initialState(), after)).toEqual(['pemprov-ntt']);
    expect(subscriberNodes(tree, ['pemprov-ntt']).sort()).toEqual(['nasional', 'pemprov-ntt']);
  });

  it('given the instansi sends it back up (Bukan Wewenang), then that event still concerns the instansi', () => {
    const before = fold([submitted!]);
    const after = complaintDecider.evolve(before, returned);
    if (!after.submitted) throw new Error('submitted');
    expect(after.instansiId).toBeNull();
    expect(concernedNodes(before, after)).toContain('pemprov-ntt');
  });

  it('never concerns another instansi', () => {
    const after = fold([submitted!]);
    expect(subscriberNodes(tree, concernedNodes(complaintDecider.initialState(), after))).not.toContain('pemkab-sikka');
  });
});
