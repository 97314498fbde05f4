import { createPGliteRunner, createPgRunner, openPGlite, type SqlRunner } from '@lapor/sql';
import { createTestDatabase, type TestDatabase } from '@lapor/testing';
import { Pool } from 'pg';
import { backOffMs, clientOfAddress, SignInThrottle, type SignInAdmission, type SignInThrottlePolicy } from '../src/sign-in-throttle';

const SECRET = 'throttle-secret-throttle-secret-throttle';
// small numbers, same shape as the real policy
const POLICY: SignInThrottlePolicy = {
  pair: { free: 3, firstDelayMs: 2_000, maxDelayMs: 60_000, forgetAfterMs: 3_600_000 },
  address: { free: 6, firstDelayMs: 2_000, maxDelayMs: 60_000, forgetAfterMs: 600_000 },
  account: { underAttackAfter: 5, pairFreeUnderAttack: 1, forgetAfterMs: 600_000 },
};

const admitted = (admission: SignInAdmission) => {
  if (!admission.admitted) throw new Error(`refused for ${admission.retryAfterSeconds} s`);
  return admission;
};

describe('the back-off and the client of an address', () => {
  it('given failures within the allowance, then no wait; past it, the wait doubles up to the cap', () => {
    const rule = { firstDelayMs: 2_000, maxDelayMs: 15_000 };
    expect([0, 2, 3, 4, 5, 6].map((failures) => backOffMs(rule, 3, failures))).toEqual([0, 0, 2_000, 4_000, 8_000, 15_000]);
  });

  it('given IPv4, IPv4-mapped IPv6 and IPv6 addresses, then an IPv6 client is its /64', () => {
    expect(clientOfAddress('203.0.113.9')).toBe('203.0.113.9');
    expect(clientOfAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientOfAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientOfAddress('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientOfAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientOfAddress('::1')).toBe('0:0:0:0::/64');
  });
});

describe.each([
  [
    'PostgreSQL',
    async (): Promise<{ db: SqlRunner; close(): Promise<void> }> => {
      const database: TestDatabase = await createTestDatabase('throttle');
      const pool = new Pool({ connectionString: database.url, max: 8 });
      const db = createPgRunner(pool, { ownsPool: true });
      return {
        db,
        async close() {
          await db.close();
          await database.drop();
        },
      };
    },
  ],
  [
    'PGlite',
    async (): Promise<{ db: SqlRunner; close(): Promise<void> }> => {
      const pglite = await openPGlite();
      return { db: createPGliteRunner(pglite, { ownsDatabase: true }), close: () => pglite.close() };
    },
  ],
])('sign-in throttle on %s', (_name, openDatabase) => {
  let database: { db: SqlRunner; close(): Promise<void> };
  let clock: number;
  const now = () => clock;
  let throttle: SignInThrottle;
  let other: SignInThrottle;
  beforeAll(async () => {
    database = await openDatabase();
  });
  afterAll(() => database.close());
  beforeEach(async () => {
    clock = Date.parse('2026-12-04T03:00:00Z') + Math.floor(Math.random() * 1e9) * 1000;
    await database.db.query('DROP TABLE IF EXISTS auth.sign_in_failures');
    // two processes over one database
    throttle = await SignInThrottle.open(database.db, { secret: SECRET, policy: POLICY, now });
    other = await SignInThrottle.open(database.db, { secret: SECRET, policy: POLICY, now });
  });

  const fail = async (on: SignInThrottle, username: string, address: string, times: number) => {
    for (let attempt = 0; attempt < times; attempt++) admitted(await on.admit(username, address));
  };

  it('given the allowance of failures for one account from one address, when it tries again, then it waits 2 s, then 4 s after the next failure', async () => {
    await fail(throttle, 'admin-ntt', '198.51.100.7', 3);
    expect(await throttle.admit('admin-ntt', '198.51.100.7')).toEqual({ admitted: false, retryAfterSeconds: 2 });
    clock += 2_000;
    admitted(await throttle.admit('admin-ntt', '198.51.100.7'));
    expect(await throttle.admit('admin-ntt', '198.51.100.7')).toEqual({ admitted: false, retryAfterSeconds: 4 });
  });

  it('given failures counted by one process, then another process on the same database refuses too', async () => {
    await fail(throttle, 'admin-ntt', '198.51.100.7', 3);
    expect(await other.admit('admin-ntt', '198.51.100.7')).toMatchObject({ admitted: false });
  });

  it('given an account throttled from one address, then the same account from another address is admitted', async () => {
    await fail(throttle, 'admin-ntt', '198.51.100.7', 3);
    admitted(await throttle.admit('admin-ntt', '198.51.100.8'));
  });

  it('given a success after a few typos, then the typos are forgotten for that account and address', async () => {
    await fail(throttle, 'admin-ntt', '198.51.100.7', 2);
    await throttle.succeeded(admitted(await throttle.admit('admin-ntt', '198.51.100.7')));
    await fail(throttle, 'admin-ntt', '198.51.100.7', 3);
    expect(await throttle.admit('admin-ntt', '198.51.100.7')).toMatchObject({ admitted: false });
  });

  it('given one address failing over many usernames, then it is refused for every username, while other addresses are not', async () => {
    for (let user = 0; user < 6; user++) await fail(throttle, `user-${user}`, '203.0.113.5', 1);
    expect(await throttle.admit('admin-ntt', '203.0.113.5')).toEqual({ admitted: false, retryAfterSeconds: 2 });
    admitted(await throttle.admit('admin-ntt', '203.0.113.6'));
  });

  it('given an IPv6 client changing addresses within its /64, then it is one client', async () => {
    for (let host = 1; host <= 3; host++) await fail(throttle, 'admin-ntt', `2001:db8:1:2::${host}`, 1);
    expect(await throttle.admit('admin-ntt', '2001:db8:1:2::99')).toMatchObject({ admitted: false });
  });

  it('given an account under attack from many addresses, then each new address gets fewer free failures, yet a first attempt from a clean address is admitted', async () => {
    for (let host = 1; host <= 5; host++) await fail(throttle, 'admin-nasional', `192.0.2.${host}`, 1);
    // under attack now: one free failure per address instead of three
    await fail(throttle, 'admin-nasional', '192.0.2.50', 1);
    expect(await throttle.admit('admin-nasional', '192.0.2.50')).toMatchObject({ admitted: false });
    // the owner, from an address that has not failed: through, and a success still counts as one
    await throttle.succeeded(admitted(await throttle.admit('admin-nasional', '192.0.2.200')));
  });

  it('given a burst of parallel guesses, then only the allowance is admitted (attempts are counted before the password is checked)', async () => {
    const burst = await Promise.all(Array.from({ length: 20 }, () => throttle.admit('admin-ntt', '198.51.100.9')));
    expect(burst.filter((admission) => admission.admitted)).toHaveLength(3);
  });

  it('given a throttled pair left alone past its memory, then it starts afresh', async () => {
    await fail(throttle, 'admin-ntt', '198.51.100.7', 3);
    clock += POLICY.pair.forgetAfterMs + 1;
    await fail(throttle, 'admin-ntt', '198.51.100.7', 3);
  });
});
