import { sweepOrphansOnce } from '@lapor/attachments-service';
import type { Stores, WorkflowContext } from '@lapor/http-kit';
import type { SqlQueryable } from '@lapor/sql';
import type { FastifyInstance } from 'fastify';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { jpegWithGps, KUPANG_SECONDS, pdfWith } from '../../packages/attachment-store/src/contract/samples';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { capturedLogs } from './support/captured-logs';
import { httpClient, type HttpClient } from './support/http';
import { embeddedStores } from './support/stores';

const PASSWORD = 'att-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const FILE_LIMIT = 300_000;
// inside every file the reporter sends: it must never be found anywhere but in a download
const MARKER = `PENANDA-LAMPIRAN-${randomUUID()}`;

interface Ref {
  id: string;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
}

const png = (text: string) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(text), randomBytes(50_000)]);
const docx = (text: string) =>
  Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(`[Content_Types].xml word/document.xml ${text}`), randomBytes(1000)]);

/** Every value in every table of the database: what an attacker with a copy of it reads. */
async function databaseHolds(db: SqlQueryable, needle: string): Promise<string[]> {
  const bytes = Buffer.from(needle);
  const tables = await db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const found: string[] = [];
  for (const { schema, name } of tables) {
    for (const row of await db.query<Record<string, unknown>>(`SELECT * FROM "${schema}"."${name}"`)) {
      for (const value of Object.values(row)) {
        const hit = value instanceof Uint8Array ? Buffer.from(value).includes(bytes) : JSON.stringify(value ?? null).includes(needle);
        if (hit) found.push(`${schema}.${name}`);
      }
    }
  }
  return found;
}

