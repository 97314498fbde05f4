import { STAFF_ACCOUNTS_STREAM } from '@lapor/accounts';
import type { EventStore } from '@lapor/event-store';
import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION } from '../src/seed/demo-organisation';
import { unitWorkbook, XLSX, type OnboardingResult } from './support/administration';
import { embeddedStores } from './support/stores';

// Kabupaten Lombok Tengah joins: its administrator uploads the unit list it keeps (the seeds' 2023
// table: Unit Kerja, penghubung, email) as XLSX, reads every row's problem from a dry run, fixes the
// sheet, onboards it in one go, uploads it again by mistake (nothing changes), and a complaint is
// disposed to one of the new units at once.

const PASSWORD = 'onboarding-password';
const LOTENG = 'pemkab-lombok-tengah';
const ACCOUNTS = [
  { username: 'nasional', role: 'admin_nasional', nodeId: 'nasional' },
  { username: 'loteng', role: 'admin_instansi', nodeId: LOTENG },
] as const;

type Result = OnboardingResult;
type Tree = { version: string; nodes: Array<{ id: string; name: string; parentId: string | null }> };

const GOOD: string[][] = [
  ['Dinas Kesehatan', '', 'Baiq Nurul', 'baiq.nurul@lomboktengahkab.go.id'],
  ['RSUD Praya', 'Dinas Kesehatan', 'Lalu Ahmad', 'lalu.ahmad@lomboktengahkab.go.id'],
  ['Dinas Pekerjaan Umum dan Penataan Ruang', '', '', ''],
  ['Dinas Kependudukan dan Pencatatan Sipil', '', 'Muhammad Zaini', 'zaini@lomboktengahkab.go.id'],
];

