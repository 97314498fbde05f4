import { complaintStream } from '@lapor/domain';
import type { Stores } from '@lapor/http-kit';
import { NTT_ID } from '../src/seed/demo-organisation';
import { startDistributedSet, type DistributedSet } from './support/distributed-set';
import { httpClient, type HttpClient } from './support/http';

const PASSWORD = 'categories-distributed-pw';
const JWT_SECRET = 'categories-distributed-secret-categories';
// disposition and follow-up are forwarded to but never called here
const SPAWNED = ['intake', 'verification', 'administration'] as const;

// A category created through the gateway (forwarded to the administration service, a process of
// its own) is at once one the verification service, another process that read the taxonomy before
// it existed, assigns; deactivated the same way, it is refused there at the next verification.
describe('a change to the category taxonomy reaches the verification service without a restart (distributed)', () => {
  let set: DistributedSet;
  let stores: Stores;
  let http: HttpClient;
  let verification: HttpClient;

  beforeAll(async () => {
    set = await startDistributedSet({
      label: 'categories_distributed',
      password: PASSWORD,
      jwtSecret: JWT_SECRET,
      spawned: SPAWNED,
      unstarted: ['disposition', 'follow-up'],
    });
    ({ stores, http } = set);
    verification = httpClient(set.serviceUrls.verification!);
  });
  afterAll(() => set?.close());

  const submitted = async (title: string) =>
    (
      await http.post<{ complaintId: string }>('/complaints', {
        kind: 'pengaduan',
        channel: 'web',
        title,
        description: `${title}, di Kupang.`,
        addressedTo: NTT_ID,
      })
    ).body.complaintId;

  it('given a taxonomy the verification service has read, when a sub-kategori is added and later deactivated through the gateway, then the verification service assigns it, and then refuses it', async () => {
    const nasional = { token: await http.token('admin-nasional', PASSWORD) };
    const admin = { token: await http.token('admin-ntt', PASSWORD) };
    expect((await http.post('/categories', { id: 'infrastruktur', name: 'Infrastruktur' }, nasional)).status).toBe(201);

    // the verification service reads the taxonomy: the sub-kategori is not in it yet
    const early = await submitted('Jalan provinsi berlubang');
    const unknown = await verification.post<{ errors: Array<{ field: string }> }>(
      `/complaints/${early}/verification`,
      { slaClass: 'tanpa_pengawasan', category: 'ntt-jalan-provinsi' },
      admin,
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'category' })]);

    // NTT's own sub-kategori, added through the gateway: the verification service assigns it on its next request
    const added = await http.post('/categories', { id: 'ntt-jalan-provinsi', name: 'Jalan Provinsi', parentId: 'infrastruktur', instansiId: NTT_ID }, admin);
    expect(added.status).toBe(201);
    const verified = await verification.post(`/complaints/${early}/verification`, { slaClass: 'tanpa_pengawasan', category: 'ntt-jalan-provinsi' }, admin);
    expect(verified.status).toBe(200);
    const events = await stores.store.readStream(complaintStream(early));
    expect(events.at(-1)).toMatchObject({ type: 'ComplaintVerified', data: { category: 'ntt-jalan-provinsi' } });

    // deactivated through the gateway: refused at the verification service's next request
    expect((await http.post('/categories/ntt-jalan-provinsi/deactivation', undefined, admin)).status).toBe(200);
    const late = await submitted('Jembatan provinsi retak');
    const inactive = await verification.post<{ errors: Array<{ field: string; message: string }> }>(
      `/complaints/${late}/verification`,
      { slaClass: 'tanpa_pengawasan', category: 'ntt-jalan-provinsi' },
      admin,
    );
    expect(inactive.status).toBe(422);
    expect(inactive.body.errors).toEqual([{ field: 'category', message: expect.stringContaining('inactive') }]);
  });
});
