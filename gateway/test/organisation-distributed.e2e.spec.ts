import { complaintStream } from '@lapor/domain';
import type { Stores } from '@lapor/http-kit';
import { NTT_ID } from '../src/seed/demo-organisation';
import { startDistributedSet, type DistributedSet } from './support/distributed-set';
import { readUntil } from './support/eventually';
import type { HttpClient } from './support/http';

const PASSWORD = 'organisation-pw';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const JWT_SECRET = 'organisation-secret-organisation-secret';
// follow-up is forwarded to but never called here: its read side needs Kafka, which this test does not
const SPAWNED = ['intake', 'verification', 'disposition', 'administration'] as const;

// A unit created through the gateway (forwarded to the administration service, a process of its
// own) is at once a node the disposition service, another process started before it existed,
// disposes to: nobody restarts anything.
describe('a change to the organisation reaches every service without a restart', () => {
  let set: DistributedSet;
  let stores: Stores;
  let http: HttpClient;

  beforeAll(async () => {
    set = await startDistributedSet({ label: 'organisation', password: PASSWORD, jwtSecret: JWT_SECRET, spawned: SPAWNED, unstarted: ['follow-up'] });
    ({ stores, http } = set);
  });
  afterAll(() => set?.close());

  it('disposes a complaint to a unit created a moment before, on the disposition service', async () => {
    const admin = { token: await http.token('admin-ntt', PASSWORD) };
    const submitted = await http.post<{ complaintId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Air bersih tidak mengalir',
      description: 'Sudah dua minggu di Oesapa.',
      addressedTo: NTT_ID,
    });
    const { complaintId } = submitted.body;
    expect((await http.post(`/complaints/${complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Air bersih' }, admin)).status).toBe(200);

    const added = await http.post<{ nodeId: string }>(`/organisation/nodes/${NTT_ID}/units`, { id: 'ntt-upt-air-bersih', name: 'UPT Air Bersih' }, admin);
    expect(added.status).toBe(201);
    // its Location is read on the administration service, through the gateway
    const node = await http.get<{ id: string; kind: string }>(added.headers.get('location')!, admin);
    expect(node.body).toMatchObject({ id: 'ntt-upt-air-bersih', kind: 'unit' });
    const disposed = await http.post<{ status: string }>(`/complaints/${complaintId}/dispositions`, { to: 'ntt-upt-air-bersih' }, admin);
    expect(disposed.status).toBe(200);

    const events = await stores.store.readStream(complaintStream(complaintId));
    expect(events.at(-1)).toMatchObject({ type: 'ComplaintDisposed', data: { to: { id: 'ntt-upt-air-bersih', kind: 'unit', parentId: NTT_ID } } });
  });

  it('refuses a disposition to a unit merged away on another service, whose open complaint goes to the successor', async () => {
    const admin = { token: await http.token('admin-ntt', PASSWORD) };
    const submitted = await http.post<{ complaintId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Lampu jalan mati',
      description: 'Jalan El Tari gelap.',
      addressedTo: NTT_ID,
    });
    const { complaintId } = submitted.body;
    await http.post(`/complaints/${complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Penerangan' }, admin);
    await http.post(`/organisation/nodes/${NTT_ID}/units`, { id: 'ntt-upt-lampu', name: 'UPT Penerangan Jalan' }, admin);
    // known to the disposition service first, so what it must catch up with is the deactivation alone
    const other = await http.post<{ complaintId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Lampu',
      description: 'Lampu mati',
      addressedTo: NTT_ID,
    });
    await http.post(`/complaints/${other.body.complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Penerangan' }, admin);
    expect((await http.post(`/complaints/${other.body.complaintId}/dispositions`, { to: 'ntt-upt-lampu' }, admin)).status).toBe(200);

    // it holds that complaint: not deactivated, merged (the administration service hands its work on)
    const deactivation = await http.post<{ code: string }>(`/organisation/nodes/ntt-upt-lampu/deactivation`, {}, admin);
    expect(deactivation).toMatchObject({ status: 409, body: { code: 'HOLDS_OPEN_COMPLAINTS' } });
    expect((await http.post(`/organisation/merges`, { unitIds: ['ntt-upt-lampu'], successor: { id: PUPR } }, admin)).status).toBe(201);
    const refused = await http.post<{ type: string; detail: string }>(`/complaints/${complaintId}/dispositions`, { to: 'ntt-upt-lampu' }, admin);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ type: expect.stringContaining('inactive-node'), detail: expect.stringContaining('body.to') });
    const handedOver = await readUntil(
      () => stores.store.readStream(complaintStream(other.body.complaintId)),
      (events) => events.some((event) => event.type === 'ComplaintHandedOver'),
    );
    expect(handedOver.at(-1)).toMatchObject({ type: 'ComplaintHandedOver', data: { from: { id: 'ntt-upt-lampu' }, to: { id: PUPR } } });
  });
});
