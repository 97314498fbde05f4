import type { EventStore } from '@lapor/event-store';
import { WrongExpectedVersionError } from '@lapor/event-store';
import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { StaffRole } from './roles';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keyLength: number) => Promise<Buffer>;
export const STAFF_ACCOUNTS_STREAM = 'staff-accounts';
const ACCOUNT_CREATED = 'StaffAccountCreated';
const ACCOUNT_DEACTIVATED = 'StaffAccountDeactivated';

/**
 * Another process may create or deactivate an account: every look-up first catches up with the
 * account stream when the last catch-up is older than this, so a deactivation anywhere is refused
 * everywhere (sign-in and every staff token) within this bound. A catch-up reads only the events after
 * the last one seen (usually none): one indexed query. As for API keys (api-keys.ts).
 */
export const ACCOUNT_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS = 2_000;

const StaffAccount = z.object({
  accountId: z.string(),
  username: z.string(),
  role: z.enum(['admin_nasional', 'admin_instansi', 'liaison']),
  nodeId: z.string(),
  /** scrypt$<salt b64>$<hash b64> */
  passwordHash: z.string(),
});
export type StaffAccount = z.infer<typeof StaffAccount>;
const AccountChanged = z.object({ accountId: z.string() });

export interface NewStaffAccount {
  readonly username: string;
  readonly role: StaffRole;
  readonly nodeId: string;
  readonly password: string;
}

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

// Spent on unknown usernames too, so the answer time does not tell which usernames exist.
const DECOY_HASH = `scrypt$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

const createdEvent = async (account: NewStaffAccount) => ({
  id: randomUUID(),
  type: ACCOUNT_CREATED,
  data: {
    accountId: randomUUID(),
    username: account.username,
    role: account.role,
    nodeId: account.nodeId,
    passwordHash: await hashPassword(account.password),
  } satisfies StaffAccount,
});

/**
 * Staff accounts, kept as events in the store beside the complaints, followed by every process that
 * signs staff in or checks their tokens (see ACCOUNT_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS).
 */
export class StaffAccounts {
  private readonly byId = new Map<string, StaffAccount & { active: boolean }>();
  private readonly idByUsername = new Map<string, string>();
  /** Version of the last account event folded in; -1n before the first. */
  private seenVersion = -1n;
  private caughtUpAt = Number.NEGATIVE_INFINITY;
  /** One catch-up at a time: concurrent look-ups wait for the same read. */
  private catchingUp: Promise<void> | undefined;

  private constructor(
    private readonly store: EventStore,
    private readonly now: () => number,
  ) {}

  /** Follows the account stream; on a store without accounts, creates `seed` once (a concurrent starter loses the race harmlessly). */
  static async open(
    store: EventStore,
    seed: readonly NewStaffAccount[],
    options: { now?: () => number } = {},
  ): Promise<{ accounts: StaffAccounts; seeded: boolean }> {
    let seeded = false;
    if ((await store.readStream(STAFF_ACCOUNTS_STREAM, { maxCount: 1 })).length === 0 && seed.length > 0) {
      const created = await Promise.all(seed.map(createdEvent));
      try {
        await store.appendToStream(STAFF_ACCOUNTS_STREAM, created, { expectedVersion: 'no_stream' });
        seeded = true;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    const accounts = new StaffAccounts(store, options.now ?? Date.now);
    await accounts.catchUp();
    return { accounts, seeded };
  }

  /**
   * The account when it is active and the password is right; undefined otherwise, in about the same
   * time either way. Every sign-in reads the account events it has not seen (one indexed query beside
   * the password hash's tens of milliseconds): an account created or deactivated anywhere counts at
   * once, and known and unknown usernames cost the same read.
   */
  async authenticate(username: string, password: string): Promise<StaffAccount | undefined> {
    await this.catchUp();
    const account = this.byId.get(this.idByUsername.get(username) ?? '');
    const matches = await passwordMatches(password, account?.passwordHash ?? DECOY_HASH);
    return account?.active && matches ? this.view(account) : undefined;
  }

  /**
   * The account behind a staff token, when it exists and is active (known to this process within the
   * stated bound). An id not seen yet is looked for in the store at once: it was created elsewhere a
   * moment ago (a token's id is signed, so nobody can make this process read for made-up ids).
   */
  async activeAccount(accountId: string): Promise<StaffAccount | undefined> {
    await this.catchUpWhenStale();
    if (!this.byId.has(accountId)) await this.catchUp();
    const account = this.byId.get(accountId);
    return account?.active ? this.view(account) : undefined;
  }

  /** Creates an account; a username already taken is refused (RangeError). */
  async create(account: NewStaffAccount): Promise<StaffAccount> {
    await this.catchUp();
    if (this.idByUsername.has(account.username)) throw new RangeError(`the username ${account.username} is taken`);
    const event = await createdEvent(account);
    // appended after the last account event seen: a concurrent creation elsewhere makes this one fail rather than take the same name
    await this.store.appendToStream(STAFF_ACCOUNTS_STREAM, [event], { expectedVersion: this.seenVersion < 0n ? 'no_stream' : this.seenVersion });
    // known here at once; the next catch-up folds the same event in again, to the same state
    this.byId.set(event.data.accountId, { ...event.data, active: true });
    this.idByUsername.set(event.data.username, event.data.accountId);
    return event.data;
  }

  /** Takes an account's sign-in and tokens away, in every process within the stated bound; false for an unknown account. */
  async deactivate(accountId: string, by: string, at: string): Promise<boolean> {
    await this.catchUp();
    if (!this.byId.has(accountId)) return false;
    await this.store.appendToStream(STAFF_ACCOUNTS_STREAM, [{ id: randomUUID(), type: ACCOUNT_DEACTIVATED, data: { accountId, by, at } }]);
    this.byId.get(accountId)!.active = false;
    return true;
  }

  /** Every account ever created, active or not, without the password hash. */
  list(): Array<Omit<StaffAccount, 'passwordHash'> & { readonly active: boolean }> {
    return [...this.byId.values()].map(({ passwordHash: _hidden, ...visible }) => visible);
  }

  private view(account: StaffAccount & { active: boolean }): StaffAccount {
    const { active: _active, ...stored } = account;
    return stored;
  }

  private async catchUpWhenStale(): Promise<void> {
    if (this.now() - this.caughtUpAt >= ACCOUNT_CHANGES_REACH_EVERY_PROCESS_WITHIN_MS) await this.catchUp();
  }

  private catchUp(): Promise<void> {
    this.catchingUp ??= this.readNewEvents().finally(() => {
      this.catchingUp = undefined;
    });
    return this.catchingUp;
  }

  private async readNewEvents(): Promise<void> {
    const startedAt = this.now();
    for (const event of await this.store.readStream(STAFF_ACCOUNTS_STREAM, { fromVersion: this.seenVersion + 1n })) {
      if (event.type === ACCOUNT_CREATED) {
        const account = StaffAccount.parse(event.data);
        this.byId.set(account.accountId, { ...account, active: true });
        this.idByUsername.set(account.username, account.accountId);
      } else if (event.type === ACCOUNT_DEACTIVATED) {
        const account = this.byId.get(AccountChanged.parse(event.data).accountId);
        if (account) account.active = false;
      }
      this.seenVersion = event.streamVersion;
    }
    this.caughtUpAt = startedAt;
  }
}
