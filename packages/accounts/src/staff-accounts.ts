import type { EventStore } from '@lapor/event-store';
import { WrongExpectedVersionError } from '@lapor/event-store';
import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { StaffRole } from './roles';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keyLength: number) => Promise<Buffer>;
export const STAFF_ACCOUNTS_STREAM = 'staff-accounts';
const ACCOUNT_CREATED = 'StaffAccountCreated';

const StaffAccount = z.object({
  accountId: z.string(),
  username: z.string(),
  role: z.enum(['admin_nasional', 'admin_instansi', 'liaison']),
  nodeId: z.string(),
  /** scrypt$<salt b64>$<hash b64> */
  passwordHash: z.string(),
});
export type StaffAccount = z.infer<typeof StaffAccount>;

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

/** Staff accounts, kept as events in the store beside the complaints. */
export class StaffAccounts {
  private constructor(private readonly byUsername: Map<string, StaffAccount>) {}

  static async open(store: EventStore, seed: readonly NewStaffAccount[]): Promise<{ accounts: StaffAccounts; seeded: boolean }> {
    let seeded = false;
    if ((await store.readStream(STAFF_ACCOUNTS_STREAM, { maxCount: 1 })).length === 0 && seed.length > 0) {
      const created = await Promise.all(
        seed.map(async (account) => ({
          id: randomUUID(),
          type: ACCOUNT_CREATED,
          data: {
            accountId: randomUUID(),
            username: account.username,
            role: account.role,
            nodeId: account.nodeId,
            passwordHash: await hashPassword(account.password),
          },
        })),
      );
      try {
        await store.appendToStream(STAFF_ACCOUNTS_STREAM, created, { expectedVersion: 'no_stream' });
        seeded = true;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    const events = await store.readStream(STAFF_ACCOUNTS_STREAM);
    const accounts = events.filter((event) => event.type === ACCOUNT_CREATED).map((event) => StaffAccount.parse(event.data));
    return { accounts: new StaffAccounts(new Map(accounts.map((account) => [account.username, account]))), seeded };
  }

  /** The account when the password is right; undefined otherwise, in about the same time either way. */
  async authenticate(username: string, password: string): Promise<StaffAccount | undefined> {
    const account = this.byUsername.get(username);
    const matches = await passwordMatches(password, account?.passwordHash ?? DECOY_HASH);
    return account && matches ? account : undefined;
  }

  list(): StaffAccount[] {
    return [...this.byUsername.values()];
  }
}
