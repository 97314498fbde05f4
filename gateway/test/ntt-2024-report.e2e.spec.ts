import type { ServiceApp, Stores } from '@lapor/http-kit';
import type { NewStaffAccount } from '@lapor/accounts';
import ExcelJS from 'exceljs';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { httpClient, type HttpClient } from './support/http';
import { embeddedStores } from './support/stores';

// The NTT 2024 yearly report, rebuilt through the public API: 48 complaints in 14 units, 44 Selesai,
// 4 Arsip, %TL 100, RHP 5.00. The clock is the gateway's own, moved through 2024; completion (the
// scheduler's auto-close, not built yet) is the one step run through the workflow directly.

const PASSWORD = 'ntt-2024-password';
const UNITS = DEMO_ORGANISATION.filter((node) => node.parentId === NTT_ID)
  .slice(0, 14)
  .map((node) => node.id);
const ACCOUNTS: NewStaffAccount[] = [
  { username: 'admin-ntt', role: 'admin_instansi', nodeId: NTT_ID, password: PASSWORD },
  ...UNITS.map((unit, index) => ({ username: `penghubung-${index}`, role: 'liaison' as const, nodeId: unit, password: PASSWORD })),
];
const wita = (date: string, hour: number): string => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();
const plusDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const YEAR = 'nodeId=' + NTT_ID + '&from=2024-01-01&to=2024-12-31';

