import type { Stores } from '@lapor/http-kit';
import { complaintStream, type OrganisationNode } from '@lapor/domain';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildGateway } from '../src/app';
import { demoAccounts } from '../src/seed/demo-accounts';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { readUntil } from './support/eventually';
import { embeddedStores } from './support/stores';

const PASSWORD = 'akun-demo-panjang';
const DIKBUD = 'ntt-dinas-pendidikan-dan-kebudayaan';
const KOMINFO = 'ntt-dinas-komunikasi-dan-informatika';
const ORGANISASI = 'ntt-biro-organisasi';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const SIKKA = 'pemkab-sikka';
const ORGANISATION: OrganisationNode[] = [
  ...DEMO_ORGANISATION,
  { kind: 'instansi', id: SIKKA, name: 'Pemerintah Kabupaten Sikka', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'sikka-dinkes', name: 'Dinas Kesehatan Kabupaten Sikka', parentId: SIKKA },
];
const ADMIN_NTT_ADDRESS = '203.0.113.7';

type Body = Record<string, unknown> & { accounts?: Array<{ accountId: string; username: string; role: string; nodeId: string }> };

// The embedded gateway (one process, PGlite), as an instansi admin and its staff use it.
describe('staff accounts run by their administrators (embedded)', () => {
  let stores: Stores;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token?: string, payload?: unknown, remoteAddress = ADMIN_NTT_ADDRESS) =>
    app.inject({
      method,
      url,
      remoteAddress,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
  const json = (answer: LightMyRequestResponse) => answer.json<Body>();
  const signIn = (username: string, password: string) => call('POST', '/auth/token', undefined, { username, password }, '198.51.100.20');

  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'accounts-secret-accounts-secret-accounts',
      seedOrganisation: ORGANISATION,
      seedAccounts: demoAccounts(PASSWORD),
    }));
    await app.ready();
    for (const username of ['admin-nasional', 'admin-ntt', 'penghubung-pupr']) tokens[username] = json(await signIn(username, PASSWORD)).accessToken as string;
    const sikka = await call(
      'POST',
      '/staff-accounts',
      tokens['admin-nasional'],
      { username: 'admin-sikka', role: 'admin_instansi', nodeId: SIKKA, temporaryPassword: 'sementara-sikka-1' },
      '192.0.2.1',
    );
    expect(sikka.statusCode).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  it('given admin-ntt, when it creates a liaison with a temporary password, then the liaison must change it first, and then works until deactivated mid-session (next call 401)', async () => {
    const created = await call('POST', '/staff-accounts', tokens['admin-ntt'], {
      username: 'penghubung-dikbud-2',
      role: 'liaison',
      nodeId: DIKBUD,
      temporaryPassword: 'sementara-dikbud-1',
    });
    expect(created.statusCode).toBe(201);
    const { accountId } = json(created).account as { accountId: string };
    expect(json(created)).not.toHaveProperty('resetCode');

    const first = json(await signIn('penghubung-dikbud-2', 'sementara-dikbud-1'));
    expect(first).toMatchObject({ passwordChangeRequired: true, role: 'liaison', nodeId: DIKBUD });
    const limited = first.accessToken as string;
    const refused = await call('GET', '/inbox', limited);
    expect(refused.statusCode).toBe(403);
    expect(json(refused)).toMatchObject({ type: expect.stringContaining('password-change-required') });

    const weak = await call('POST', '/auth/password', limited, { currentPassword: 'sementara-dikbud-1', newPassword: 'pendek' });
    expect(weak.statusCode).toBe(400);
    expect(json(weak).errors).toEqual([{ field: 'body.newPassword', message: 'Kata sandi minimal 10 karakter.' }]);
    const common = await call('POST', '/auth/password', limited, { currentPassword: 'sementara-dikbud-1', newPassword: 'Password123' });
    expect(json(common).errors).toEqual([{ field: 'body.newPassword', message: expect.stringContaining('terlalu umum') }]);
    const wrong = await call('POST', '/auth/password', limited, { currentPassword: 'bukan-ini-sandinya', newPassword: 'sandi-baru-dikbud-2026' });
    expect(json(wrong).errors).toEqual([{ field: 'body.currentPassword', message: 'Kata sandi saat ini salah.' }]);

    const changed = await call('POST', '/auth/password', limited, { currentPassword: 'sementara-dikbud-1', newPassword: 'sandi-baru-dikbud-2026' });
    expect(changed.statusCode).toBe(200);
    expect(json(changed)).toMatchObject({ passwordChangeRequired: false });
    const token = json(changed).accessToken as string;
    expect((await call('GET', '/inbox', token)).statusCode).toBe(200);
    // the limited token ended with the change; the temporary password too
    expect((await call('POST', '/auth/password', limited, { currentPassword: 'x', newPassword: 'y-y-y-y-y-y-y' })).statusCode).toBe(401);
    expect((await signIn('penghubung-dikbud-2', 'sementara-dikbud-1')).statusCode).toBe(401);

    expect((await call('POST', `/staff-accounts/${accountId}/deactivation`, tokens['admin-ntt'])).statusCode).toBe(200);
    const after = await call('GET', '/inbox', token);
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await signIn('penghubung-dikbud-2', 'sandi-baru-dikbud-2026')).statusCode).toBe(401);
  });

  it('refuses a username taken (409) and bad input naming the field (400), as problem+json', async () => {
    const taken = await call('POST', '/staff-accounts', tokens['admin-ntt'], { username: 'penghubung-pupr', role: 'liaison', nodeId: DIKBUD });
    expect(taken.statusCode).toBe(409);
    expect(json(taken)).toMatchObject({ code: 'USERNAME_TAKEN' });
    const bad = await call('POST', '/staff-accounts', tokens['admin-ntt'], { username: 'Bukan Nama', role: 'kepala', nodeId: DIKBUD });
    expect(bad.statusCode).toBe(400);
    expect((json(bad).errors as Array<{ field: string }>).map((error) => error.field).sort()).toEqual(['body.role', 'body.username']);
    const sameAsName = await call('POST', '/staff-accounts', tokens['admin-ntt'], {
      username: 'penghubung-baru-1',
      role: 'liaison',
      nodeId: DIKBUD,
      temporaryPassword: 'penghubung-baru-1',
    });
    expect(json(sameAsName).errors).toEqual([{ field: 'body.temporaryPassword', message: 'Kata sandi tidak boleh sama dengan nama pengguna.' }]);
    const nasional = await call('POST', '/staff-accounts', tokens['admin-ntt'], { username: 'calon-nasional', role: 'admin_nasional', nodeId: 'nasional' });
    expect(nasional.statusCode).toBe(403);
  });

  it('names an account by its holder’s e-mail address, as bulk onboarding does', async () => {
    const created = await call('POST', '/staff-accounts', tokens['admin-ntt'], { username: 'maria.goreti@nttprov.go.id', role: 'liaison', nodeId: DIKBUD });
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({ account: { username: 'maria.goreti@nttprov.go.id' }, resetCode: expect.any(String) });
  });

  it('given an account without a password, when its holder redeems the one-time code, then they sign in with their own password; the code works once', async () => {
    const created = json(await call('POST', '/staff-accounts', tokens['admin-ntt'], { username: 'penghubung-kominfo', role: 'liaison', nodeId: KOMINFO }));
    const code = created.resetCode as string;
    expect(code).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
    // only its hash is stored
    const stored = JSON.stringify((await stores.store.readStream('staff-accounts')).map(({ type, data, metadata }) => ({ type, data, metadata })));
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(code.replaceAll('-', ''));

    const redeem = () =>
      call('POST', '/auth/password-reset', undefined, { username: 'penghubung-kominfo', code: code.toLowerCase(), newPassword: 'sandi-kominfo-sendiri' });
    expect((await redeem()).statusCode).toBe(204);
    expect((await redeem()).statusCode).toBe(401);
    expect(json(await signIn('penghubung-kominfo', 'sandi-kominfo-sendiri'))).toMatchObject({ passwordChangeRequired: false });

    // an administrator's reset: the old password and sessions end, a new code works
    const token = json(await signIn('penghubung-kominfo', 'sandi-kominfo-sendiri')).accessToken as string;
    const accountId = (created.account as { accountId: string }).accountId;
    const reset = json(await call('POST', `/staff-accounts/${accountId}/password-reset`, tokens['admin-ntt']));
    expect((await call('GET', '/inbox', token)).statusCode).toBe(401);
    expect((await signIn('penghubung-kominfo', 'sandi-kominfo-sendiri')).statusCode).toBe(401);
    expect(
      (await call('POST', '/auth/password-reset', undefined, { username: 'penghubung-kominfo', code: reset.resetCode, newPassword: 'sandi-kominfo-kedua' }))
        .statusCode,
    ).toBe(204);
  });

  it('given a liaison moving on (mutasi), when its successor is appointed by hand-over, then the successor answers the unit’s complaints, and what each did keeps its own account id', async () => {
    const submitted = await call('POST', '/complaints', undefined, {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Jembatan retak',
      description: 'Jembatan desa retak sejak banjir.',
      addressedTo: NTT_ID,
    });
    const { complaintId } = json(submitted) as { complaintId: string };
    expect(
      (await call('POST', `/complaints/${complaintId}/verification`, tokens['admin-ntt'], { slaClass: 'tanpa_pengawasan', category: 'Jalan' })).statusCode,
    ).toBe(200);
    expect((await call('POST', `/complaints/${complaintId}/dispositions`, tokens['admin-ntt'], { to: PUPR })).statusCode).toBe(200);
    expect((await call('POST', `/complaints/${complaintId}/follow-ups`, tokens['penghubung-pupr'], { message: 'Tim survei dijadwalkan.' })).statusCode).toBe(
      200,
    );

    const accounts = json(await call('GET', '/staff-accounts', tokens['admin-ntt'])).accounts!;
    const leaving = accounts.find((account) => account.username === 'penghubung-pupr')!;
    const successor = json(
      await call('POST', '/staff-accounts', tokens['admin-ntt'], {
        username: 'penghubung-pupr-baru',
        role: 'liaison',
        nodeId: DIKBUD,
        temporaryPassword: 'sementara-pupr-baru',
      }),
    ).account as { accountId: string };
    const handedOver = await call('POST', `/staff-accounts/${leaving.accountId}/hand-over`, tokens['admin-ntt'], {
      nodeId: ORGANISASI,
      successorAccountId: successor.accountId,
    });
    expect(handedOver.statusCode).toBe(200);
    expect(json(handedOver).accounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ accountId: leaving.accountId, nodeId: ORGANISASI }),
        expect.objectContaining({ accountId: successor.accountId, nodeId: PUPR }),
      ]),
    );
    // the leaving liaison's token named PUPR: refused; signed in again, it works for its new unit
    expect((await call('GET', '/inbox', tokens['penghubung-pupr'])).statusCode).toBe(401);
    const again = json(await signIn('penghubung-pupr', PASSWORD));
    expect(again.nodeId).toBe(ORGANISASI);
    tokens['penghubung-pupr'] = again.accessToken as string;

    const first = json(await signIn('penghubung-pupr-baru', 'sementara-pupr-baru')).accessToken as string;
    const token = json(await call('POST', '/auth/password', first, { currentPassword: 'sementara-pupr-baru', newPassword: 'sandi-pupr-baru-2026' }))
      .accessToken as string;
    const inbox = await readUntil(
      async () => json(await call('GET', '/inbox', token)).items as Array<{ complaintId: string }>,
      (items) => items.some((item) => item.complaintId === complaintId),
    );
    expect(inbox.map((item) => item.complaintId)).toContain(complaintId);
    expect((await call('POST', `/complaints/${complaintId}/follow-ups`, token, { message: 'Perbaikan dimulai pekan depan.' })).statusCode).toBe(200);

    const followUps = (await stores.store.readStream(complaintStream(complaintId)))
      .filter((event) => event.type === 'FollowUpPosted')
      .map((event) => (event.data as { by: { id: string } }).by.id);
    expect(followUps).toEqual([leaving.accountId, successor.accountId]);
  });

  it('given TTU’s move of complaint management to Diskominfo, when the instansi-admin role is transferred, then there is one admin before and after, and each keeps its account id', async () => {
    const kominfo = json(
      await call('POST', '/staff-accounts', tokens['admin-nasional'], {
        username: 'kepala-kominfo',
        role: 'liaison',
        nodeId: KOMINFO,
        temporaryPassword: 'sementara-kominfo',
      }),
    );
    const list = json(await call('GET', '/staff-accounts', tokens['admin-nasional']));
    const adminNtt = list.accounts!.find((account) => account.username === 'admin-ntt')!;
    const second = await call('POST', '/staff-accounts', tokens['admin-nasional'], { username: 'admin-ntt-kedua', role: 'admin_instansi', nodeId: NTT_ID });
    expect(json(second)).toMatchObject({ code: 'INSTANSI_HAS_ADMIN' });

    const moved = await call('POST', '/staff-accounts/instansi-admin-transfer', tokens['admin-ntt'], {
      instansiId: NTT_ID,
      fromAccountId: adminNtt.accountId,
      toAccountId: (kominfo.account as { accountId: string }).accountId,
      previousAdminNodeId: ORGANISASI,
    });
    expect(moved.statusCode).toBe(200);
    const after = json(await call('GET', '/staff-accounts', tokens['admin-nasional'])).accounts!;
    const admins = after.filter((account) => account.role === 'admin_instansi' && account.nodeId === NTT_ID);
    expect(admins.map((account) => account.username)).toEqual(['kepala-kominfo']);
    expect(after.find((account) => account.accountId === adminNtt.accountId)).toMatchObject({ username: 'admin-ntt', role: 'liaison', nodeId: ORGANISASI });
    // the old admin's token carried the old role: refused at once
    expect((await call('GET', '/staff-accounts', tokens['admin-ntt'])).statusCode).toBe(401);
    tokens['admin-ntt'] = '';
  });

  it('shows the audit trail, newest first and paged by keyset: Admin Nasional all of it, an instansi admin its own instansi’s, with who and from where', async () => {
    const sikkaFirst = json(await signIn('admin-sikka', 'sementara-sikka-1')).accessToken as string;
    const sikka = json(await call('POST', '/auth/password', sikkaFirst, { currentPassword: 'sementara-sikka-1', newPassword: 'sandi-admin-sikka-2026' }))
      .accessToken as string;
    // an organisation change through the organisation's own route carries its address too
    expect((await call('POST', `/organisation/nodes/${SIKKA}/units`, sikka, { id: 'sikka-upt-air', name: 'UPT Air Minum' }, '192.0.2.44')).statusCode).toBe(
      201,
    );

    type Entry = { action: string; subject: string; clientAddress: string | null; actor: { accountId: string } | null; nodeIds: string[] };
    const all = await readUntil(
      async () => json(await call('GET', '/audit-trail?limit=200', tokens['admin-nasional'])).entries as Entry[],
      (entries) => entries.some((entry) => entry.action === 'UnitAdded' && entry.subject === 'sikka-upt-air'),
    );
    expect(all.find((entry) => entry.action === 'UnitAdded')).toMatchObject({
      clientAddress: '192.0.2.44',
      nodeIds: expect.arrayContaining(['sikka-upt-air', SIKKA]),
    });
    expect(all.find((entry) => entry.action === 'StaffAccountDeactivated')).toMatchObject({ clientAddress: ADMIN_NTT_ADDRESS });
    expect(all.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['StaffAccountCreated', 'StaffAccountMoved', 'StaffAccountRoleChanged', 'StaffPasswordResetIssued']),
    );
    // no secrets in it
    expect(JSON.stringify(all)).not.toMatch(/argon2id|codeHash|passwordHash/);

    const kominfo = json(await signIn('kepala-kominfo', 'sementara-kominfo')).accessToken as string;
    const nttAdmin = json(await call('POST', '/auth/password', kominfo, { currentPassword: 'sementara-kominfo', newPassword: 'sandi-kepala-kominfo' }))
      .accessToken as string;
    const ntt = json(await call('GET', '/audit-trail?limit=200', nttAdmin)).entries as Array<{ subject: string; nodeIds: string[] }>;
    expect(ntt.length).toBeGreaterThan(0);
    expect(ntt.some((entry) => entry.nodeIds.includes(SIKKA) || entry.subject === 'sikka-upt-air')).toBe(false);
    const sikkaView = json(await call('GET', '/audit-trail', sikka)).entries as Array<{ nodeIds: string[] }>;
    expect(sikkaView.every((entry) => entry.nodeIds.some((id) => id.startsWith('sikka') || id === SIKKA))).toBe(true);
    expect((await call('GET', '/audit-trail', tokens['penghubung-pupr'])).statusCode).toBe(403);

    // keyset pages: together the whole, none twice
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page = json(await call('GET', `/audit-trail?limit=3${before ? `&before=${before}` : ''}`, tokens['admin-nasional']));
      seen.push(...(page.entries as Array<{ cursor: string }>).map((entry) => entry.cursor));
      before = page.next as string | null;
    } while (before);
    expect(seen.length).toBe(all.length);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
