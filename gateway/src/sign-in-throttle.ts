import { ensureSchema, type SqlQueryable, type SqlRunner } from '@lapor/sql';
import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

// Password guessing at POST /auth/token, slowed without letting an attacker lock anyone out.
//
// Three counters of failed sign-ins, each forgotten a while after its last failure:
// - one account from one address ("pair"): a few free failures (the owner mistyping), then an
//   exponential back-off: the next attempt from that address for that account is answered 429 with
//   Retry-After until the back-off has passed, right password or not. A success forgets the pair.
// - one address, whatever the account: the same, with a larger allowance (an office behind one NAT
//   mistypes too), so one address spraying one password over many usernames is slowed as well.
// - one account, whatever the address: it never refuses by itself (that would be a lock-out anyone
//   could trigger); past a ceiling the account counts as under attack and every address gets fewer
//   free failures for it, so guessing from many addresses is slowed, while a right password from an
//   address that has not failed keeps working: the owner signs in during an attack.
// IPv6 clients are counted by their /64 (one subscriber holds a whole /64, 2^64 addresses).
//
// The counters live in the database, not in a process: two gateways behind a balancer count the same
// failures. An attempt is counted before its password is checked (a success takes it back), in one
// short transaction that locks the counters' rows, so a burst of parallel guesses meets the back-off
// too instead of all passing the check before the first failure is written. The password check
// itself holds no lock and no connection.
//
// Usernames are counted as typed, known or not, so unknown usernames are throttled alike (the 429 says
// nothing about which exist). Counters are keyed by an HMAC of the username and address under a
// key derived from the token secret: neither is stored in clear (people type passwords into the
// username field; addresses are personal data), and every process derives the same key.

const SCHEMA = 'auth';
const TABLE = `${SCHEMA}.sign_in_failures`;

export interface BackOffRule {
  /** Failures allowed before the back-off starts. */
  readonly free: number;
  /** The wait after the first failure past the allowance; each further failure doubles it… */
  readonly firstDelayMs: number;
  /** …up to this. */
  readonly maxDelayMs: number;
  /** The counter is forgotten this long after its last failure. */
  readonly forgetAfterMs: number;
}

