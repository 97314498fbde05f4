import { readTopicUntil } from '@lapor/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { NTT_ID } from '../src/seed/demo-organisation';
import { startDistributedSet, type DistributedSet } from './support/distributed-set';
import type { HttpClient } from './support/http';

const PASSWORD = 'distributed-pw';
const JWT_SECRET = 'distributed-secret-distributed-secret';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const SERVICES = ['intake', 'verification', 'disposition', 'follow-up', 'attachments'] as const;

// Each service in a process of its own on one PostgreSQL database; the gateway forwards to them.
// The relay publishes the log to a topic of this test's own, and the follow-up service's inbox is
// fed from it (group of its own), as the distributed deployment runs it. Statistics stay in the
// gateway here (no statistics URL); statistics-distributed.e2e.spec.ts runs them alone.
describe('the lifecycle in distributed mode, through the gateway', () => {
  let set: DistributedSet;
  let http: HttpClient;
  let base: string;
  let topic: string;

  beforeAll(async () => {
    set = await startDistributedSet({
      label: 'distributed',
      password: PASSWORD,
      jwtSecret: JWT_SECRET,
      spawned: SERVICES,
      kafka: { topicPrefix: 'distributed' },
    });
    ({ http, base } = set);
    topic = set.topic!;
  });
  afterAll(() => set?.close());

  it('submit, verify, dispose, follow up, reply, track: every step answered by the service that owns it', async () => {
    const admin = { token: await http.token('admin-ntt', PASSWORD) };
    const liaison = { token: await http.token('penghubung-pupr', PASSWORD) };

    const submitKey = randomUUID();
    const submitted = await http.post<{ complaintId: string; trackingId: string; reporterSecret: string }>(
      '/complaints',
      { kind: 'pengaduan', channel: 'web', title: 'Jembatan retak', description: 'Di Kupang Barat', addressedTo: NTT_ID },
      { headers: { 'idempotency-key': submitKey } },
    );
    expect(submitted.status).toBe(201);
    const again = await http.post(
      '/complaints',
      { kind: 'pengaduan', channel: 'web', title: 'Jembatan retak', description: 'Di Kupang Barat', addressedTo: NTT_ID },
      { headers: { 'idempotency-key': submitKey } },
    );
    expect(again.body).toEqual(submitted.body);

    const { complaintId, trackingId, reporterSecret } = submitted.body;
    expect((await http.post(`/complaints/${complaintId}/verification`, { slaClass: 'pengawasan_lapangan', category: 'Jembatan' }, admin)).status).toBe(200);
    const disposed = await http.post<{ version: string }>(`/complaints/${complaintId}/dispositions`, { to: PUPR }, admin);
    expect(disposed.status).toBe(200);
    // the follow-up is decided on the complaint as read for the liaison's scope: the version seen is taken once
    const seen = { ...liaison, headers: { 'if-match': `"${disposed.body.version}"` } };
    expect((await http.post(`/complaints/${complaintId}/follow-ups`, { message: 'Tim teknis meninjau.' }, seen)).status).toBe(200);
    expect((await http.post(`/complaints/${complaintId}/follow-ups`, { message: 'Versi lama.' }, seen)).status).toBe(409);
    const replied = await http.post<{ version: string }>(
      `/tracking/${trackingId}/replies`,
      { message: 'Terima kasih' },
      { headers: { 'x-reporter-secret': reporterSecret } },
    );
    expect(replied.status).toBe(200);

    // the unit's inbox, fed through the relay's topic, shows the reply once asked to read after it
    const inbox = await http.get<{ items: Array<{ complaintId: string; status: string; version: string }> }>(
      `/inbox?readAfter=${complaintId}:${replied.body.version}&q=jembatan`,
      liaison,
    );
    expect(inbox.status).toBe(200);
    expect(inbox.body.items).toEqual([expect.objectContaining({ complaintId, status: 'PROSES', version: replied.body.version })]);

    expect((await http.get<{ status: string }>(`/tracking/${trackingId}`)).body.status).toBe('PROSES');
    const detail = await http.get<{ hops: unknown[]; status: string }>(`/complaints/${complaintId}`, admin);
    expect(detail.body).toMatchObject({ status: 'PROSES' });
    expect(detail.body.hops).toHaveLength(1);
  });

  it('a submission with a photo goes through the gateway unread to intake, the topic names the file but never holds its bytes, and the reporter downloads it from the attachments service', async () => {
    const marker = `PENANDA-FOTO-${randomUUID()}`;
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(marker), randomBytes(70_000)]);
    const form = new FormData();
    form.append('command', JSON.stringify({ kind: 'pengaduan', channel: 'web', title: 'Lampu jalan mati', description: 'Gelap', addressedTo: NTT_ID }));
    form.append('files', new Blob([new Uint8Array(photo)]), 'lampu.jpg');
    const response = await fetch(`${base}/complaints`, { method: 'POST', body: form });
    const submitted = (await response.json()) as { complaintId: string; reporterSecret: string; attachments: Array<{ id: string; mediaType: string }> };
    expect(response.status).toBe(201);
    expect(submitted.attachments).toEqual([expect.objectContaining({ mediaType: 'image/jpeg', size: photo.length })]);

    const downloaded = await fetch(`${base}/complaints/${submitted.complaintId}/attachments/${submitted.attachments[0]!.id}`, {
      headers: { 'x-reporter-secret': submitted.reporterSecret },
    });
    expect(downloaded.status).toBe(200);
    expect(Buffer.from(await downloaded.arrayBuffer()).equals(photo)).toBe(true);

    // what the relay published: the submission names the file whole (as the answer did), and no message holds its bytes
    const [ref] = submitted.attachments;
    const published = await readTopicUntil(topic, (values) => values.some((value) => value.includes(ref!.id)));
    const submissions = published
      .map((value) => JSON.parse(value.toString()) as { type: string; complaintId: string; schemaVersion: number; data: { attachments?: unknown } })
      .filter((message) => message.complaintId === submitted.complaintId && message.type === 'ComplaintSubmitted');
    expect(submissions).toEqual([expect.objectContaining({ schemaVersion: 2, data: expect.objectContaining({ attachments: [ref] }) })]);
    expect(published.some((value) => value.includes(marker))).toBe(false);
    // bad JSON inside a multipart command is refused by the service, naming the field
    const bad = new FormData();
    bad.append('command', JSON.stringify({ kind: 'pengaduan' }));
    const refused = await fetch(`${base}/complaints`, { method: 'POST', body: bad });
    expect(refused.status).toBe(400);
  });

  it('an agency system sends a ticket, and its list (kept by intake alone, following the log) shows it', async () => {
    const admin = { token: await http.token('admin-ntt', PASSWORD) };
    const issued = await http.post<{ key: string }>('/api-keys', { name: 'SIMPEL', instansiId: NTT_ID, channels: ['integration'] }, admin);
    expect(issued.status).toBe(201);
    const system = { headers: { 'x-api-key': issued.body.key } };
    const ticket = { kind: 'pengaduan', channel: 'integration', title: 'Lampu jalan mati', description: 'Di Oebobo', externalReference: 'SIMPEL-DIST-1' };
    const sent = await http.post<{ complaintId: string; trackingId: string }>('/complaints', ticket, system);
    expect(sent.status).toBe(201);

    type List = { total: number; items: Array<{ externalReference: string; trackingId: string; status: string }> };
    const deadline = Date.now() + 10_000;
    let list = await http.get<List>('/integrations/complaints', system);
    while (list.body.total === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      list = await http.get<List>('/integrations/complaints', system);
    }
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      total: 1,
      items: [{ externalReference: 'SIMPEL-DIST-1', trackingId: sent.body.trackingId, status: 'BELUM_TERVERIFIKASI' }],
    });
  });

  it('refuses bad input at the door, and shows the whole API in one document', async () => {
    const bad = await http.post<{ errors: Array<{ field: string }> }>('/complaints', { kind: 'pengaduan', channel: 'web', title: '', description: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e) => e.field)).toContain('body.title');

    const document = await http.get<{ paths: Record<string, unknown> }>('/openapi.json');
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/complaints',
        '/tracking/{trackingId}',
        '/complaints/{complaintId}/verification',
        '/complaints/{complaintId}/dispositions',
        '/complaints/{complaintId}/follow-ups',
        '/inbox',
        '/auth/token',
      ]),
    );
  });
});
