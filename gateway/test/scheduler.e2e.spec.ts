import { NTT_ID } from '../src/seed/demo-organisation';
import { readUntil } from './support/eventually';
import type { HttpClient } from './support/http';
import { sweepingGateway, type SweepingGateway } from './support/sweeping-gateway';

// The SLA timers in the embedded gateway with `runScheduler`: planned from the events as they are
// written, fired by the sweeper on the gateway's own clock, which the test moves. PGlite, as the
// embedded default runs: one connection, so the sweeper is told (`singleConnection`).

const PASSWORD = 'scheduler-password';
const PUPR = 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat';
const wita = (date: string, hour: number): string => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();

interface Timer {
  key: string;
  kind: 'reminder' | 'breach' | 'auto_archive' | 'auto_close';
  stage: string;
  status: string;
  outcome: string | null;
  dueAt: string;
}
interface Policy {
  version: number;
  configuration: { verificationWorkingDays: number } & Record<string, unknown>;
  changedBy: string | null;
}

describe('the scheduler in the embedded gateway, on a clock the test moves', () => {
  let world: SweepingGateway;
  let http: HttpClient;
  let clock = wita('2025-03-03', 8);
  const token = (username: string) => http.token(username, PASSWORD);

  beforeAll(async () => {
    world = await sweepingGateway(() => clock, PASSWORD);
    http = world.http;
  });
  afterAll(async () => {
    await world.close();
  });

  it('given a follow-up nobody answers, when 10 working days have passed, then the complaint closes itself (Selesai) and its auto-close timer is fired', async () => {
    const admin = { token: await token('admin-ntt') };
    const liaison = { token: await token('penghubung-pupr') };
    clock = wita('2025-03-03', 9);
    const submitted = await http.post<{ complaintId: string; trackingId: string }>('/complaints', {
      kind: 'pengaduan',
      channel: 'web',
      title: 'Jalan berlubang',
      description: 'Di depan pasar Oebobo, sudah sebulan.',
      addressedTo: NTT_ID,
    });
    expect(submitted.status).toBe(201);
    const { complaintId, trackingId } = submitted.body;
    const path = `/complaints/${complaintId}`;
    expect((await http.post(`${path}/verification`, { slaClass: 'tanpa_pengawasan', category: 'Jalan' }, admin)).status).toBe(200);
    expect((await http.post(`${path}/dispositions`, { to: PUPR }, admin)).status).toBe(200);
    clock = wita('2025-03-04', 9);
    expect((await http.post(`${path}/follow-ups`, { message: 'Sudah ditambal.' }, liaison)).status).toBe(200);

    const timers = async (): Promise<Timer[]> => {
      const answer = await http.get<{ timers: Timer[] }>(`${path}/timers`, admin);
      expect(answer.status).toBe(200);
      return answer.body.timers;
    };
    const autoClose = (list: Timer[]) => list.find((timer) => timer.kind === 'auto_close');
    // the planner trails the writes: the clock moves once the quiet period after the follow-up is planned
    const planned = await readUntil(timers, (list) => autoClose(list)?.status === 'pending');
    expect(autoClose(planned)).toMatchObject({ status: 'pending', stage: 'quiet_after_follow_up' });
    expect((await http.get<{ status: string }>(path, admin)).body.status).toBe('PROSES');

    clock = wita('2025-03-20', 9); // past the 10th working day after 4 March (the 18th)
    const detail = await readUntil(
      async () => (await http.get<{ status: string; history: Array<{ type: string; by: { role: string } }> }>(path, admin)).body,
      (body) => body.status === 'SELESAI',
    );
    expect(detail.status).toBe('SELESAI');
    expect(detail.history.filter((event) => event.type === 'ComplaintCompleted')).toEqual([
      expect.objectContaining({ by: expect.objectContaining({ role: 'system' }) }),
    ]);
    expect(autoClose(await timers())).toMatchObject({ status: 'fired', outcome: 'ComplaintCompleted' });
    expect((await http.get<{ statusLabel: string }>(`/tracking/${trackingId}`)).body.statusLabel).toBe('Selesai');
  });

  it('given the SLA policy, then Admin Nasional changes it to version 1, a liaison may not, and a change against an old version is refused', async () => {
    const nasional = { token: await token('admin-nasional') };
    const liaison = { token: await token('penghubung-pupr') };
    const before = await http.get<Policy>('/scheduler/policy', nasional);
    expect(before.status).toBe(200);
    expect(before.body.version).toBe(0);
    const change = { replacesVersion: 0, configuration: { ...before.body.configuration, verificationWorkingDays: 5 } };

    // a version the policy never had is a stale read (409, as documented), not a missing policy (404)
    const neverHad = await http.put('/scheduler/policy', { ...change, replacesVersion: 7 }, nasional);
    expect(neverHad.status).toBe(409);
    expect(neverHad.headers.get('content-type')).toContain('application/problem+json');

    const refused = await http.put('/scheduler/policy', change, liaison);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');

    const changed = await http.put<Policy>('/scheduler/policy', change, nasional);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 1, configuration: { verificationWorkingDays: 5 } });
    expect((await http.put('/scheduler/policy', change, nasional)).status).toBe(409);

    const after = await http.get<Policy>('/scheduler/policy', nasional);
    expect(after.body).toMatchObject({ version: 1, configuration: { verificationWorkingDays: 5 } });
    expect(after.body.changedBy).not.toBeNull();
  });
});
