import { complaintStream } from '@lapor/domain';
import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION } from '../src/seed/demo-organisation';
import { bearer, disposedComplaint, recapOf, rowOf, signedIn, unitWorkbook, XLSX, type OnboardingResult, type Recap } from './support/administration';
import { capturedLogs } from './support/captured-logs';
import { readUntil } from './support/eventually';
import { embeddedStores } from './support/stores';

// Issue 14's story whole, on the embedded gateway: Kabupaten Sumba Timur is onboarded from its
// XLSX unit list in 2024; the liaison of its Dinas Peternakan sets a password with the one-time code
// the upload handed out, signs in, receives a disposition in its inbox, and is deactivated while
// signed in. In 2025 Dinas Peternakan is merged into Dinas Pertanian by decree: the 2024 recap,
// drawn as the tree stood then, reads as before; the current structure counts it under Pertanian.

const PASSWORD = 'lifecycle-password';
const SUMTIM = 'pemkab-sumba-timur';
const LIAISON = 'umbu.ndakularak@sumbatimurkab.go.id';
const ACCOUNTS = [
  { username: 'nasional', role: 'admin_nasional', nodeId: 'nasional' },
  { username: 'sumtim', role: 'admin_instansi', nodeId: SUMTIM },
] as const;
const SHEET = [
  ['Dinas Peternakan', '', 'Umbu Ndakularak', LIAISON],
  ['Dinas Pertanian', '', 'Rambu Anarara', 'rambu.anarara@sumbatimurkab.go.id'],
  ['Dinas Kesehatan', '', '', ''],
];
const YEAR_2024 = { nodeId: SUMTIM, from: '2024-01-01', to: '2024-12-31' };

type Inbox = { items: Array<{ complaintId: string; relation: string; status: string }> };