describe('onboarding an instansi’s units from its sheet', () => {
  let stores: Stores;
  let app: FastifyInstance;
  const tokens = new Map<string, string>();
  let failNextAccountsAppend = false;

  beforeAll(async () => {
    stores = await embeddedStores();
    // the store as the gateway uses it, with one way to fail: the staff accounts' next append (a crash between two appends)
    const store = new Proxy(stores.store, {
      get(target, property, receiver) {
        if (property === 'appendToStream')
          return (...args: Parameters<EventStore['appendToStream']>) => {
            if (args[0] === STAFF_ACCOUNTS_STREAM && failNextAccountsAppend) {
              failNextAccountsAppend = false;
              return Promise.reject(new Error('simulated: the process stopped before the accounts were appended'));
            }
            return target.appendToStream(...args);
          };
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    ({ app } = await buildGateway({
      ...stores,
      store,
      jwtSecret: 'onboarding-secret-onboarding-secret-0000',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: ACCOUNTS.map((account) => ({ ...account, password: PASSWORD })),
    }));
    for (const { username } of ACCOUNTS) {
      const answer = await app.inject({ method: 'POST', url: '/auth/token', payload: { username, password: PASSWORD } });
      tokens.set(username, answer.json<{ accessToken: string }>().accessToken);
    }
    const registered = await app.inject({
      method: 'POST',
      url: '/organisation/instansi',
      headers: as('nasional'),
      payload: { id: LOTENG, name: 'Pemerintah Kabupaten Lombok Tengah', kind: 'pemkab', timeZone: 'Asia/Makassar' },
    });
    expect(registered.statusCode).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  const as = (username: string) => ({ authorization: `Bearer ${tokens.get(username)}` });
  const upload = (body: Buffer | string, options: { dryRun?: boolean; type?: string; user?: string } = {}) =>
    app.inject({
      method: 'POST',
      url: `/organisation/nodes/${LOTENG}/onboarding${options.dryRun ? '?dryRun=true' : ''}`,
      headers: { ...as(options.user ?? 'loteng'), 'content-type': options.type ?? XLSX },
      payload: body,
    });
  const tree = async () => (await app.inject({ method: 'GET', url: '/organisation', headers: as('nasional') })).json<Tree>();
  const accountUsernames = async () =>
    (await stores.store.readStream(STAFF_ACCOUNTS_STREAM)).map((event) => (event.data as { username?: string }).username).filter(Boolean);

  it('given a sheet with mistakes, a dry run names every row’s problem in Bahasa Indonesia and writes nothing', async () => {
    const before = await tree();
    const faulty = await unitWorkbook([
      ...GOOD,
      ['Dinas Kesehatan', '', '', ''],
      ['Puskesmas Kopang', 'Dinas Kesehatan Hewan', '', ''],
      ['Dinas Sosial', '', 'Sri Wahyuni', 'sri.wahyuni@'],
      ['', '', 'Tanpa Unit', 'tanpa.unit@lomboktengahkab.go.id'],
    ]);
    const dry = await upload(faulty, { dryRun: true });
    expect(dry.statusCode).toBe(200);
    const result = dry.json<Result>();
    expect(result.valid).toBe(false);
    expect(result.problems.map(({ row, column }) => ({ row, column }))).toEqual([
      { row: 6, column: 'Unit Kerja' },
      { row: 7, column: 'Induk' },
      { row: 8, column: 'Email' },
      { row: 9, column: 'Unit Kerja' },
    ]);
    expect(result.problems[0]!.message).toBe('Baris 6: Unit Kerja "Dinas Kesehatan" sudah ada di baris 2 (nama ganda).');
    expect(result.problems[1]!.message).toContain('induk "Dinas Kesehatan Hewan" tidak dikenal');
    expect(result.problems[2]!.message).toBe('Baris 8: email "sri.wahyuni@" tidak valid.');

    // the real run refuses the same sheet whole: 422, every row named, nothing written
    const refused = await upload(faulty);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json<{ errors: Array<{ field: string }> }>().errors.map((error) => error.field)).toContain('body.baris.8.Email');
    expect((await tree()).version).toBe(before.version);
    expect(await accountUsernames()).not.toContain('zaini@lomboktengahkab.go.id');
  });

  it('given the fixed sheet, onboards every unit and liaison at once, and a second upload changes nothing', async () => {
    const sheet = await unitWorkbook(GOOD);
    const dry = (await upload(sheet, { dryRun: true })).json<Result>();
    expect(dry).toMatchObject({ valid: true, changed: true, problems: [] });
    // a dry run issues nothing
    expect(dry.liaisons.some((liaison) => 'resetCode' in liaison)).toBe(false);

    const onboarded = await upload(sheet);
    expect(onboarded.statusCode).toBe(201);
    const result = onboarded.json<Result>();
    expect(result.units.map(({ name, status }) => ({ name, status }))).toEqual(GOOD.map(([name]) => ({ name, status: 'baru' })));
    const after = await tree();
    const byName = (name: string) => after.nodes.find((node) => node.name === name);
    expect(byName('Dinas Kesehatan')).toMatchObject({ parentId: LOTENG });
    expect(byName('RSUD Praya')).toMatchObject({ parentId: byName('Dinas Kesehatan')!.id });
    // each new liaison's one-time code, in this answer only; the account stream keeps its hash, not the code
    expect(result.liaisons.map(({ email, resetCode }) => ({ email, resetCode }))).toEqual(
      GOOD.filter((row) => row[3] !== '').map((row) => ({ email: row[3], resetCode: expect.stringMatching(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/) })),
    );
    const stored = JSON.stringify((await stores.store.readStream(STAFF_ACCOUNTS_STREAM)).map(({ type, data, metadata }) => ({ type, data, metadata })));
    for (const { resetCode } of result.liaisons) expect(stored).not.toContain(resetCode!.replaceAll('-', ''));
    expect(await accountUsernames()).toEqual(
      expect.arrayContaining(['baiq.nurul@lomboktengahkab.go.id', 'lalu.ahmad@lomboktengahkab.go.id', 'zaini@lomboktengahkab.go.id']),
    );

    const again = await upload(sheet);
    expect(again.statusCode).toBe(200);
    expect(again.json<Result>()).toMatchObject({ valid: true, changed: false });
    expect(again.json<Result>().units.every((unit) => unit.status === 'sudah ada')).toBe(true);
    // the accounts are there already: no new code (an administrator's reset issues one)
    expect(again.json<Result>().liaisons.some((liaison) => 'resetCode' in liaison)).toBe(false);
    expect((await tree()).version).toBe(after.version);
    expect((await accountUsernames()).filter((name) => name === 'zaini@lomboktengahkab.go.id')).toHaveLength(1);

    // the same list as a semicolon CSV, as Excel in an Indonesian locale saves it: already there
    const csv = `Unit Kerja;Induk;Nama Penghubung;Email\r\n${GOOD.map((row) => row.join(';')).join('\r\n')}\r\n`;
    expect((await upload(csv, { dryRun: true, type: 'text/csv' })).json<Result>()).toMatchObject({ valid: true, changed: false });
  });

  it('given a failure between the units’ append and the accounts’, when the same sheet is uploaded again, then the units stand once and the liaisons get their accounts and codes', async () => {
    const LALE = 'lale.sumarni@lomboktengahkab.go.id';
    const sheet = await unitWorkbook([['Dinas Kelautan dan Perikanan', '', 'Lale Sumarni', LALE]]);
    failNextAccountsAppend = true;
    const interrupted = await upload(sheet);
    expect(interrupted.statusCode).toBe(500);
    // one append each: the units went in, the accounts did not
    expect((await tree()).nodes.filter((node) => node.name === 'Dinas Kelautan dan Perikanan')).toHaveLength(1);
    expect(await accountUsernames()).not.toContain(LALE);

    const dry = (await upload(sheet, { dryRun: true })).json<Result>();
    expect(dry).toMatchObject({ valid: true, changed: true, units: [{ status: 'sudah ada' }] });
    const completed = await upload(sheet);
    expect(completed.statusCode).toBe(201);
    expect(completed.json<Result>().liaisons).toEqual([
      expect.objectContaining({ email: LALE, resetCode: expect.stringMatching(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/) }),
    ]);
    expect((await tree()).nodes.filter((node) => node.name === 'Dinas Kelautan dan Perikanan')).toHaveLength(1);
    expect((await accountUsernames()).filter((name) => name === LALE)).toHaveLength(1);
  });

  it('lets a complaint be disposed to a unit onboarded a moment ago', async () => {
    const unit = (await tree()).nodes.find((node) => node.name === 'Dinas Pekerjaan Umum dan Penataan Ruang')!;
    const submitted = await app.inject({
      method: 'POST',
      url: '/complaints',
      payload: { kind: 'pengaduan', channel: 'web', title: 'Jalan rusak di Praya', description: 'Jalan di depan pasar berlubang.', addressedTo: LOTENG },
    });
    const { complaintId } = submitted.json<{ complaintId: string }>();
    const verified = await app.inject({
      method: 'POST',
      url: `/complaints/${complaintId}/verification`,
      headers: as('loteng'),
      payload: { slaClass: 'tanpa_pengawasan', category: 'PERBAIKAN JALAN' },
    });
    expect(verified.statusCode).toBe(200);
    const disposed = await app.inject({ method: 'POST', url: `/complaints/${complaintId}/dispositions`, headers: as('loteng'), payload: { to: unit.id } });
    expect(disposed.statusCode).toBe(200);
    expect(disposed.json()).toMatchObject({ status: 'BELUM_DITINDAKLANJUTI' });
  });

  it('is the instansi’s own admin’s or Admin Nasional’s, and wants a sheet with a Unit Kerja column', async () => {
    const wrongColumns = await upload('Nama;Alamat\r\nA;B\r\n', { dryRun: true, type: 'text/csv' });
    expect(wrongColumns.statusCode).toBe(400);
    expect(wrongColumns.json()).toMatchObject({ errors: [{ field: 'body.header' }] });
    const asOther = await app.inject({
      method: 'POST',
      url: '/organisation/nodes/pemprov-ntt/onboarding?dryRun=true',
      headers: { ...as('loteng'), 'content-type': 'text/csv' },
      payload: 'Unit Kerja\r\nX\r\n',
    });
    expect(asOther.statusCode).toBe(403);
  });
});
