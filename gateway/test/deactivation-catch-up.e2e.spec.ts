import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { serverStores } from './support/stores';

// A unit is deactivated only when it holds no open complaint, and the administration service counts
// those from its holdings read side, which follows the event log. The log lets a reader see a
// transaction only once every older one in the cluster has ended, so while any other session's
// transaction is open, a disposition committed a moment ago is not readable yet: "nothing after my
// position" is not "seen everything committed". Found under load in organisation-distributed.e2e:
// the deactivation went through (200) on a unit that had just received a complaint.

const PASSWORD = 'catch-up-password';
const UNIT = 'ntt-dinas-peternakan';

describe('deactivating a unit that received a complaint a moment ago', () => {
  let stores: Awaited<ReturnType<typeof serverStores>>;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    stores = await serverStores('deactivation_catch_up');
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'catch-up-secret-catch-up-secret-000000',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: [{ username: 'ntt', role: 'admin_instansi', nodeId: NTT_ID, password: PASSWORD }],
    }));
    token = (await app.inject({ method: 'POST', url: '/auth/token', payload: { username: 'ntt', password: PASSWORD } })).json<{ accessToken: string }>()
      .accessToken;
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  const deactivate = () =>
    app.inject({ method: 'POST', url: `/organisation/nodes/${UNIT}/deactivation`, headers: { authorization: `Bearer ${token}` }, payload: {} });

  it('given another session’s transaction open across the disposition, it never answers 200: it waits, says it is still counting, then refuses', async () => {
    const submitted = await app.inject({
      method: 'POST',
      url: '/complaints',
      payload: { kind: 'pengaduan', channel: 'web', title: 'Vaksin ternak terlambat', description: 'Vaksin ternak belum datang.', addressedTo: NTT_ID },
    });
    const { complaintId } = submitted.json<{ complaintId: string }>();
    const headers = { authorization: `Bearer ${token}` };
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/complaints/${complaintId}/verification`,
          headers,
          payload: { slaClass: 'tanpa_pengawasan', category: 'Peternakan' },
        })
      ).statusCode,
    ).toBe(200);

    // given: a transaction elsewhere in the cluster that holds a transaction id, open
    const other = new Client({ connectionString: stores.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');

      // when: the unit receives the complaint, and is deactivated at once
      expect((await app.inject({ method: 'POST', url: `/complaints/${complaintId}/dispositions`, headers, payload: { to: UNIT } })).statusCode).toBe(200);
      const whileOpen = await deactivate();

      // then: not deactivated on a count that missed the disposition
      expect(whileOpen.statusCode).toBe(503);
      expect(whileOpen.headers['content-type']).toContain('application/problem+json');
      expect(whileOpen.json()).toMatchObject({ type: expect.stringContaining('read-model-catching-up') });
    } finally {
      await other.query('COMMIT');
      await other.end();
    }

    // once the other transaction has ended, the holdings pass the disposition and the answer is the rule's
    const refused = await deactivate();
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'HOLDS_OPEN_COMPLAINTS' });
  });
});
