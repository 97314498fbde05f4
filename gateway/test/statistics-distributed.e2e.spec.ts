import { createLaporClient, type LaporClient, type Schema } from '@lapor/api-client';
import { NTT_ID } from '../src/seed/demo-organisation';
import { startDistributedSet, type DistributedSet } from './support/distributed-set';
import { freePort } from './support/processes';

const PASSWORD = 'statistics-pw';
const JWT_SECRET = 'statistics-secret-statistics-secret';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const WORKFLOW = ['intake', 'verification', 'disposition', 'follow-up'] as const;

type Recap = Schema<'Recap'>;

/** Today's date in NTT (WITA, UTC+8 all year): the recap counts a complaint by the local date it came in. */
const todayInNtt = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

// The whole distributed path of the read side: the services write events to PostgreSQL, the relay
// publishes them to Kafka, and the statistics service, run alone with `feed: 'external'`, applies
// them from its consumer group. Every call goes through @lapor/api-client, typed from the document:
// a route or a field the document does not declare does not compile. The gateway has no statistics of its own here (it forwards them), so
// the only way a complaint reaches the recap is through Kafka.
describe('statistics in distributed mode: relay → Kafka → the statistics service, read through the gateway', () => {
  let set: DistributedSet;
  let baseUrl: string;
  let api: LaporClient;
  let topic: string;

  beforeAll(async () => {
    set = await startDistributedSet({
      label: 'statistics_distributed',
      password: PASSWORD,
      jwtSecret: JWT_SECRET,
      spawned: [...WORKFLOW, 'statistics'],
      // each its own group, so each reads every event
      kafka: { topicPrefix: 'lapor.complaint-events.test', consumerGroup: (name, named) => `${named}.${name}` },
    });
    baseUrl = set.base;
    api = createLaporClient(baseUrl);
    topic = set.topic!;
  });
  afterAll(() => set?.close());

  /** A client signed in as a demo account. */
  async function signedIn(username: string): Promise<LaporClient> {
    const signed = await api.POST('/auth/token', { body: { username, password: PASSWORD } });
    if (!signed.data) throw new Error(`sign-in as ${username}: ${signed.response.status}`);
    return createLaporClient(baseUrl, { token: signed.data.accessToken });
  }

  it('given 3 complaints to NTT, one verified and disposed to a unit, then the recap shows 2 Belum Terverifikasi at NTT and 1 Belum Ditindaklanjuti at the unit', async () => {
    const admin = await signedIn('admin-ntt');
    // today's period, both days included: taken before and after submitting, so a run across midnight still holds
    const from = todayInNtt();
    const complaintIds: string[] = [];
    for (const title of ['Jalan berlubang', 'Lampu jalan mati', 'Saluran tersumbat']) {
      const submitted = await api.POST('/complaints', {
        body: { kind: 'pengaduan', channel: 'web', title, description: 'Di Kota Kupang', addressedTo: NTT_ID, anonymous: false, confidential: false },
      });
      expect(submitted.response.status).toBe(201);
      complaintIds.push(submitted.data!.complaintId);
    }
    const moved = complaintIds[0]!;
    const complaintId = { path: { complaintId: moved } };
    const verified = await admin.POST('/complaints/{complaintId}/verification', {
      params: complaintId,
      body: { slaClass: 'pengawasan_lapangan', category: 'Jalan' },
    });
    expect(verified.response.status).toBe(200);
    expect((await admin.POST('/complaints/{complaintId}/dispositions', { params: complaintId, body: { to: PUPR } })).response.status).toBe(200);

    // the database is this test's own: these three are all the recap can count
    const query = { nodeId: NTT_ID, from, to: todayInNtt() };
    const unit = (recap: Recap) => recap.below.find((row) => row.nodeId === PUPR);
    // the read side trails the writes: poll until the last event has arrived, with a deadline
    let recap: Recap | undefined;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const answer = await admin.GET('/statistics/recap', { params: { query } });
      expect(answer.response.status).toBe(200);
      recap = answer.data!;
      if ((recap.total.belumTerverifikasi === 2 && unit(recap)?.belumDitindaklanjuti === 1) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    expect(recap.total).toMatchObject({ nodeId: NTT_ID, belumTerverifikasi: 2, belumDitindaklanjuti: 1, total: 3 });
    expect(unit(recap)).toMatchObject({ belumTerverifikasi: 0, belumDitindaklanjuti: 1, total: 1 });
    expect(recap.below.filter((row) => row.nodeId !== PUPR).every((row) => row.total === 0)).toBe(true);
  });

  it('documents the statistics routes in the gateway’s one API document and refuses bad input at the door', async () => {
    const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/statistics/recap', '/complaints']));

    const admin = await signedIn('admin-ntt');
    const bad = await admin.GET('/statistics/recap', { params: { query: { nodeId: NTT_ID, from: 'nope', to: todayInNtt() } } });
    expect(bad.response.status).toBe(400);
    expect(bad.response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('given a statistics service whose Kafka is out of reach, then it is live but not ready, and says its consumer is why', async () => {
    const port = await freePort();
    const nowhere = `127.0.0.1:${await freePort()}`;
    set.spawn(
      'statistics',
      { PORT: String(port), KAFKA_BROKERS: nowhere, LAPOR_TOPIC: topic, LAPOR_CONSUMER_GROUP: `${topic}.cut-off` },
      { quiet: true }, // it logs its failed connections, as it should
    );
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    while (
      !(await fetch(`${url}/health/live`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error('the cut-off statistics service did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', checks: { kafkaConsumer: 'unavailable' } });
  });
});