describe('the NTT 2024 yearly report through the public API', () => {
  let stores: Stores;
  let gateway: ServiceApp;
  let http: HttpClient;
  let clock = wita('2024-01-02', 8);
  let admin = '';
  const liaisons: string[] = [];

  beforeAll(async () => {
    stores = await embeddedStores();
    gateway = await buildGateway({
      ...stores,
      now: () => clock,
      jwtSecret: 'ntt-2024-secret-ntt-2024-secret-ntt',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: ACCOUNTS,
      publicRateLimit: 100_000,
    });
    http = httpClient(await gateway.app.listen({ port: 0, host: '127.0.0.1' }));
    admin = await http.token('admin-ntt', PASSWORD);
    for (let index = 0; index < UNITS.length; index++) liaisons.push(await http.token(`penghubung-${index}`, PASSWORD));

    for (let index = 0; index < 48; index++) {
      const day = plusDays('2024-01-08', index * 7); // Mondays through the year
      clock = wita(day, 9);
      const submitted = await http.post<{ complaintId: string; trackingId: string; reporterSecret: string }>('/complaints', {
        kind: 'pengaduan',
        channel: 'web',
        title: `Pengaduan ${index + 1}`,
        description: 'Pelayanan di kantor dinas lambat dan tidak jelas prosedurnya.',
        addressedTo: NTT_ID,
      });
      expect(submitted.status).toBe(201);
      const { complaintId, trackingId, reporterSecret } = submitted.body;
      // the first unit's liaison also looked in on Monday 27 May 2024, 09.00 WITA
      if (index === 20) expect((await http.get('/inbox', { token: liaisons[0] })).status).toBe(200);
      const path = `/complaints/${complaintId}`;
      // the same day for half of them, three weeks later for the rest: within 3 working days, or
      // surely not (a week later can still be within 3 when Idul Fitri's leave falls in it)
      clock = wita(index % 2 === 0 ? day : plusDays(day, 21), 10);
      if (index >= 44) {
        expect((await http.post(`${path}/archive`, { reason: 'NOT_PUBLIC_SERVICE' }, { token: admin })).status).toBe(200);
        continue;
      }
      expect(
        (await http.post(`${path}/verification`, { slaClass: 'tanpa_pengawasan', category: index % 3 === 0 ? 'PUNGLI' : 'PERBAIKAN JALAN' }, { token: admin }))
          .status,
      ).toBe(200);
      const unit = index % UNITS.length;
      expect((await http.post(`${path}/dispositions`, { to: UNITS[unit] }, { token: admin })).status).toBe(200);
      clock = wita(plusDays(day, index % 2 === 0 ? 7 : 28), 11);
      expect((await http.post(`${path}/follow-ups`, { message: 'Sudah ditindaklanjuti oleh dinas.' }, { token: liaisons[unit] })).status).toBe(200);
      clock = wita(plusDays(day, 50), 12);
      await completeAsTheSchedulerWould(complaintId);
      expect((await http.post(`/tracking/${trackingId}/rating`, { rating: 5 }, { headers: { 'x-reporter-secret': reporterSecret } })).status).toBe(200);
    }
    clock = '2025-03-15T02:00:00.000Z';
    expect((await http.get('/inbox', { token: liaisons[0] })).status).toBe(200);
    await eventually(async () => (await recap()).total.selesai === 44 && (await recap()).total.arsip === 4);
  }, 120_000);
  afterAll(async () => {
    await gateway.app.close();
    await stores.close();
  });

  async function completeAsTheSchedulerWould(complaintId: string): Promise<void> {
    const events = await stores.store.readStream(`complaint-${complaintId}`);
    const followUp = events.findLast((event) => event.type === 'FollowUpPosted')!.data as { followUpId: string };
    await gateway.context.repository.execute(
      {
        type: 'CompleteComplaint',
        data: { complaintId, lastFollowUpId: followUp.followUpId },
        metadata: { now: clock, actor: { role: 'system', id: 'scheduler', nodeId: null } },
      },
      { commandId: gateway.context.newId() },
    );
  }

  type Row = Record<string, number | string | null>;
  const recap = async (): Promise<{ total: Row; below: Row[] }> => {
    const answer = await http.get<{ total: Row; below: Row[] }>(`/statistics/recap?${YEAR}`, { token: admin });
    expect(answer.status).toBe(200);
    return answer.body;
  };

  it('given the year, then the recap has the report’s totals and 14 units with complaints', async () => {
    const { total, below } = await recap();
    expect(total).toMatchObject({
      total: 44,
      selesai: 44,
      arsip: 4,
      proses: 0,
      belumTerverifikasi: 0,
      belumDitindaklanjuti: 0,
      persenTindakLanjut: 100,
      rhp: 5,
    });
    expect(below.filter((row) => Number(row.total) > 0)).toHaveLength(14);
    expect(below.reduce((sum, row) => sum + Number(row.selesai), 0)).toBe(44);
    // the first unit's liaison opened the inbox: its "Terakhir Dilihat", and only its, is filled in
    expect(below.filter((row) => row.terakhirDilihat !== null)).toEqual([
      expect.objectContaining({ nodeId: UNITS[0], terakhirDilihat: '2025-03-15T02:00:00.000Z' }),
    ]);
    expect(total.terakhirDilihat).toBe('2025-03-15T02:00:00.000Z');
  });

  it('given the administrator, then Kinerja Admin counts 44 verifications (22 within 3 working days) and 4 archivings', async () => {
    const answer = await http.get<{ admins: Row[] }>(`/statistics/admins?${YEAR}`, { token: admin });
    expect(answer.status).toBe(200);
    expect(answer.body.admins).toEqual([
      expect.objectContaining({ username: 'admin-ntt', verifications: 44, verifiedWithin3Days: 22, verifiedAfter3Days: 22, archivings: 4, postponements: 0 }),
    ]);
    expect(answer.body.admins[0]!.lastSignInAt).not.toBeNull();
  });

  it('given the yearly export, then the XLSX has the NTT report’s columns, the period, and numbers as numbers', async () => {
    const response = await fetch(`${httpBase()}/statistics/yearly/export?${YEAR}&format=xlsx`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const texts: string[] = [];
    sheet.eachRow((row) => texts.push(row.values.toString()));
    expect(texts.join('\n')).toContain('Periode: 01 Januari 2024 s.d. 31 Desember 2024');
    const header = texts.findIndex((line) => line.includes('Perangkat Daerah'));
    expect(texts[header]).toMatch(/No,Perangkat Daerah,Total,Selesai,Proses,Belum ditindaklanjuti,Belum terverifikasi,% Tindak Lanjut/);
    const total = sheet.getRow(sheet.rowCount);
    expect(total.values).toEqual(expect.arrayContaining([44, 44, 0, 0, 0, 100]));
    expect(typeof total.getCell(3).value).toBe('number');
  });

  it('given the recap as it stood at the end of October, then later completions and visits are not in it, and its export says so', async () => {
    const then = await http.get<{ total: Row; below: Row[]; asOf: string }>(`/statistics/recap?${YEAR}&asOf=2024-10-31T23:59:00%2B08:00`, { token: admin });
    expect(then.status).toBe(200);
    expect(Number(then.body.total.selesai)).toBeLessThan(44);
    expect(then.body.asOf).toBe('2024-10-31T15:59:00.000Z');
    // last seen as of then: the May visit, not the one of March 2025
    expect(then.body.total.terakhirDilihat).toBe('2024-05-27T01:00:00.000Z');
    expect(then.body.below.find((row) => row.nodeId === UNITS[0])?.terakhirDilihat).toBe('2024-05-27T01:00:00.000Z');
    const response = await fetch(`${httpBase()}/statistics/recap/export?${YEAR}&format=xlsx&asOf=2024-10-31T23:59:00%2B08:00`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const lines: string[] = [];
    workbook.worksheets[0]!.eachRow((row) => lines.push(row.values.toString()));
    expect(lines.join('\n')).toContain('Keadaan per: 31 Oktober 2024 23.59 WITA');
    // the Jumlah line carries the total's Terakhir Dilihat, as the JSON does: 09.00 WITA on the wall clock
    const jumlah = workbook.worksheets[0]!.lastRow!;
    expect(jumlah.getCell(2).value).toBe('Jumlah');
    expect(jumlah.getCell(14).value).toEqual(new Date('2024-05-27T09:00:00.000Z'));
  });

  it('given the CSV export of the recap, then it opens with the Indonesian headings and one line per unit', async () => {
    const response = await fetch(`${httpBase()}/statistics/recap/export?${YEAR}&format=csv`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^No,Unit Kerja,Belum Terverifikasi,Belum Ditindaklanjuti,Proses,Selesai,Tunda,Arsip,Total,%TL,RTL,RHP,RV,Terakhir Dilihat$/);
    expect(lines).toHaveLength(1 + UNITS.length + (DEMO_ORGANISATION.filter((node) => node.parentId === NTT_ID).length - UNITS.length) + 1);
  });

  it('given a node outside the caller’s subtree or a bad period, then problem+json names what is wrong', async () => {
    const outside = await http.get(`/statistics/recap?nodeId=nasional&from=2024-01-01&to=2024-12-31`, { token: liaisons[0] });
    expect(outside.status).toBe(404);
    const backwards = await http.get<{ errors: { field: string }[] }>(`/statistics/periods?nodeId=${NTT_ID}&from=2024-12-31&to=2024-01-01`, { token: admin });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors.map((error) => error.field).join()).toContain('to');
    // only the recap keeps its history: another table asked "as of" is refused, the field named
    const notKept = await http.get<{ errors: { field: string }[] }>(`/statistics/admins/export?${YEAR}&format=csv&asOf=2024-12-31T23:59:00%2B08:00`, {
      token: admin,
    });
    expect(notKept.status).toBe(400);
    expect(notKept.body.errors.map((error) => error.field).join()).toContain('asOf');
  });

  const httpBase = (): string => {
    const address = gateway.app.server.address();
    return typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
  };
});

async function eventually(check: () => Promise<boolean>, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the statistics did not catch up in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
