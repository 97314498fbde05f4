import type { Stores } from '@lapor/http-kit';
import type { OrganisationNode } from '@lapor/domain';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { embeddedStores } from './support/stores';

// Every route, every kind of caller, in and out of scope: who gets through (any answer but 401, 403
// or 404: the rules may still refuse with 409 or 422), who is not signed in (401), who may not (403),
// and who must not even learn that the complaint exists (404).

const PASSWORD = 'matrix-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const DIKBUD = 'ntt-dinas-pendidikan-dan-kebudayaan';
const SIKKA = 'pemkab-sikka';
const SPARE = 'ntt-unit-cadangan';
/** A national kategori and an NTT addition, created before the rows (the category rows change them). */
const MATRIX_KATEGORI = 'matriks';
const NTT_CATEGORY = 'ntt-matriks';
const ORGANISATION: OrganisationNode[] = [
  ...DEMO_ORGANISATION,
  { kind: 'instansi', id: SIKKA, name: 'Pemerintah Kabupaten Sikka', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'sikka-dinkes', name: 'Dinas Kesehatan Kabupaten Sikka', parentId: SIKKA },
  // restructured by the administration rows, so no other row depends on it
  { kind: 'unit', id: SPARE, name: 'Unit Cadangan', parentId: NTT_ID },
];
const ACCOUNTS = [
  { username: 'nasional', role: 'admin_nasional', nodeId: 'nasional' },
  { username: 'ntt', role: 'admin_instansi', nodeId: NTT_ID },
  { username: 'sikka', role: 'admin_instansi', nodeId: SIKKA },
  { username: 'pupr', role: 'liaison', nodeId: PUPR },
  { username: 'dikbud', role: 'liaison', nodeId: DIKBUD },
  // moved by the account rows, so no caller depends on them
  { username: 'spare', role: 'liaison', nodeId: SPARE },
  { username: 'spare-successor', role: 'liaison', nodeId: PUPR },
] as const;
/** Account ids by username, read once the gateway is up. */
const accountIds = new Map<string, string>();

type Caller = 'anonymous' | 'reporter' | 'other-reporter' | 'system' | Exclude<(typeof ACCOUNTS)[number]['username'], 'spare' | 'spare-successor'>;
const CALLERS: Caller[] = ['anonymous', 'reporter', 'other-reporter', 'system', 'nasional', 'ntt', 'sikka', 'pupr', 'dikbud'];
type Outcome = 'allowed' | 401 | 403 | 404;
/** Where the complaint stands before the call: each case gets a fresh one. */
type Stage = 'submitted' | 'with-pupr' | 'completed-aspiration';

interface Route {
  readonly name: string;
  readonly stage: Stage;
  readonly request: (complaint: { id: string; trackingId: string }) => { method: 'GET' | 'POST' | 'PATCH'; url: string; body?: Record<string, unknown> };
  readonly expected: Record<Caller, Outcome>;
}

const staffOnly = (allowed: Partial<Record<Caller, Outcome>>): Record<Caller, Outcome> => ({
  anonymous: 401,
  reporter: 401,
  'other-reporter': 401,
  system: 401,
  nasional: 'allowed',
  ntt: 'allowed',
  sikka: 404,
  pupr: 403,
  dikbud: 403,
  ...allowed,
});
const reporterOnly: Record<Caller, Outcome> = {
  anonymous: 401,
  reporter: 'allowed',
  'other-reporter': 404,
  system: 401,
  nasional: 401,
  ntt: 401,
  sikka: 401,
  pupr: 401,
  dikbud: 401,
};

