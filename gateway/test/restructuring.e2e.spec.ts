import { complaintStream } from '@lapor/domain';
import type { Stores } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import { buildGateway } from '../src/app';
import { DEMO_ORGANISATION, NTT_ID } from '../src/seed/demo-organisation';
import { recapOf, rowOf, type Recap } from './support/administration';
import { readUntil } from './support/eventually';
import { embeddedStores } from './support/stores';

// Restructuring by decree, as NTT's administrator records it in 2025: the open complaint of a unit
// merged away (or split) reaches its successor's inbox with its deadlines, the 2023 recap reads as
// it did, a recap asked as of a moment is drawn in the tree of that moment, and the current
// structure counts the restructured unit's history under its successor.

const PASSWORD = 'restructure-password';
const PETERNAKAN = 'ntt-dinas-peternakan';
const PERTANIAN = 'ntt-dinas-pertanian-dan-ketahanan-pangan';
const KESEHATAN = 'ntt-dinas-kesehatan';
const ACCOUNTS = [
  { username: 'ntt', role: 'admin_instansi', nodeId: NTT_ID },
  { username: 'pertanian', role: 'liaison', nodeId: PERTANIAN },
] as const;

type Timer = { key: string; clockStartedAt: string; deadlineAt: string; status: string };

describe('restructuring units by decree', () => {
  let stores: Stores;
  let app: FastifyInstance;
  let clock = '2023-03-06T02:00:00.000Z';
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    stores = await embeddedStores();
    ({ app } = await buildGateway({
      ...stores,
      jwtSecret: 'restructure-secret-restructure-secret-00',
      seedOrganisation: DEMO_ORGANISATION,
      seedAccounts: ACCOUNTS.map((account) => ({ ...account, password: PASSWORD })),
      now: () => clock,
    }));
    for (const { username } of ACCOUNTS) {
      const answer = await app.inject({ method: 'POST', url: '/auth/token', payload: { username, password: PASSWORD } });
      tokens.set(username, answer.json<{ accessToken: string }>().accessToken);
    }
  });
  afterAll(async () => {
    await app.close();
    await stores.close();
  });

  const as = (username: string) => ({ authorization: `Bearer ${tokens.get(username)}` });
  const recap2023 = (structure?: 'as-of' | 'current') => recapOf(app, tokens.get('ntt')!, { nodeId: NTT_ID, from: '2023-01-01', to: '2023-12-31', structure });
  const pending = (timers: Timer[]) =>
    timers.filter((timer) => timer.status === 'pending').map(({ key, clockStartedAt, deadlineAt }) => ({ key, clockStartedAt, deadlineAt }));
  /** A complaint received now, verified and disposed to a unit; with its pending timers once the disposition's are planned. */
  const disposedTo = async (unitId: string, title: string) => {
    const submitted = await app.inject({
      method: 'POST',
      url: '/complaints',
      payload: { kind: 'pengaduan', channel: 'web', title, description: `${title}: mohon ditindaklanjuti.`, addressedTo: NTT_ID },
    });
    const { complaintId } = submitted.json<{ complaintId: string }>();
    await app.inject({
      method: 'POST',
      url: `/complaints/${complaintId}/verification`,
      headers: as('ntt'),
      payload: { slaClass: 'tanpa_pengawasan', category: 'Umum' },
    });
    expect((await app.inject({ method: 'POST', url: `/complaints/${complaintId}/dispositions`, headers: as('ntt'), payload: { to: unitId } })).statusCode).toBe(
      200,
    );
    const timers = await readUntil(
      () => timersOf(complaintId),
      // the disposition's own deadline, not just the submission's: the planner may have applied only the first event
      (found) => pending(found).some((timer) => timer.key.includes(':first_follow_up:')),
    );
    expect(pending(timers).length).toBeGreaterThan(0);
    return { complaintId, timers };
  };
  const handedOver = (complaintId: string) =>
    readUntil(
      () => stores.store.readStream(complaintStream(complaintId)),
      (events) => events.some((event) => event.type === 'ComplaintHandedOver'),
    );
  const timersOf = async (complaintId: string) =>
    (await app.inject({ method: 'GET', url: `/complaints/${complaintId}/timers`, headers: as('ntt') })).json<{ timers: Timer[] }>().timers;

  it('hands the open complaint to the successor, keeps the 2023 report, and rolls it up in the current structure', async () => {
    // 2023: a complaint disposed to Dinas Peternakan, not followed up yet
    const submitted = await app.inject({
      method: 'POST',
      url: '/complaints',
      payload: { kind: 'pengaduan', channel: 'web', title: 'Vaksin ternak terlambat', description: 'Vaksin ternak belum datang.', addressedTo: NTT_ID },
    });
    const { complaintId } = submitted.json<{ complaintId: string }>();
    await app.inject({
      method: 'POST',
      url: `/complaints/${complaintId}/verification`,
      headers: as('ntt'),
      payload: { slaClass: 'tanpa_pengawasan', category: 'Peternakan' },
    });
    const disposed = await app.inject({ method: 'POST', url: `/complaints/${complaintId}/dispositions`, headers: as('ntt'), payload: { to: PETERNAKAN } });
    expect(disposed.statusCode).toBe(200);

    const before = await readUntil(
      () => recap2023(),
      (recap) => rowOf(recap, PETERNAKAN)?.belumDitindaklanjuti === 1,
    );
    expect(before.structure).toBe('as-of');
    expect(rowOf(before, PETERNAKAN)).toMatchObject({ belumDitindaklanjuti: 1, total: 1 });
    // (no timers here: 2023 has no working-day calendar, so its deadlines are not planned; the
    // 2025 merge below shows the timers going with the complaint)

    // a unit holding open work is not deactivated: it is merged
    const refused = await readUntil(
      () => app.inject({ method: 'POST', url: `/organisation/nodes/${PETERNAKAN}/deactivation`, headers: as('ntt'), payload: {} }),
      (answer) => answer.statusCode === 409,
    );
    expect(refused.json()).toMatchObject({ code: 'HOLDS_OPEN_COMPLAINTS' });

    // 2025: Dinas Kesehatan renamed, Dinas Peternakan merged into Dinas Pertanian
    clock = '2025-02-03T02:00:00.000Z';
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/organisation/nodes/${KESEHATAN}`,
      headers: as('ntt'),
      payload: { name: 'Dinas Kesehatan, Kependudukan dan Pencatatan Sipil', effectiveAt: '2025-01-02T00:00:00+08:00' },
    });
    expect(renamed.statusCode).toBe(200);
    const merged = await app.inject({
      method: 'POST',
      url: '/organisation/merges',
      headers: as('ntt'),
      payload: { unitIds: [PETERNAKAN], successor: { id: PERTANIAN }, effectiveAt: '2025-01-15T00:00:00+08:00' },
    });
    expect(merged.statusCode).toBe(201);

    const stream = await readUntil(
      () => stores.store.readStream(complaintStream(complaintId)),
      (events) => events.some((event) => event.type === 'ComplaintHandedOver'),
    );
    expect(stream.at(-1)).toMatchObject({ type: 'ComplaintHandedOver', data: { from: { id: PETERNAKAN }, to: { id: PERTANIAN }, reason: 'MERGE' } });

    // the successor's liaison has it, still waiting for its first follow-up, on the same deadlines
    const inbox = await readUntil(
      async () =>
        (await app.inject({ method: 'GET', url: '/inbox', headers: as('pertanian') })).json<{
          items: Array<{ complaintId: string; relation: string; status: string }>;
        }>(),
      (answer) => answer.items.some((item) => item.complaintId === complaintId),
    );
    expect(inbox.items.find((item) => item.complaintId === complaintId)).toMatchObject({ relation: 'holder', status: 'BELUM_DITINDAKLANJUTI' });
    const followedUp = await app.inject({
      method: 'POST',
      url: `/complaints/${complaintId}/follow-ups`,
      headers: as('pertanian'),
      payload: { message: 'Vaksin dikirim minggu ini.' },
    });
    expect(followedUp.statusCode).toBe(200);

    // the 2023 report, drawn in the structure of 2023, reads as it did: same rows, same names, same counts
    const after = await readUntil(
      () => recap2023(),
      (recap) => recap.total.total === before.total.total && rowOf(recap, PETERNAKAN)?.belumDitindaklanjuti === 0,
    );
    const figures = (recap: Recap) => recap.below.map(({ nodeId, name }) => ({ nodeId, name }));
    expect(figures(after)).toEqual(figures(before));
    expect(rowOf(after, KESEHATAN)?.name).toBe('Dinas Kesehatan Provinsi Nusa Tenggara Timur');
    expect(after.total.total).toBe(1);

    // the current structure: no Peternakan row, its complaint counted under Pertanian, the new name shown
    const current = await recap2023('current');
    expect(current.structure).toBe('current');
    expect(rowOf(current, PETERNAKAN)).toBeUndefined();
    expect(rowOf(current, PERTANIAN)).toMatchObject({ total: 1 });
    expect(rowOf(current, KESEHATAN)?.name).toBe('Dinas Kesehatan, Kependudukan dan Pencatatan Sipil');
    expect(current.total.total).toBe(1);
  });

  it('draws a recap asked as of a moment in the tree as it stood then: renamed from the rename’s effective date, whenever it was recorded', async () => {
    // after the decrees above (recorded on 3 February 2025): the rename took effect on 2 January, the merge on 15 January
    const asOf = (moment: string) => recapOf(app, tokens.get('ntt')!, { nodeId: NTT_ID, from: '2023-01-01', to: '2023-12-31', asOf: moment });
    const beforeRename = await asOf('2025-01-01T12:00:00+08:00');
    const afterRename = await asOf('2025-01-10T00:00:00+08:00');
    expect(beforeRename.structure).toBe('as-of');
    expect(rowOf(beforeRename, KESEHATAN)?.name).toBe('Dinas Kesehatan Provinsi Nusa Tenggara Timur');
    expect(rowOf(afterRename, KESEHATAN)?.name).toBe('Dinas Kesehatan, Kependudukan dan Pencatatan Sipil');
    // before the merge took effect, Peternakan is a row of its own, holding the complaint as it stood then
    for (const recap of [beforeRename, afterRename]) expect(rowOf(recap, PETERNAKAN)).toMatchObject({ belumDitindaklanjuti: 1, total: 1 });
    // without asOf, the period's end: the tree of 2023, its names
    expect(rowOf(await recapOf(app, tokens.get('ntt')!, { nodeId: NTT_ID, from: '2023-01-01', to: '2023-12-31' }), KESEHATAN)?.name).toBe(
      'Dinas Kesehatan Provinsi Nusa Tenggara Timur',
    );
  });

  it('splits a unit by decree: the heir inherits its open complaint with its deadlines, the recap of before keeps it whole, the current structure counts it under the heir', async () => {
    const PARIWISATA = 'ntt-dinas-pariwisata-dan-ekonomi-kreatif';
    const [HEIR, SIBLING] = ['ntt-dinas-pariwisata', 'ntt-dinas-ekonomi-kreatif'];
    clock = '2025-02-10T02:00:00.000Z';
    const { complaintId, timers: timersBefore } = await disposedTo(PARIWISATA, 'Retribusi pantai tidak resmi');

    clock = '2025-03-03T02:00:00.000Z';
    const split = await app.inject({
      method: 'POST',
      url: `/organisation/nodes/${PARIWISATA}/split`,
      headers: as('ntt'),
      payload: {
        into: [
          { id: HEIR, name: 'Dinas Pariwisata Provinsi Nusa Tenggara Timur' },
          { id: SIBLING, name: 'Dinas Ekonomi Kreatif Provinsi Nusa Tenggara Timur' },
        ],
        heirId: HEIR,
        effectiveAt: '2025-03-01T00:00:00+08:00',
      },
    });
    expect(split.statusCode).toBe(201);

    expect((await handedOver(complaintId)).at(-1)).toMatchObject({
      type: 'ComplaintHandedOver',
      data: { from: { id: PARIWISATA }, to: { id: HEIR }, reason: 'SPLIT' },
    });
    expect(pending(await timersOf(complaintId))).toEqual(pending(timersBefore));

    // February, drawn as the tree stood at its end: the unit whole, the new ones not there yet
    const february = { nodeId: NTT_ID, from: '2025-02-01', to: '2025-02-28' };
    const asOf = await readUntil(
      () => recapOf(app, tokens.get('ntt')!, february),
      (recap) => rowOf(recap, PARIWISATA)?.total === 1,
    );
    expect(rowOf(asOf, PARIWISATA)).toMatchObject({ belumDitindaklanjuti: 1, total: 1 });
    expect(rowOf(asOf, HEIR)).toBeUndefined();
    // in today's structure, its history is the heir's
    const current = await readUntil(
      () => recapOf(app, tokens.get('ntt')!, { ...february, structure: 'current' }),
      (recap) => rowOf(recap, HEIR)?.total === 1,
    );
    expect(rowOf(current, PARIWISATA)).toBeUndefined();
    expect(rowOf(current, HEIR)).toMatchObject({ total: 1 });
    expect(rowOf(current, SIBLING)?.total ?? 0).toBe(0);
  });

  it('merges a unit holding a complaint of 2025: the successor inherits it on the same deadlines, and answers it', async () => {
    const PERHUBUNGAN = 'ntt-dinas-perhubungan';
    clock = '2025-04-07T02:00:00.000Z';
    const { complaintId, timers: timersBefore } = await disposedTo(PERHUBUNGAN, 'Lampu jalan padam');

    clock = '2025-04-14T02:00:00.000Z';
    const merged = await app.inject({
      method: 'POST',
      url: '/organisation/merges',
      headers: as('ntt'),
      payload: { unitIds: [PERHUBUNGAN], successor: { id: PERTANIAN }, effectiveAt: '2025-04-14T00:00:00+08:00' },
    });
    expect(merged.statusCode).toBe(201);
    expect((await handedOver(complaintId)).at(-1)).toMatchObject({
      type: 'ComplaintHandedOver',
      data: { from: { id: PERHUBUNGAN }, to: { id: PERTANIAN }, reason: 'MERGE' },
    });
    expect(pending(await timersOf(complaintId))).toEqual(pending(timersBefore));
    const followedUp = await app.inject({
      method: 'POST',
      url: `/complaints/${complaintId}/follow-ups`,
      headers: as('pertanian'),
      payload: { message: 'Lampu diganti besok.' },
    });
    expect(followedUp.statusCode).toBe(200);
  });
});