describe('an instansi from onboarding to restructuring, as its administrators run it', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let clock = '2024-03-04T02:00:00.000Z';
  const logLines: string[] = [];
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'lifecycle-secret-lifecycle-secret-000000',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: ACCOUNTS.map((account) => ({ ...account, password: PASSWORD })),
      now: () => clock,
      // everything a request carries, redacted as in production: where a reset code must not appear
      logger: capturedLogs(logLines),
    }));
    for (const { username } of ACCOUNTS) tokens.set(username, await signedIn(app, username, PASSWORD));
    const registered = await app.inject({
      method: 'POST',
      url: '/organisation/instansi',
      headers: bearer(tokens.get('nasional')!),
      payload: { id: SUMTIM, name: 'Pemerintah Kabupaten Sumba Timur', kind: 'pemkab', timeZone: 'Asia/Makassar' },
    });
    expect(registered.statusCode).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  const as = (username: string) => bearer(tokens.get(username)!);

  it('onboards by XLSX, lets the new liaison in with its code, disposes to it, shuts it out mid-session, and keeps the 2024 recap through a merge', async () => {
    // given the unit list uploaded as XLSX by the instansi's admin
    const onboarded = await app.inject({
      method: 'POST',
      url: `/organisation/nodes/${SUMTIM}/onboarding`,
      headers: { ...as('sumtim'), 'content-type': XLSX },
      payload: await unitWorkbook(SHEET),
    });
    expect(onboarded.statusCode).toBe(201);
    const result = onboarded.json<OnboardingResult>();
    const unitId = (name: string) => result.units.find((unit) => unit.name === name)!.id;
    const [peternakan, pertanian] = [unitId('Dinas Peternakan'), unitId('Dinas Pertanian')];
    const liaison = result.liaisons.find((entry) => entry.email === LIAISON)!;
    expect(liaison).toMatchObject({ unitId: peternakan, status: 'baru', resetCode: expect.any(String) });
    expect(logLines.some((line) => line.includes('units onboarded'))).toBe(true);
    expect(logLines.join('')).not.toContain(liaison.resetCode!);

    // when the liaison sets its own password with the code and signs in
    const reset = await app.inject({
      method: 'POST',
      url: '/auth/password-reset',
      payload: { username: LIAISON, code: liaison.resetCode, newPassword: 'sandi-peternakan-sumtim' },
    });
    expect(reset.statusCode).toBe(204);
    const signIn = await app.inject({ method: 'POST', url: '/auth/token', payload: { username: LIAISON, password: 'sandi-peternakan-sumtim' } });
    expect(signIn.json()).toMatchObject({ role: 'liaison', nodeId: peternakan, passwordChangeRequired: false });
    tokens.set('liaison', signIn.json<{ accessToken: string }>().accessToken);

    // then a complaint disposed to its unit is in its inbox
    const complaintId = await disposedComplaint(app, tokens.get('sumtim')!, {
      addressedTo: SUMTIM,
      to: peternakan,
      title: 'Vaksin rabies untuk ternak belum tiba',
      category: 'Peternakan',
    });
    const inbox = await readUntil(
      async () => (await app.inject({ method: 'GET', url: '/inbox', headers: as('liaison') })).json<Inbox>(),
      (answer) => answer.items?.some((item) => item.complaintId === complaintId) ?? false,
    );
    expect(inbox.items.find((item) => item.complaintId === complaintId)).toMatchObject({ relation: 'holder', status: 'BELUM_DITINDAKLANJUTI' });

    // when its admin deactivates it, its very next call is refused, and so is signing in again
    const accounts = (await app.inject({ method: 'GET', url: '/staff-accounts', headers: as('sumtim') })).json<{
      accounts: Array<{ accountId: string; username: string }>;
    }>();
    const accountId = accounts.accounts.find((account) => account.username === LIAISON)!.accountId;
    expect((await app.inject({ method: 'POST', url: `/staff-accounts/${accountId}/deactivation`, headers: as('sumtim') })).statusCode).toBe(200);
    const after = await app.inject({ method: 'GET', url: '/inbox', headers: as('liaison') });
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await app.inject({ method: 'POST', url: '/auth/token', payload: { username: LIAISON, password: 'sandi-peternakan-sumtim' } })).statusCode).toBe(
      401,
    );

    // the 2024 recap before the restructuring: the complaint waits at Dinas Peternakan
    const before = await readUntil(
      () => recapOf(app, tokens.get('sumtim')!, YEAR_2024),
      (recap) => rowOf(recap, peternakan)?.belumDitindaklanjuti === 1,
    );
    expect(before.structure).toBe('as-of');
    expect(rowOf(before, peternakan)).toMatchObject({ name: 'Dinas Peternakan', belumDitindaklanjuti: 1, total: 1 });

    // when, in 2025, Dinas Peternakan is merged into Dinas Pertanian with an effective date
    clock = '2025-02-03T02:00:00.000Z';
    const merged = await app.inject({
      method: 'POST',
      url: '/organisation/merges',
      headers: as('sumtim'),
      payload: { unitIds: [peternakan], successor: { id: pertanian }, effectiveAt: '2025-01-15T00:00:00+08:00' },
    });
    expect(merged.statusCode).toBe(201);
    await readUntil(
      () => stores.store.readStream(complaintStream(complaintId)),
      (events) => events.some((event) => event.type === 'ComplaintHandedOver'),
    );

    // then the current structure rolls Peternakan's 2024 complaint into Pertanian
    const current = await readUntil(
      () => recapOf(app, tokens.get('sumtim')!, { ...YEAR_2024, structure: 'current' }),
      (recap) => rowOf(recap, pertanian)?.total === 1,
    );
    expect(current.structure).toBe('current');
    expect(rowOf(current, peternakan)).toBeUndefined();
    expect(rowOf(current, pertanian)).toMatchObject({ total: 1 });
    expect(current.total.total).toBe(1);

    // and the 2024 recap as the tree stood then reads exactly as it did
    const unchanged: Recap = await recapOf(app, tokens.get('sumtim')!, YEAR_2024);
    expect(unchanged.structure).toBe('as-of');
    expect(unchanged.below).toEqual(before.below);
    expect(unchanged.total).toEqual(before.total);
  });
});