const ROUTES: Route[] = [
  {
    name: 'GET /tracking/{id}',
    stage: 'submitted',
    request: (c) => ({ method: 'GET', url: `/tracking/${c.trackingId}` }),
    expected: Object.fromEntries(CALLERS.map((caller) => [caller, 'allowed'])) as Record<Caller, Outcome>,
  },
  {
    name: 'POST /tracking/{id}/missing-data',
    stage: 'submitted',
    request: (c) => ({ method: 'POST', url: `/tracking/${c.trackingId}/missing-data`, body: { message: 'x' } }),
    expected: reporterOnly,
  },
  {
    name: 'POST /tracking/{id}/replies',
    stage: 'with-pupr',
    request: (c) => ({ method: 'POST', url: `/tracking/${c.trackingId}/replies`, body: { message: 'x' } }),
    expected: reporterOnly,
  },
  {
    name: 'POST /tracking/{id}/rating',
    stage: 'completed-aspiration',
    request: (c) => ({ method: 'POST', url: `/tracking/${c.trackingId}/rating`, body: { rating: 4 } }),
    expected: reporterOnly,
  },
  {
    name: 'POST /complaints/{id}/reporter-side/missing-data',
    stage: 'submitted',
    request: (c) => ({ method: 'POST', url: `/complaints/${c.id}/reporter-side/missing-data`, body: { message: 'x', enteredVia: 'letter' } }),
    // admins in scope get through to the rules (409: no Tunda open); units never speak for the reporter
    expected: staffOnly({}),
  },
  {
    name: 'POST /complaints/{id}/reporter-side/replies',
    stage: 'with-pupr',
    request: (c) => ({ method: 'POST', url: `/complaints/${c.id}/reporter-side/replies`, body: { message: 'x', enteredVia: 'call_centre' } }),
    expected: staffOnly({}),
  },
  {
    name: 'POST /complaints/{id}/reporter-side/rating',
    stage: 'completed-aspiration',
    request: (c) => ({ method: 'POST', url: `/complaints/${c.id}/reporter-side/rating`, body: { rating: 4, enteredVia: 'face_to_face' } }),
    // the reporter of a web complaint rates for themselves: no admin rates for them (REPORTER_CAN_ACT)
    expected: staffOnly({ nasional: 403, ntt: 403 }),
  },
  {
    name: 'POST /complaints/{id}/verification',
    stage: 'submitted',
    request: (c) => ({ method: 'POST', url: `/complaints/${c.id}/verification`, body: { slaClass: 'tanpa_pengawasan', category: MATRIX_KATEGORI } }),
    // A liaison is turned away by role before anything is looked up; Admin Nasional oversees the
    // complaint but only its holder (here NTT) acts on it.
    expected: staffOnly({ nasional: 403 }),
  },
  {
    name: 'POST /complaints/{id}/missing-data-requests',
    stage: 'submitted',
    request: (c) => ({ method: 'POST', url: `/complaints/${c.id}/missing-data-requests`, body: { message: 'x' } }),
    expected: staffOnly({ nasional: 403 }),
  },
  {
    name: 'POST /complaints/{id}/archive',
    stage: 'submitted',
    request: (c) => ({ method: 'POST', url: `/complaints/${c.id}/archive`, body: { reason: 'SPAM' } }),
    expected: staffOnly({ nasional: 403 }),
  },
  {
    name: 'POST /complaints/{id}/aspiration-answer',
    stage: 'submitted',
    request: (c) => ({ method: 'POST', url: `/complaints/${c.id}/aspiration-answer`, body: { answer: 'x' } }),
    expected: staffOnly({}),
  },
  {
    name: 'POST /complaints/{id}/dispositions',
    stage: 'submitted',
    request: (c) => ({ method: 'POST', url: `/complaints/${c.id}/dispositions`, body: { to: PUPR } }),
    // Any staff role may hand on what it holds; a liaison that holds nothing here does not see it.
    expected: staffOnly({ pupr: 404, dikbud: 404 }),
  },
  {
    name: 'POST /complaints/{id}/returns',
    stage: 'with-pupr',
    request: (c) => ({ method: 'POST', url: `/complaints/${c.id}/returns`, body: { reason: 'bukan wewenang' } }),
    // Only the holder returns it: the unit, not the admins above it.
    expected: staffOnly({ nasional: 403, ntt: 403, pupr: 'allowed', dikbud: 404 }),
  },
  {
    name: 'POST /complaints/{id}/follow-ups',
    stage: 'with-pupr',
    request: (c) => ({ method: 'POST', url: `/complaints/${c.id}/follow-ups`, body: { message: 'x' } }),
    expected: staffOnly({ nasional: 403, ntt: 403, sikka: 403, pupr: 'allowed', dikbud: 404 }),
  },
  {
    name: 'GET /complaints/{id}',
    stage: 'with-pupr',
    request: (c) => ({ method: 'GET', url: `/complaints/${c.id}` }),
    expected: staffOnly({ pupr: 'allowed', dikbud: 404 }),
  },
  {
    name: 'POST /complaints/{id}/personal-data/erasure',
    stage: 'with-pupr',
    request: (c) => ({ method: 'POST', url: `/complaints/${c.id}/personal-data/erasure`, body: { reason: 'permintaan pelapor' } }),
    // Admin Nasional alone; every other staff role is turned away by role first.
    expected: staffOnly({ ntt: 403, sikka: 403, pupr: 403, dikbud: 403 }),
  },
  {
    name: 'GET /personal-data/access-log',
    stage: 'submitted',
    request: () => ({ method: 'GET', url: '/personal-data/access-log' }),
    // who read which reporter's identity: Admin Nasional alone
    expected: staffOnly({ ntt: 403, sikka: 403, pupr: 403, dikbud: 403 }),
  },
  {
    name: 'POST /complaints (a letter typed in)',
    stage: 'submitted',
    request: () => ({
      method: 'POST',
      url: '/complaints',
      body: { kind: 'pengaduan', channel: 'letter', title: 'Surat', description: 'Isi surat', addressedTo: NTT_ID },
    }),
    // Letters are typed in by admins at their own door; a reporter secret or an agency key does not open that channel.
    expected: { anonymous: 401, reporter: 401, 'other-reporter': 401, system: 403, nasional: 'allowed', ntt: 'allowed', sikka: 403, pupr: 403, dikbud: 403 },
  },
  {
    name: 'GET /statistics/recap (NTT)',
    stage: 'submitted',
    request: () => ({ method: 'GET', url: `/statistics/recap?nodeId=${NTT_ID}&from=2024-01-01&to=2030-01-01` }),
    // a node's table is for that node and those above it
    expected: staffOnly({ sikka: 404, pupr: 404, dikbud: 404 }),
  },
  {
    name: 'GET /inbox',
    stage: 'submitted',
    request: () => ({ method: 'GET', url: '/inbox' }),
    expected: staffOnly({ sikka: 'allowed', pupr: 'allowed', dikbud: 'allowed' }),
  },
  {
    // what each node finds is its own inbox's (inbox-search.e2e.spec.ts)
    name: 'GET /inbox?q= (search)',
    stage: 'submitted',
    request: (c) => ({ method: 'GET', url: `/inbox?q=${c.trackingId.slice(-6)}` }),
    expected: staffOnly({ sikka: 'allowed', pupr: 'allowed', dikbud: 'allowed' }),
  },
  { name: 'GET /api-keys', stage: 'submitted', request: () => ({ method: 'GET', url: '/api-keys' }), expected: staffOnly({ sikka: 'allowed' }) },
  {
    name: 'POST /api-keys (for NTT)',
    stage: 'submitted',
    request: () => ({ method: 'POST', url: '/api-keys', body: { name: 'x', instansiId: NTT_ID, channels: ['integration'] } }),
    expected: staffOnly({ sikka: 403 }),
  },
  // The organisation's administration: Admin Nasional anywhere, an instansi admin below its own
  // instansi; another instansi is known (403), another instansi's units are not (404); liaisons may not.
  {
    name: 'GET /organisation',
    stage: 'submitted',
    request: () => ({ method: 'GET', url: '/organisation' }),
    expected: staffOnly({ sikka: 'allowed', pupr: 'allowed', dikbud: 'allowed' }),
  },
  {
    name: 'POST /organisation/instansi',
    stage: 'submitted',
    request: () => ({
      method: 'POST',
      url: '/organisation/instansi',
      body: { id: 'pemkab-ende', name: 'Pemerintah Kabupaten Ende', kind: 'pemkab', timeZone: 'Asia/Makassar' },
    }),
    expected: staffOnly({ ntt: 403, sikka: 403 }),
  },
  {
    name: 'POST /organisation/nodes/{NTT}/units',
    stage: 'submitted',
    request: () => ({ method: 'POST', url: `/organisation/nodes/${NTT_ID}/units`, body: { id: 'ntt-matrix-unit', name: 'Unit Matriks' } }),
    expected: staffOnly({ sikka: 403 }),
  },
  {
    name: 'POST /organisation/nodes/{Dikbud}/units (a sub-unit)',
    stage: 'submitted',
    request: () => ({ method: 'POST', url: `/organisation/nodes/${DIKBUD}/units`, body: { id: 'ntt-matrix-subunit', name: 'Seksi Matriks' } }),
    expected: staffOnly({}),
  },
  {
    name: 'PATCH /organisation/nodes/{unit} (rename)',
    stage: 'submitted',
    request: () => ({ method: 'PATCH', url: `/organisation/nodes/${SPARE}`, body: { name: 'Unit Cadangan Baru' } }),
    expected: staffOnly({}),
  },
  {
    name: 'PATCH /organisation/nodes/{unit} (move)',
    stage: 'submitted',
    request: () => ({ method: 'PATCH', url: `/organisation/nodes/${SPARE}`, body: { parentId: PUPR } }),
    expected: staffOnly({}),
  },
  {
    name: 'PATCH /organisation/nodes/{NTT} (the instansi itself)',
    stage: 'submitted',
    request: () => ({ method: 'PATCH', url: `/organisation/nodes/${NTT_ID}`, body: { name: 'Pemprov NTT' } }),
    expected: staffOnly({ ntt: 403, sikka: 403 }),
  },
  {
    name: 'POST /organisation/nodes/{unit}/deactivation',
    stage: 'submitted',
    request: () => ({ method: 'POST', url: `/organisation/nodes/${SPARE}/deactivation`, body: {} }),
    expected: staffOnly({}),
  },
  // restructuring: the spare unit is deactivated by the row above, so the rules refuse (409) whoever gets through
  {
    name: 'POST /organisation/merges',
    stage: 'submitted',
    request: () => ({ method: 'POST', url: '/organisation/merges', body: { unitIds: [SPARE], successor: { id: DIKBUD } } }),
    expected: staffOnly({}),
  },
  {
    name: 'POST /organisation/nodes/{unit}/split',
    stage: 'submitted',
    request: () => ({
      method: 'POST',
      url: `/organisation/nodes/${SPARE}/split`,
      body: {
        into: [
          { id: 'ntt-matrix-belahan-a', name: 'Belahan A' },
          { id: 'ntt-matrix-belahan-b', name: 'Belahan B' },
        ],
        heirId: 'ntt-matrix-belahan-a',
      },
    }),
    expected: staffOnly({}),
  },
  // The category taxonomy: Admin Nasional the national kategori and any instansi's; an instansi
  // admin its own instansi's additions (another instansi's are as if they did not exist); liaisons read.
  {
    name: 'GET /categories',
    stage: 'submitted',
    request: () => ({ method: 'GET', url: '/categories' }),
    expected: staffOnly({ sikka: 'allowed', pupr: 'allowed', dikbud: 'allowed' }),
  },
  {
    name: 'POST /categories (national)',
    stage: 'submitted',
    request: () => ({ method: 'POST', url: '/categories', body: { id: 'matrix-nasional', name: 'Matriks Nasional' } }),
    expected: staffOnly({ ntt: 403, sikka: 403 }),
  },
  {
    name: 'POST /categories (an NTT addition)',
    stage: 'submitted',
    request: () => ({
      method: 'POST',
      url: '/categories',
      body: { id: 'ntt-matrix-tambahan', name: 'Matriks NTT', parentId: MATRIX_KATEGORI, instansiId: NTT_ID },
    }),
    expected: staffOnly({ sikka: 403 }),
  },
  {
    name: 'PATCH /categories/{NTT addition} (rename)',
    stage: 'submitted',
    request: () => ({ method: 'PATCH', url: `/categories/${NTT_CATEGORY}`, body: { name: 'Kategori NTT Baru' } }),
    expected: staffOnly({}),
  },
  {
    name: 'PATCH /categories/{national} (rename)',
    stage: 'submitted',
    request: () => ({ method: 'PATCH', url: `/categories/${MATRIX_KATEGORI}`, body: { name: 'Kategori Matriks Baru' } }),
    expected: staffOnly({ ntt: 403, sikka: 403 }),
  },
  {
    name: 'POST /categories/{NTT addition}/deactivation',
    stage: 'submitted',
    request: () => ({ method: 'POST', url: `/categories/${NTT_CATEGORY}/deactivation` }),
    expected: staffOnly({}),
  },
  // Staff accounts: Admin Nasional anywhere, an instansi admin within its instansi (another's
  // accounts and units are as if they did not exist); liaisons administer nobody.
  {
    name: 'GET /staff-accounts',
    stage: 'submitted',
    request: () => ({ method: 'GET', url: '/staff-accounts' }),
    expected: staffOnly({ sikka: 'allowed' }),
  },
  {
    name: 'POST /staff-accounts (a liaison for Dikbud)',
    stage: 'submitted',
    request: () => ({ method: 'POST', url: '/staff-accounts', body: { username: 'matrix-liaison', role: 'liaison', nodeId: DIKBUD } }),
    expected: staffOnly({}),
  },
  {
    name: 'PATCH /staff-accounts/{NTT account} (mutasi)',
    stage: 'submitted',
    request: () => ({ method: 'PATCH', url: `/staff-accounts/${accountIds.get('spare')}`, body: { nodeId: DIKBUD } }),
    expected: staffOnly({}),
  },
  {
    name: 'POST /staff-accounts/{NTT account}/deactivation',
    stage: 'submitted',
    request: () => ({ method: 'POST', url: `/staff-accounts/${accountIds.get('spare')}/deactivation` }),
    expected: staffOnly({}),
  },
  {
    name: 'POST /staff-accounts/{NTT account}/reactivation',
    stage: 'submitted',
    request: () => ({ method: 'POST', url: `/staff-accounts/${accountIds.get('spare')}/reactivation` }),
    expected: staffOnly({}),
  },
  {
    name: 'POST /staff-accounts/{NTT account}/password-reset',
    stage: 'submitted',
    request: () => ({ method: 'POST', url: `/staff-accounts/${accountIds.get('spare')}/password-reset` }),
    expected: staffOnly({}),
  },
  {
    name: 'POST /staff-accounts/{NTT account}/hand-over',
    stage: 'submitted',
    request: () => ({
      method: 'POST',
      url: `/staff-accounts/${accountIds.get('spare')}/hand-over`,
      body: { nodeId: PUPR, successorAccountId: accountIds.get('spare-successor') },
    }),
    expected: staffOnly({}),
  },
  // from an account that is no admin: whoever gets through is refused by the rules (422), so no caller's role moves
  {
    name: 'POST /staff-accounts/instansi-admin-transfer',
    stage: 'submitted',
    request: () => ({
      method: 'POST',
      url: '/staff-accounts/instansi-admin-transfer',
      body: { instansiId: NTT_ID, fromAccountId: accountIds.get('spare'), toAccountId: accountIds.get('spare-successor'), previousAdminNodeId: null },
    }),
    expected: staffOnly({}),
  },
  {
    name: 'GET /audit-trail',
    stage: 'submitted',
    request: () => ({ method: 'GET', url: '/audit-trail' }),
    expected: staffOnly({ sikka: 'allowed' }),
  },
];

