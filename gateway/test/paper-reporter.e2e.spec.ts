import { pdfWith } from '../../packages/attachment-store/src/contract/samples';
import { NTT_ID } from '../src/seed/demo-organisation';
import { readUntil } from './support/eventually';
import type { HttpClient } from './support/http';
import { sweepingGateway, type SweepingGateway } from './support/sweeping-gateway';

// A reporter who came by letter has no tracking secret: the admin types in what they bring later
// (the missing data with its scans, a reply, a rating), marked with the channel it came by, and
// the complaint runs its whole course and is counted like any other.

const PASSWORD = 'paper-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const wita = (date: string, hour: number): string => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();

interface HistoryEntry {
  type: string;
  by: { role: string; id: string | null };
  data: Record<string, unknown>;
}
interface Detail {
  status: string;
  history: HistoryEntry[];
}
interface RecapRow {
  nodeId: string;
  selesai: number;
  rhp: number;
}

describe('staff act for a reporter who came on paper', () => {
  let world: SweepingGateway;
  let http: HttpClient;
  let clock = wita('2025-05-05', 8);
  const tokens: Record<string, string> = {};
  const as = (username: string) => ({ token: tokens[username]! });

  beforeAll(async () => {
    world = await sweepingGateway(() => clock, PASSWORD);
    http = world.http;
    for (const username of ['admin-nasional', 'admin-ntt', 'penghubung-pupr']) tokens[username] = await http.token(username, PASSWORD);
  });
  afterAll(async () => {
    await world.close();
  });

  /** A command with the reporter's scans, as a browser's form sends it: the JSON first, then the files. */
  async function postWithScans(path: string, command: unknown, files: Array<[string, Buffer]>, token: string) {
    const form = new FormData();
    form.append('command', JSON.stringify(command));
    for (const [name, bytes] of files) form.append('files', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), name);
    const response = await fetch(`${world.baseUrl}${path}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { attachments?: Array<{ id: string; name: string }> } };
  }
  const detail = async (complaintId: string) => (await http.get<Detail>(`/complaints/${complaintId}`, as('admin-ntt'))).body;
  const entered = (history: HistoryEntry[], type: string) => history.filter((entry) => entry.type === type);

  it('given a letter typed in and a Tunda, when the admin enters the data the reporter brought with its scan, then the Tunda ends, marked with the channel it came by', async () => {
    clock = wita('2025-05-05', 9);
    const letter = await http.post<{ complaintId: string; reporterSecret?: string }>(
      '/complaints',
      { kind: 'pengaduan', channel: 'letter', title: 'Jembatan rusak', description: 'Surat warga Desa Oelnasi tentang jembatan.', addressedTo: NTT_ID },
      as('admin-ntt'),
    );
    expect(letter.status).toBe(201);
    expect(letter.body.reporterSecret).toBeUndefined();
    const { complaintId } = letter.body;
    const path = `/complaints/${complaintId}`;
    expect((await http.post(`${path}/missing-data-requests`, { message: 'Mohon foto jembatan dan lokasi persisnya.' }, as('admin-ntt'))).status).toBe(200);

    // a unit may not speak for the reporter, and the channel must be named
    expect((await http.post(`${path}/reporter-side/missing-data`, { message: 'x', enteredVia: 'letter' }, as('penghubung-pupr'))).status).toBe(403);
    const unnamed = await http.post(`${path}/reporter-side/missing-data`, { message: 'Foto terlampir.' }, as('admin-ntt'));
    expect(unnamed.status).toBe(400);
    expect(JSON.stringify(unnamed.body)).toContain('body.enteredVia');

    clock = wita('2025-05-07', 10);
    const supplied = await postWithScans(
      `${path}/reporter-side/missing-data`,
      { message: 'Warga datang membawa foto; jembatan di RT 04.', enteredVia: 'face_to_face' },
      [['foto-jembatan.pdf', pdfWith('foto jembatan RT 04')]],
      tokens['admin-ntt']!,
    );
    expect(supplied.status).toBe(200);
    expect(supplied.body.status).toBe('BELUM_TERVERIFIKASI');
    expect(supplied.body.attachments).toEqual([expect.objectContaining({ name: 'foto-jembatan.pdf' })]);

    const [record] = entered((await detail(complaintId)).history, 'MissingDataSupplied');
    expect(record).toMatchObject({ by: { role: 'admin_instansi' }, data: { enteredVia: 'face_to_face', attachments: supplied.body.attachments } });
  });

  it('given a follow-up on a letter, when the admin enters the reporter’s phoned reply and, once Selesai, the rating they gave in person, then the recap counts the rating', async () => {
    clock = wita('2025-06-02', 9);
    const letter = await http.post<{ complaintId: string }>(
      '/complaints',
      {
        kind: 'pengaduan',
        channel: 'letter',
        title: 'Lampu jalan padam',
        description: 'Surat warga: lampu jalan di Jl. Timor Raya padam.',
        addressedTo: NTT_ID,
      },
      as('admin-ntt'),
    );
    const { complaintId } = letter.body;
    const path = `/complaints/${complaintId}`;
    expect((await http.post(`${path}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Penerangan Jalan' }, as('admin-ntt'))).status).toBe(200);
    expect((await http.post(`${path}/dispositions`, { to: PUPR }, as('admin-ntt'))).status).toBe(200);
    expect((await http.post(`${path}/follow-ups`, { message: 'Lampu sudah diganti.' }, as('penghubung-pupr'))).status).toBe(200);

    // the reporter phones: still dark at the east end
    clock = wita('2025-06-03', 9);
    const replied = await http.post(`${path}/reporter-side/replies`, { message: 'Ujung timur masih gelap.', enteredVia: 'call_centre' }, as('admin-ntt'));
    expect(replied.status).toBe(200);
    // a rating before Selesai is refused like the reporter's own would be
    expect((await http.post(`${path}/reporter-side/rating`, { rating: 4, enteredVia: 'face_to_face' }, as('admin-ntt'))).status).toBe(409);
    clock = wita('2025-06-04', 9);
    expect((await http.post(`${path}/follow-ups`, { message: 'Ujung timur juga sudah diganti.' }, as('penghubung-pupr'))).status).toBe(200);

    clock = wita('2025-06-25', 9); // past the 10th working day after 4 June: the scheduler closes it
    const closed = await readUntil(
      () => detail(complaintId),
      (body) => body.status === 'SELESAI',
    );
    expect(closed.status).toBe('SELESAI');
    const rated = await http.post(
      `${path}/reporter-side/rating`,
      { rating: 4, comment: 'Terima kasih, sudah terang.', enteredVia: 'face_to_face' },
      as('admin-ntt'),
    );
    expect(rated.status).toBe(200);
    expect((await http.post(`${path}/reporter-side/rating`, { rating: 5, enteredVia: 'face_to_face' }, as('admin-ntt'))).status).toBe(409);

    const history = (await detail(complaintId)).history;
    expect(entered(history, 'ReporterReplied')).toEqual([expect.objectContaining({ data: expect.objectContaining({ enteredVia: 'call_centre' }) })]);
    expect(entered(history, 'HandlingRated')).toEqual([
      expect.objectContaining({
        by: expect.objectContaining({ role: 'admin_instansi' }),
        data: expect.objectContaining({ rating: 4, enteredVia: 'face_to_face' }),
      }),
    ]);

    // counted like the reporter's own: PUPR's RHP for June is this rating
    const recap = await readUntil(
      async () => (await http.get<{ below: RecapRow[] }>(`/statistics/recap?nodeId=${NTT_ID}&from=2025-06-01&to=2025-07-01`, as('admin-ntt'))).body,
      (body) => body.below?.find((row) => row.nodeId === PUPR)?.rhp === 4,
    );
    expect(recap.below.find((row) => row.nodeId === PUPR)).toMatchObject({ selesai: 1, rhp: 4 });
  });

  it('given a web complaint whose reporter holds a secret, then only the reporter rates it: the admin is refused', async () => {
    clock = wita('2025-07-01', 9);
    const web = await http.post<{ complaintId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Sampah menumpuk',
      description: 'Di pasar Inpres.',
      addressedTo: NTT_ID,
    });
    const path = `/complaints/${web.body.complaintId}`;
    expect((await http.post(`${path}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Kebersihan' }, as('admin-ntt'))).status).toBe(200);
    expect((await http.post(`${path}/dispositions`, { to: PUPR }, as('admin-ntt'))).status).toBe(200);
    expect((await http.post(`${path}/follow-ups`, { message: 'Sudah diangkut.' }, as('penghubung-pupr'))).status).toBe(200);
    clock = wita('2025-07-20', 9);
    await readUntil(
      () => detail(web.body.complaintId),
      (body) => body.status === 'SELESAI',
    );
    const refused = await http.post(`${path}/reporter-side/rating`, { rating: 1, enteredVia: 'call_centre' }, as('admin-ntt'));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'REPORTER_CAN_ACT' });
  });
});