export interface SignInThrottlePolicy {
  readonly pair: BackOffRule;
  readonly address: BackOffRule;
  readonly account: {
    /** Failures for one account from all addresses past which it is under attack. */
    readonly underAttackAfter: number;
    /** Free failures per address for an account under attack (instead of `pair.free`). */
    readonly pairFreeUnderAttack: number;
    readonly forgetAfterMs: number;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * At most about 10 + 10 + 4 an hour guesses per account and address once the back-off is at its
 * cap (the pair is remembered for a day, so waiting does not buy a fresh allowance); an address
 * spraying many accounts gets 30 and then the same back-off. The owner who mistypes ten times waits
 * 2 s, then 4 s…; a success from anywhere else is not delayed.
 */
export const SIGN_IN_THROTTLE: SignInThrottlePolicy = {
  pair: { free: 10, firstDelayMs: 2_000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 24 * HOUR },
  address: { free: 30, firstDelayMs: 2_000, maxDelayMs: 15 * MINUTE, forgetAfterMs: HOUR },
  account: { underAttackAfter: 50, pairFreeUnderAttack: 2, forgetAfterMs: HOUR },
};

/** An attempt let through (and counted), or refused until `retryAfterSeconds` have passed. */
export type SignInAdmission = { readonly admitted: true; readonly keys: CounterKeys } | { readonly admitted: false; readonly retryAfterSeconds: number };

interface CounterKeys {
  readonly pair: string;
  readonly address: string;
  readonly account: string;
}

interface CounterRow {
  key: string;
  failures: number;
  blocked_until: Date | string | null;
  expires_at: Date | string;
}

/** The wait a counter at `failures` imposes on the next attempt: none within the allowance, then doubling to the cap. */
export function backOffMs(rule: Pick<BackOffRule, 'firstDelayMs' | 'maxDelayMs'>, free: number, failures: number): number {
  if (failures < free) return 0;
  return Math.min(rule.maxDelayMs, rule.firstDelayMs * 2 ** Math.min(failures - free, 30));
}

/** The part of an address that names one client: an IPv4 address, or an IPv6 address's /64. */
export function clientOfAddress(address: string): string {
  const bare = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (isIPv4(bare) || !isIPv6(bare)) return bare;
  const [head = '', tail] = bare.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

const time = (value: Date | string | null): number | null => (value === null ? null : new Date(value).getTime());

export class SignInThrottle {
  private sweptAt = 0;

  private constructor(
    private readonly db: SqlRunner,
    private readonly hmacKey: Buffer,
    private readonly policy: SignInThrottlePolicy,
    private readonly now: () => number,
  ) {}

  static async open(db: SqlRunner, options: { secret: string; policy?: SignInThrottlePolicy; now?: () => number }): Promise<SignInThrottle> {
    await ensureSchema(
      db,
      SCHEMA,
      `
        -- failed sign-ins per account and address, per address, per account; keys are HMACs, never a username or an address
        CREATE TABLE IF NOT EXISTS ${TABLE} (
          key text PRIMARY KEY,
          failures integer NOT NULL,
          blocked_until timestamptz,
          expires_at timestamptz NOT NULL
        );
        CREATE INDEX IF NOT EXISTS sign_in_failures_expiry ON ${TABLE} (expires_at);`,
    );
    const hmacKey = createHmac('sha256', options.secret).update('lapor sign-in throttle').digest();
    return new SignInThrottle(db, hmacKey, options.policy ?? SIGN_IN_THROTTLE, options.now ?? Date.now);
  }

  /** Lets a sign-in attempt through and counts it as failed until `succeeded`, or says how long to wait. */
  async admit(username: string, address: string): Promise<SignInAdmission> {
    const now = this.now();
    await this.sweep(now);
    const client = clientOfAddress(address);
    const keys: CounterKeys = {
      pair: `pair:${this.hash(username, client)}`,
      address: `address:${this.hash(client)}`,
      account: `account:${this.hash(username)}`,
    };
    return this.db.transaction(async (tx) => {
      const rows = await this.lockCounters(tx, keys, now);
      const current = (key: string): { failures: number; blockedUntil: number | null } => {
        const row = rows.get(key);
        // an expired counter is a fresh one
        if (!row || (time(row.expires_at) ?? 0) <= now) return { failures: 0, blockedUntil: null };
        return { failures: row.failures, blockedUntil: time(row.blocked_until) };
      };
      const pair = current(keys.pair);
      const byAddress = current(keys.address);
      const blockedUntil = Math.max(pair.blockedUntil ?? 0, byAddress.blockedUntil ?? 0);
      if (blockedUntil > now) return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((blockedUntil - now) / 1000)) };

      const { pair: pairRule, address: addressRule, account: accountRule } = this.policy;
      const accountFailures = current(keys.account).failures + 1;
      const pairFree = accountFailures > accountRule.underAttackAfter ? Math.min(pairRule.free, accountRule.pairFreeUnderAttack) : pairRule.free;
      const until = (rule: BackOffRule, free: number, failures: number): Date | null => {
        const wait = backOffMs(rule, free, failures);
        return wait > 0 ? new Date(now + wait) : null;
      };
      await this.write(
        tx,
        [
          { key: keys.pair, failures: pair.failures + 1, blockedUntil: until(pairRule, pairFree, pair.failures + 1), forgetAfterMs: pairRule.forgetAfterMs },
          {
            key: keys.address,
            failures: byAddress.failures + 1,
            blockedUntil: until(addressRule, addressRule.free, byAddress.failures + 1),
            forgetAfterMs: addressRule.forgetAfterMs,
          },
          { key: keys.account, failures: accountFailures, blockedUntil: null, forgetAfterMs: accountRule.forgetAfterMs },
        ],
        now,
      );
      return { admitted: true, keys };
    });
  }

  /**
   * The password was right: the attempt admitted as a failure is taken back. The pair is forgotten
   * (the owner's typos before it no longer count); the address and the account only lose this attempt,
   * so signing in to one's own account does not wipe the failures one caused on others.
   */
  async succeeded(admission: Extract<SignInAdmission, { admitted: true }>): Promise<void> {
    const { keys } = admission;
    await this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM ${TABLE} WHERE key = $1`, [keys.pair]);
      await tx.query(
        `UPDATE ${TABLE} SET failures = greatest(failures - 1, 0),
           blocked_until = CASE WHEN failures - 1 < $2 THEN NULL ELSE blocked_until END
         WHERE key = $1`,
        [keys.address, this.policy.address.free],
      );
      await tx.query(`UPDATE ${TABLE} SET failures = greatest(failures - 1, 0) WHERE key = $1`, [keys.account]);
    });
  }

  private hash(...parts: string[]): string {
    return createHmac('sha256', this.hmacKey).update(parts.join('\u0000')).digest('base64url');
  }

  /** The three counters, created if absent, locked in key order (so two attempts never wait on each other crosswise). */
  private async lockCounters(tx: SqlQueryable, keys: CounterKeys, now: number): Promise<Map<string, CounterRow>> {
    const expired = new Date(now);
    await tx.query(`INSERT INTO ${TABLE} (key, failures, expires_at) VALUES ($1, 0, $4), ($2, 0, $4), ($3, 0, $4) ON CONFLICT (key) DO NOTHING`, [
      keys.pair,
      keys.address,
      keys.account,
      expired,
    ]);
    const rows = await tx.query<CounterRow>(`SELECT key, failures, blocked_until, expires_at FROM ${TABLE} WHERE key IN ($1, $2, $3) ORDER BY key FOR UPDATE`, [
      keys.pair,
      keys.address,
      keys.account,
    ]);
    return new Map(rows.map((row) => [row.key, row]));
  }

  private async write(
    tx: SqlQueryable,
    counters: ReadonlyArray<{ key: string; failures: number; blockedUntil: Date | null; forgetAfterMs: number }>,
    now: number,
  ): Promise<void> {
    for (const counter of counters) {
      await tx.query(`UPDATE ${TABLE} SET failures = $2, blocked_until = $3, expires_at = $4 WHERE key = $1`, [
        counter.key,
        counter.failures,
        counter.blockedUntil,
        new Date(now + counter.forgetAfterMs),
      ]);
    }
  }

  /** Forgotten counters are deleted now and then (at most once a minute per process), by their expiry's index. */
  private async sweep(now: number): Promise<void> {
    if (now - this.sweptAt < MINUTE) return;
    this.sweptAt = now;
    await this.db.query(`DELETE FROM ${TABLE} WHERE expires_at <= $1`, [new Date(now)]);
  }
}