describe('who may call what', () => {
  let stores: Stores;
  let app: FastifyInstance;
  const tokens = new Map<string, string>();
  let apiKey: string;

  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'matrix-secret-matrix-secret-matrix-secret',
      seedOrganisation: ORGANISATION,
      seedAccounts: ACCOUNTS.map((account) => ({ ...account, password: PASSWORD })),
      publicRateLimit: 100_000,
    }));
    for (const { username } of ACCOUNTS) {
      const answer = await app.inject({ method: 'POST', url: '/auth/token', payload: { username, password: PASSWORD } });
      tokens.set(username, answer.json<{ accessToken: string }>().accessToken);
    }
    const listed = await app.inject({ method: 'GET', url: '/staff-accounts', headers: { authorization: `Bearer ${tokens.get('nasional')}` } });
    for (const { username, accountId } of listed.json<{ accounts: Array<{ username: string; accountId: string }> }>().accounts)
      accountIds.set(username, accountId);
    for (const payload of [
      { id: MATRIX_KATEGORI, name: 'Kategori Matriks' },
      { id: NTT_CATEGORY, name: 'Kategori NTT', instansiId: NTT_ID },
    ]) {
      await app.inject({ method: 'POST', url: '/categories', headers: { authorization: `Bearer ${tokens.get('nasional')}` }, payload });
    }
    const issued = await app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: { authorization: `Bearer ${tokens.get('ntt')}` },
      payload: { name: 'matrix', instansiId: NTT_ID, channels: ['integration'] },
    });
    apiKey = issued.json<{ key: string }>().key;
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, body?: Record<string, unknown>) => {
    const answer = await app.inject({ method, url, headers, ...(body ? { payload: body } : {}) });
    if (answer.statusCode >= 500) throw new Error(`${method} ${url}: ${answer.statusCode} ${answer.body}`);
    return answer;
  };
  const staff = (username: string) => ({ authorization: `Bearer ${tokens.get(username)}` });

  /** A complaint addressed to NTT, brought to `stage` by the people whose job it is. */
  async function complaintAt(stage: Stage): Promise<{ id: string; trackingId: string; secret: string }> {
    const kind = stage === 'completed-aspiration' ? 'aspirasi' : 'pengaduan';
    const submitted = await call('POST', '/complaints', {}, { kind, channel: 'web', title: 'Matrix', description: 'Matrix case', addressedTo: NTT_ID });
    const { complaintId: id, trackingId, reporterSecret: secret } = submitted.json<{ complaintId: string; trackingId: string; reporterSecret: string }>();
    if (stage === 'with-pupr') {
      await call('POST', `/complaints/${id}/verification`, staff('ntt'), { slaClass: 'tanpa_pengawasan', category: MATRIX_KATEGORI });
      await call('POST', `/complaints/${id}/dispositions`, staff('ntt'), { to: PUPR });
      await call('POST', `/complaints/${id}/follow-ups`, staff('pupr'), { message: 'first answer' });
    }
    if (stage === 'completed-aspiration') await call('POST', `/complaints/${id}/aspiration-answer`, staff('ntt'), { answer: 'dijawab' });
    return { id, trackingId, secret };
  }

  const cases = ROUTES.flatMap((route) => CALLERS.map((caller) => [route.name, caller, route.expected[caller], route] as const));

  it.each(cases)('%s as %s → %s', async (_name, caller, expected, route) => {
    const complaint = await complaintAt(route.stage);
    const headers: Record<string, string> =
      caller === 'anonymous'
        ? {}
        : caller === 'reporter'
          ? { 'x-reporter-secret': complaint.secret }
          : caller === 'other-reporter'
            ? { 'x-reporter-secret': 'another-reporters-secret-000000000' }
            : caller === 'system'
              ? { 'x-api-key': apiKey }
              : staff(caller);
    const { method, url, body } = route.request({ id: complaint.id, trackingId: complaint.trackingId });
    const answer = await call(method, url, headers, body);
    const outcome: Outcome = [401, 403, 404].includes(answer.statusCode) ? (answer.statusCode as 401 | 403 | 404) : 'allowed';
    expect({ status: answer.statusCode, outcome }).toEqual({ status: answer.statusCode, outcome: expected });
    if (outcome !== 'allowed') expect(answer.headers['content-type']).toContain('application/problem+json');
  });
});
