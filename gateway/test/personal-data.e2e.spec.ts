import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { capturedLogs } from './support/captured-logs';
import { httpClient, type HttpClient } from './support/http';
import { embeddedStores } from './support/stores';

const PASSWORD = 'pd-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const REPORTER = { name: 'Yohanes Don Bosco Lamba', phone: '+6281339001122', nik: '5371021508880001', email: 'yohanes@contoh.id' };
const TRACES = ['Yohanes', 'Lamba', '81339001122', '5371021508880001', 'yohanes@contoh'];

describe('the reporter’s identity is personal data', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let http: HttpClient;
  const logLines: string[] = [];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'pd-secret-pd-secret-pd-secret-pd-secret',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
      // everything a request carries is logged at trace level: the redaction must still hold
      logger: capturedLogs(logLines),
    }));
    app.addHook('preHandler', async (request) => request.log.trace({ req: { body: request.body, headers: request.headers } }, 'request in full'));
    http = httpClient(await app.listen({ port: 0, host: '127.0.0.1' }));
    for (const username of ['admin-nasional', 'admin-ntt', 'penghubung-pupr']) tokens[username] = await http.token(username, PASSWORD);
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  const as = (username: string) => ({ token: tokens[username]! });
  async function submitAndDispose(anonymous: boolean): Promise<{ complaintId: string }> {
    const submitted = await http.post<{ complaintId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Pungutan liar di loket',
      description: 'Diminta uang tambahan.',
      addressedTo: NTT_ID,
      reporter: REPORTER,
      anonymous,
    });
    expect(submitted.status).toBe(201);
    const { complaintId } = submitted.body;
    await http.post(`/complaints/${complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Pungli' }, as('admin-ntt'));
    await http.post(`/complaints/${complaintId}/dispositions`, { to: PUPR }, as('admin-ntt'));
    return { complaintId };
  }

  it('is stored sealed: the event log holds none of it in clear, and no log line does', async () => {
    const { complaintId } = await submitAndDispose(false);
    const stored = JSON.stringify((await stores.store.readStream(`complaint-${complaintId}`)).map((event) => event.data));
    for (const trace of TRACES) expect(stored).not.toContain(trace);
    expect(stored).toContain('"sealed"');
    const logs = logLines.join('');
    expect(logs).toContain('request in full'); // the trace lines were written…
    for (const trace of TRACES) expect(logs).not.toContain(trace); // …without the identity
  });

  it('is shown to staff handling a complaint that is not anonymous, and to nobody when it is', async () => {
    const open = await submitAndDispose(false);
    const shown = await http.get<{ reporter: unknown; reporterVisibility: string }>(`/complaints/${open.complaintId}`, as('penghubung-pupr'));
    expect(shown.body).toMatchObject({ reporter: REPORTER, reporterVisibility: 'shown' });

    const anonymous = await submitAndDispose(true);
    for (const username of ['penghubung-pupr', 'admin-ntt', 'admin-nasional']) {
      const hidden = await http.get<Record<string, unknown>>(`/complaints/${anonymous.complaintId}`, as(username));
      expect(hidden.body).toMatchObject({ reporter: null, reporterVisibility: 'anonymous' });
      for (const trace of TRACES) expect(JSON.stringify(hidden.body)).not.toContain(trace);
    }
  });

  it('given Admin Nasional erases it, then it is unreadable for good and the complaint still works', async () => {
    const { complaintId } = await submitAndDispose(false);
    expect(
      (await http.post(`/complaints/${complaintId}/personal-data/erasure`, { reason: 'Permintaan pelapor (hak penghapusan)' }, as('admin-ntt'))).status,
    ).toBe(403);

    const erased = await http.post(
      `/complaints/${complaintId}/personal-data/erasure`,
      { reason: 'Permintaan pelapor (hak penghapusan)' },
      as('admin-nasional'),
    );
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ complaintId, erased: true });

    const after = await http.get<Record<string, unknown>>(`/complaints/${complaintId}`, as('penghubung-pupr'));
    expect(after.body).toMatchObject({ reporter: null, reporterVisibility: 'erased', status: 'BELUM_DITINDAKLANJUTI' });
    // even with the master key, what is in the log does not open any more
    const [submittedEvent] = await stores.store.readStream(`complaint-${complaintId}`);
    const sealed = (submittedEvent!.data as { reporter: { sealed: string; keyId: string } }).reporter;
    expect(await stores.vault.open(complaintId, sealed)).toBeNull();

    const followedUp = await http.post(`/complaints/${complaintId}/follow-ups`, { message: 'Sudah ditindak.' }, as('penghubung-pupr'));
    expect(followedUp.status).toBe(200);
  });
});
