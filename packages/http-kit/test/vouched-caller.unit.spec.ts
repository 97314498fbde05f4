import { HttpProblem, type ProvenCaller } from '../src';
import { CallerVouching } from '../src/vouched-caller';

const SECRET = 'vouch-test-secret-vouch-test-secret-vouch';
const ADMIN: ProvenCaller = {
  kind: 'staff',
  id: 'acc-1',
  actor: { role: 'admin_instansi', id: 'acc-1', nodeId: 'instansi-ntt' },
  session: { actor: { role: 'admin_instansi', id: 'acc-1', nodeId: 'instansi-ntt' }, sessionId: 'sid-1', expiresAt: 2_000_000_000 },
};
const SYSTEM: ProvenCaller = { kind: 'integration', keyId: 'key-1' };
const VERIFY = { method: 'POST', url: '/complaints/c-1/verification' };

describe('the gateway vouching for the caller it proved', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = Date.parse('2026-12-06T10:00:00Z');
  });

  it('given a staff caller vouched for a request, when the service reads the vouch for that request, then it has the same caller and session', () => {
    const gateway = new CallerVouching(SECRET, clock);
    const service = new CallerVouching(SECRET, clock);

    expect(service.read(gateway.vouch(ADMIN, VERIFY), VERIFY)).toEqual(ADMIN);
  });

  it('given an agency system vouched for, then the service has its key', () => {
    const vouching = new CallerVouching(SECRET, clock);

    expect(vouching.read(vouching.vouch(SYSTEM, VERIFY), VERIFY)).toEqual(SYSTEM);
  });

  it('given a vouch for one request, when it is presented with another URL or method, then 401', () => {
    const vouching = new CallerVouching(SECRET, clock);
    const vouch = vouching.vouch(ADMIN, VERIFY);

    expect(vouching.read(vouch, { method: 'POST', url: '/complaints/c-2/verification' })).toBeInstanceOf(HttpProblem);
    expect(vouching.read(vouch, { method: 'DELETE', url: VERIFY.url })).toBeInstanceOf(HttpProblem);
  });

  it('given a vouch whose claims were changed (another role), then 401', () => {
    const vouching = new CallerVouching(SECRET, clock);
    const [version, body, mac] = vouching.vouch(ADMIN, VERIFY).split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8'));
    const raised = Buffer.from(JSON.stringify({ ...claims, role: 'admin_nasional', node: 'nasional' })).toString('base64url');

    const read = vouching.read(`${version}.${raised}.${mac}`, VERIFY);

    expect(read).toBeInstanceOf(HttpProblem);
    expect((read as HttpProblem).status).toBe(401);
  });

  it('given a vouch made with another secret, or not a vouch at all, then 401', () => {
    const other = new CallerVouching('another-secret-another-secret-another', clock);
    const service = new CallerVouching(SECRET, clock);

    expect(service.read(other.vouch(ADMIN, VERIFY), VERIFY)).toBeInstanceOf(HttpProblem);
    expect(service.read('v1.e30.', VERIFY)).toBeInstanceOf(HttpProblem);
    expect(service.read('Bearer x.y.z', VERIFY)).toBeInstanceOf(HttpProblem);
  });

  it('given a vouch presented 31 s after it was made, then 401; at 29 s it still holds (clocks of two hosts)', () => {
    const vouching = new CallerVouching(SECRET, clock);
    const vouch = vouching.vouch(ADMIN, VERIFY);

    now += 29_000;
    expect(vouching.read(vouch, VERIFY)).toEqual(ADMIN);
    now += 2_000;
    expect(vouching.read(vouch, VERIFY)).toBeInstanceOf(HttpProblem);
  });

  it('given a staff vouch whose token has expired since, then 401 saying so', () => {
    const vouching = new CallerVouching(SECRET, clock);
    const expiring: ProvenCaller = { ...ADMIN, session: { ...(ADMIN as Extract<ProvenCaller, { kind: 'staff' }>).session, expiresAt: now / 1000 + 5 } };
    const vouch = vouching.vouch(expiring, VERIFY);

    now += 6_000;
    const read = vouching.read(vouch, VERIFY);

    expect((read as HttpProblem).detail).toMatch(/expired/);
  });
});
