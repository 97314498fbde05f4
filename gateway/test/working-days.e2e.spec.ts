import { NTT_ID } from '../src/seed/demo-organisation';
import { readUntil } from './support/eventually';
import type { HttpClient } from './support/http';
import { sweepingGateway, type SweepingGateway } from './support/sweeping-gateway';

// One calendar and one rule for the zone, whoever counts: the scheduler's SLA deadlines and the
// statistics' "≤ 5 hari" columns must say the same thing about the same follow-up. The embedded
// gateway on PGlite, with the sweeper on a clock the test moves.

const PASSWORD = 'working-days-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const at = (local: string, offset: '+07:00' | '+08:00'): string => new Date(`${local}${offset}`).toISOString();

interface Month {
  month: string;
  followedUpWithin5Days: number;
  followedUpAfter5Days: number;
}
interface Timer {
  kind: string;
  stage: string;
  status: string;
}

/** A year the bundled calendar has no decree for, as a decree would give it. */
const DECREE_2028 = {
  year: 2028,
  revisions: [
    {
      type: 'base',
      status: 'official',
      decree: { type: 'skb', title: 'SKB Hari Libur Nasional dan Cuti Bersama Tahun 2028', number: 'Nomor 1 Tahun 2027 (uji)', signedOn: '2027-10-01' },
      days: [
        { date: '2028-01-01', kind: 'libur_nasional', name: 'Tahun Baru 2028 Masehi' },
        { date: '2028-01-05', kind: 'libur_nasional', name: 'Libur uji' },
      ],
    },
  ],
};

describe('working days counted once: the SLA deadlines and the statistics agree', () => {
  let world: SweepingGateway;
  let http: HttpClient;
  let clock = at('2025-03-03T08:00:00', '+08:00');
  const token = (username: string) => http.token(username, PASSWORD);
  const periods = async (admin: string, from: string, to: string, nodeId = NTT_ID): Promise<Month[]> => {
    const answer = await http.get<{ months: Month[] }>(`/statistics/periods?nodeId=${nodeId}&from=${from}&to=${to}`, { token: admin });
    expect(answer.status).toBe(200);
    return answer.body.months;
  };

  beforeAll(async () => {
    world = await sweepingGateway(() => clock, PASSWORD);
    http = world.http;
  });
  afterAll(async () => {
    await world.close();
  });

  it('given a follow-up in a year with no decree yet, when the decree is recorded through the API, then the "≤ 5 hari" columns count it', async () => {
    const admin = await token('admin-ntt');
    const liaison = await token('penghubung-pupr');
    clock = at('2028-01-03T09:00:00', '+08:00'); // a Monday
    const submitted = await http.post<{ complaintId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Lampu jalan padam',
      description: 'Sepanjang Jalan El Tari sejak Desember.',
      addressedTo: NTT_ID,
    });
    expect(submitted.status).toBe(201);
    const path = `/complaints/${submitted.body.complaintId}`;
    expect((await http.post(`${path}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Penerangan' }, { token: admin })).status).toBe(200);
    expect((await http.post(`${path}/dispositions`, { to: PUPR }, { token: admin })).status).toBe(200);
    clock = at('2028-01-07T10:00:00', '+08:00'); // Friday: three working days later, the decree's holiday on the 5th
    expect((await http.post(`${path}/follow-ups`, { message: 'Sudah diperbaiki.' }, { token: liaison })).status).toBe(200);

    const unknown = await readUntil(
      () => periods(admin, '2028-01-01', '2028-01-31'),
      (months) => months.length > 0,
    );
    expect(unknown[0]).toMatchObject({ followedUpWithin5Days: 0, followedUpAfter5Days: 0 });

    const recorded = await http.post<{ years: number[] }>('/scheduler/calendar/years', DECREE_2028, { token: await token('admin-nasional') });
    expect(recorded.status).toBe(200);
    expect(recorded.body.years).toContain(2028);

    const counted = await readUntil(
      () => periods(admin, '2028-01-01', '2028-01-31'),
      (months) => months[0]?.followedUpWithin5Days === 1,
    );
    expect(counted[0]).toMatchObject({ followedUpWithin5Days: 1, followedUpAfter5Days: 0 });
  });

  it('given a complaint from a WIB door handled by a WITA unit, when the follow-up comes just after the unit’s deadline, then the scheduler records the breach and the statistics count it late', async () => {
    const nasional = await token('admin-nasional');
    const admin = await token('admin-ntt');
    const liaison = await token('penghubung-pupr');
    clock = at('2025-03-03T09:00:00', '+07:00'); // Monday, at Admin Nasional's door (WIB)
    const submitted = await http.post<{ complaintId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Jembatan rusak',
      description: 'Jembatan di Desa Oesao retak.',
      addressedTo: 'nasional',
    });
    expect(submitted.status).toBe(201);
    const path = `/complaints/${submitted.body.complaintId}`;
    expect((await http.post(`${path}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Jembatan' }, { token: nasional })).status).toBe(200);
    expect((await http.post(`${path}/dispositions`, { to: NTT_ID }, { token: nasional })).status).toBe(200);
    clock = at('2025-03-03T10:00:00', '+08:00');
    expect((await http.post(`${path}/dispositions`, { to: PUPR }, { token: admin })).status).toBe(200);
    // the unit's fifth working day ends on Monday 10 March at midnight WITA, 23:00 WIB
    clock = at('2025-03-10T23:30:00', '+07:00'); // still Monday at the door, already Tuesday at the unit
    expect((await http.post(`${path}/follow-ups`, { message: 'Sedang ditangani.' }, { token: liaison })).status).toBe(200);

    const timers = await readUntil(
      async () => (await http.get<{ timers: Timer[] }>(`${path}/timers`, { token: nasional })).body.timers,
      (list) => list.some((timer) => timer.kind === 'breach' && timer.stage === 'first_follow_up' && timer.status === 'fired'),
    );
    expect(timers).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'breach', stage: 'first_follow_up', status: 'fired' })]));
    const months = await readUntil(
      () => periods(nasional, '2025-03-01', '2025-03-31', 'nasional'),
      (list) => list[0]?.followedUpAfter5Days === 1,
    );
    expect(months[0]).toMatchObject({ followedUpWithin5Days: 0, followedUpAfter5Days: 1 });
  });
});