describe('attachments: evidence that travels with a complaint, sealed with it and erased with it', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let context: WorkflowContext;
  let http: HttpClient;
  let base: string;
  const logLines: string[] = [];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    process.env.LAPOR_ATTACHMENT_MAX_FILE_BYTES = String(FILE_LIMIT);
    stores = await embeddedStores();
    ({ app, context } = await buildGateway({
      ...stores,
      jwtSecret: 'att-secret-att-secret-att-secret-att-secret',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
      logger: capturedLogs(logLines),
    }));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    http = httpClient(base);
    for (const username of ['admin-nasional', 'admin-ntt', 'penghubung-pupr', 'penghubung-dikbud']) tokens[username] = await http.token(username, PASSWORD);
  });
  afterAll(async () => {
    delete process.env.LAPOR_ATTACHMENT_MAX_FILE_BYTES;
    await app.close();
    await stores.close();
  });

  const as = (username: string) => ({ token: tokens[username]! });
  /** A command with files, as a browser's form sends it: the JSON first, then the files. */
  async function postWithFiles(path: string, command: unknown, files: Array<[string, Buffer]>, headers: Record<string, string> = {}) {
    const form = new FormData();
    form.append('command', JSON.stringify(command));
    for (const [name, bytes] of files) form.append('files', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), name);
    const response = await fetch(`${base}${path}`, { method: 'POST', body: form, headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { attachments?: Ref[] } };
  }
  async function download(complaintId: string, id: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${base}/complaints/${complaintId}/attachments/${id}`, { headers });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }
  const bearer = (username: string) => ({ authorization: `Bearer ${tokens[username]!}` });
  const submission = (anonymous = false) => ({
    kind: 'pengaduan',
    channel: 'web',
    title: 'Jalan berlubang',
    description: 'Lubang besar di depan sekolah.',
    addressedTo: NTT_ID,
    reporter: { name: 'Maria Goreti Bunga', phone: '+6281234567890' },
    anonymous,
  });

  it('given a citizen submitting with two photos, a Tunda answered with a PDF and a follow-up with a document, then each party downloads what they may and no one else', async () => {
    const photo = jpegWithGps(Buffer.from(`foto ${MARKER}`));
    const second = png(MARKER);
    const submitted = await postWithFiles('/complaints', submission(), [
      ['jalan.jpg', photo],
      ['sekolah.png', second],
    ]);
    expect(submitted.status).toBe(201);
    const { complaintId, trackingId, reporterSecret } = submitted.body as { complaintId: string; trackingId: string; reporterSecret: string };
    const [jpg, pngRef] = submitted.body.attachments!;
    expect(jpg).toMatchObject({ name: 'jalan.jpg', mediaType: 'image/jpeg', size: photo.length, sha256: createHash('sha256').update(photo).digest('hex') });
    expect(pngRef).toMatchObject({ name: 'sekolah.png', mediaType: 'image/png', size: second.length });
    const reporter = { 'x-reporter-secret': reporterSecret };

    // Tunda, answered by the reporter with a PDF
    expect((await http.post(`/complaints/${complaintId}/missing-data-requests`, { message: 'Mohon kuitansi.' }, as('admin-ntt'))).status).toBe(200);
    const pdf = pdfWith(MARKER);
    const supplied = await postWithFiles(`/tracking/${trackingId}/missing-data`, { message: 'Terlampir.' }, [['kuitansi.pdf', pdf]], reporter);
    expect(supplied.status).toBe(200);
    const pdfRef = supplied.body.attachments![0]!;
    expect(pdfRef.mediaType).toBe('application/pdf');

    expect((await http.post(`/complaints/${complaintId}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Jalan' }, as('admin-ntt'))).status).toBe(200);
    expect((await http.post(`/complaints/${complaintId}/dispositions`, { to: PUPR }, as('admin-ntt'))).status).toBe(200);
    const followedUp = await postWithFiles(
      `/complaints/${complaintId}/follow-ups`,
      { message: 'Sudah ditambal.' },
      [['berita-acara.docx', docx('berita acara')]],
      bearer('penghubung-pupr'),
    );
    expect(followedUp.status).toBe(200);
    const docRef = followedUp.body.attachments![0]!;

    // the events carry the references (id, name, type, size, SHA-256), never the bytes
    const events = await stores.store.readStream(`complaint-${complaintId}`);
    const carried = events.flatMap((event) => (event.data as { attachments?: Ref[] }).attachments ?? []);
    const byId = (a: Ref, b: Ref) => a.id.localeCompare(b.id);
    expect(carried.sort(byId)).toEqual([jpg!, pngRef!, pdfRef, docRef].sort(byId));

    // the reporter and the unit holding it download; the answer is a download of the sniffed type
    const asReporter = await download(complaintId, jpg!.id, reporter);
    expect(asReporter.status).toBe(200);
    expect(asReporter.bytes.equals(photo)).toBe(true);
    expect(asReporter.headers.get('content-type')).toBe('image/jpeg');
    expect(asReporter.headers.get('content-disposition')).toMatch(/^attachment; filename="jalan.jpg"/);
    expect(asReporter.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await download(complaintId, pdfRef.id, bearer('penghubung-pupr'))).bytes.equals(pdf)).toBe(true);
    expect((await download(complaintId, docRef.id, reporter)).status).toBe(200);
    // a range of a file
    const ranged = await download(complaintId, pngRef!.id, { ...bearer('penghubung-pupr'), range: 'bytes=8-20' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 8-20/${second.length}`);
    expect(ranged.bytes.equals(second.subarray(8, 21))).toBe(true);

    // a sibling unit, the public, another reporter: nothing
    expect((await download(complaintId, jpg!.id, bearer('penghubung-dikbud'))).status).toBe(404);
    expect((await download(complaintId, jpg!.id)).status).toBe(401);
    expect((await download(complaintId, jpg!.id, { 'x-reporter-secret': randomBytes(24).toString('base64url') })).status).toBe(404);
    // a file of this complaint asked for under another complaint's id
    const other = await http.post<{ complaintId: string; reporterSecret: string }>('/complaints', submission());
    expect((await download(other.body.complaintId, jpg!.id, { 'x-reporter-secret': other.body.reporterSecret })).status).toBe(404);

    // the marker was in four files: not in any table, not in any log line
    expect(await databaseHolds(stores.db, MARKER)).toEqual([]);
    expect(logLines.join('')).not.toContain(MARKER);

    // erasure: the reporter's files are gone for good, the unit's document stays on the record
    expect(
      (await http.post(`/complaints/${complaintId}/personal-data/erasure`, { reason: 'Permintaan pelapor (hak penghapusan)' }, as('admin-nasional'))).status,
    ).toBe(200);
    const erased = await fetch(`${base}/complaints/${complaintId}/attachments/${jpg!.id}`, { headers: bearer('admin-nasional') });
    expect(erased.status).toBe(410);
    expect(erased.headers.get('content-type')).toContain('application/problem+json');
    expect((await download(complaintId, pdfRef.id, bearer('penghubung-pupr'))).status).toBe(410);
    expect((await download(complaintId, docRef.id, bearer('penghubung-pupr'))).status).toBe(200);
  });

  it("given an anonymous reporter's photo, then what the unit downloads has no GPS position", async () => {
    const submitted = await postWithFiles('/complaints', submission(true), [['lokasi.jpg', jpegWithGps()]]);
    expect(submitted.status).toBe(201);
    const { complaintId } = submitted.body as { complaintId: string };
    const downloaded = await download(complaintId, submitted.body.attachments![0]!.id, bearer('admin-ntt'));
    const seconds = Buffer.alloc(4);
    seconds.writeUInt32BE(KUPANG_SECONDS[2]);
    expect(downloaded.status).toBe(200);
    expect(downloaded.bytes.includes(seconds)).toBe(false);
  });

  it.each([
    ['a file over the limit', 413, 'besar.jpg', jpegWithGps(randomBytes(FILE_LIMIT + 10))],
    ['a script named like a photo', 415, 'foto.jpg', Buffer.from('#!/bin/sh\necho pwned\n')],
  ])('given %s among the files, then the submission is refused naming it, and nothing is kept', async (_, status, name, bytes) => {
    const count = async () => Number((await stores.db.query<{ n: string }>('SELECT count(*)::text AS n FROM attachments.files'))[0]!.n);
    const before = await count();
    const refused = await postWithFiles('/complaints', submission(), [
      ['baik.jpg', jpegWithGps()],
      [name, bytes],
    ]);
    expect(refused.status).toBe(status);
    expect(refused.body).toMatchObject({ status, errors: [{ field: `files.${name}` }] });
    expect(await count()).toBe(before);
  });

  it('given a file an accepted submission carries whose mark was lost (a crash between) and one no command carried, when the orphan sweep runs past the grace period, then only the orphan is removed', async () => {
    const submitted = await postWithFiles('/complaints', submission(), [['bukti.jpg', jpegWithGps()]]);
    expect(submitted.status).toBe(201);
    const { complaintId, reporterSecret } = submitted.body as { complaintId: string; reporterSecret: string };
    const carried = submitted.body.attachments![0]!;
    await stores.db.query('UPDATE attachments.files SET attached_at = NULL WHERE id = $1', [carried.id]);
    const orphan = await context.attachments.store(
      { complaintId, name: 'yatim.jpg', mediaType: 'image/jpeg', sealedUnder: 'complaint' },
      (async function* () {
        yield jpegWithGps();
      })(),
    );
    const rows = async () =>
      (
        await stores.db.query<{ id: string; attached: boolean }>(
          'SELECT id, attached_at IS NOT NULL AS attached FROM attachments.files WHERE complaint_id = $1',
          [complaintId],
        )
      )
        .map((row) => [row.id, row.attached])
        .sort();

    // within the grace period nothing is touched
    expect(await sweepOrphansOnce(context, 3_600_000)).toBe(0);
    expect(await rows()).toEqual(
      [
        [carried.id, false],
        [orphan.id, false],
      ].sort(),
    );

    expect(await sweepOrphansOnce(context, 60_000, new Date(Date.now() + 3_600_000))).toBe(1);
    expect(await rows()).toEqual([[carried.id, true]]);
    expect((await download(complaintId, carried.id, { 'x-reporter-secret': reporterSecret })).status).toBe(200);
  });
});
