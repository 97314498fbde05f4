import type { EventStore } from '@lapor/event-store';
import { appendOrigin, WrongExpectedVersionError } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';
import type { StaffRole } from './roles';
import type { NodeLookup, StaffAccountCommand } from './staff/commands';
import { staffAccountsDecider } from './staff/decider';
import { parseStaffAccountEvent, type AccountActor, type StaffAccountEvent } from './staff/events';
import { endSession, isEndedIn, staffSessionsStream } from './staff/ended-sessions';
import { DECOY_HASH, hashPassword, needsRehash, passwordMatches } from './staff/passwords';
import type { StaffAccountState, StaffAccountsState } from './staff/state';

export const STAFF_ACCOUNTS_STREAM = 'staff-accounts';

/** An account as the rest of the system sees it: never its password hash or reset code. */
export interface StaffAccount {
  readonly accountId: string;
  readonly username: string;
  readonly role: StaffRole;
  readonly nodeId: string;
  readonly active: boolean;
  readonly mustChangePassword: boolean;
  /** The session generation its tokens must carry (see StaffAccountState.generation). */
  readonly generation: number;
}

export interface NewStaffAccount {
  readonly username: string;
  readonly role: StaffRole;
  readonly nodeId: string;
  readonly password: string;
}

/** What a token names: the account, its session, and the generation it was issued at. */
export interface SessionClaims {
  readonly sub: string;
  readonly sid: string;
  readonly gen: number;
}

/** The first start creates accounts before the tree below the root is registered (main.ts): it vouches for their nodes. */
const FIRST_START: AccountActor = { id: 'first-start', role: 'admin_nasional', nodeId: 'nasional' };
const KIND_OF_ROLE = { admin_nasional: 'nasional', admin_instansi: 'instansi', liaison: 'unit' } as const;
const vouchedFor = (accounts: readonly NewStaffAccount[]): NodeLookup => ({
  facts: (nodeId) => {
    const account = accounts.find((candidate) => candidate.nodeId === nodeId);
    if (!account) return undefined;
    return { path: nodeId === 'nasional' ? ['nasional'] : ['nasional', nodeId], kind: KIND_OF_ROLE[account.role], active: true };
  },
});

const view = (account: StaffAccountState): StaffAccount => ({
  accountId: account.accountId,
  username: account.username,
  role: account.role,
  nodeId: account.nodeId,
  active: account.active,
  mustChangePassword: account.mustChangePassword,
  generation: account.generation,
});

/**
 * Staff accounts, kept as events in the store beside the complaints (staffAccountsDecider), followed
 * by every process that signs staff in or checks their tokens.
 */
export class StaffAccounts {
  private state: StaffAccountsState = staffAccountsDecider.initialState();
  /** Version of the last account event folded in; -1n before the first. */
  private seenVersion = -1n;
  private reading: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  private constructor(private readonly store: EventStore) {}

  /** Follows the account stream; on a store without accounts, creates `seed` once through the same command an administrator sends (a concurrent starter loses the race harmlessly). */
  static async open(
    store: EventStore,
    seed: readonly NewStaffAccount[],
    _options: { now?: () => number } = {},
  ): Promise<{ accounts: StaffAccounts; seeded: boolean }> {
    let seeded = false;
    const accounts = new StaffAccounts(store);
    if ((await store.readStream(STAFF_ACCOUNTS_STREAM, { maxCount: 1 })).length === 0 && seed.length > 0) {
      try {
        await accounts.executeAll(await Promise.all(seed.map((account) => firstStartCommand(account, seed))), { noStream: true });
        seeded = true;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    await accounts.readFromNow();
    return { accounts, seeded };
  }

  /**
   * The account when it is active and the password is right; undefined otherwise, in about the same
   * time either way (an unknown username and an account without a password spend the decoy hash).
   * A right password under an older hash (scrypt, or other argon2id parameters) is hashed again.
   */
  async authenticate(username: string, password: string): Promise<StaffAccount | undefined> {
    await this.readFromNow();
    const account = this.state.accounts.get(this.state.idByUsername.get(username) ?? '');
    const stored = account?.passwordHash ?? null;
    const matches = await passwordMatches(password, stored ?? DECOY_HASH);
    if (!account?.active || !matches || stored === null) return undefined;
    if (needsRehash(stored)) await this.rehash(account, password);
    return view(account);
  }

  /**
   * The active account behind a token's session, read after the request arrived: a deactivation, a
   * new password, a role or node change or a sign-out made in any process a moment ago counts.
   */
  async session(claims: SessionClaims): Promise<StaffAccount | undefined> {
    // One round trip on every authenticated request: the latest event of the account stream and of
    // the account's sign-outs, read together. The account stream is read further only when it has
    // moved past what this process folded (rarely: accounts change far less often than they are used).
    const sessions = staffSessionsStream(claims.sub);
    const latest = await this.store.readLatest([STAFF_ACCOUNTS_STREAM, sessions]);
    const accountsAt = latest.find((event) => event.streamId === STAFF_ACCOUNTS_STREAM)?.streamVersion ?? -1n;
    if (accountsAt > this.seenVersion) await this.readFromNow();
    const ended = isEndedIn(
      latest.find((event) => event.streamId === sessions),
      claims.sid,
    );
    const account = this.state.accounts.get(claims.sub);
    if (!account?.active || account.generation !== claims.gen || ended || account.endedSessions.has(claims.sid)) return undefined;
    return view(account);
  }

  /** Ends one session (a sign-out) on every process at its next request; the account's other sessions go on. */
  async signOut(session: { accountId: string; sessionId: string; until: string }, at: string): Promise<void> {
    await endSession(this.store, { ...session, at });
  }

  /** The account as this process knows it now (any state). */
  async account(accountId: string): Promise<StaffAccount | undefined> {
    await this.readFromNow();
    const account = this.state.accounts.get(accountId);
    return account && view(account);
  }

  async byUsername(username: string): Promise<StaffAccount | undefined> {
    await this.readFromNow();
    return this.account(this.state.idByUsername.get(username) ?? '');
  }

  /** True when the password is the account's current one (for a change that asks for it). */
  async passwordIs(accountId: string, password: string): Promise<boolean> {
    const stored = this.state.accounts.get(accountId)?.passwordHash ?? null;
    const matches = await passwordMatches(password, stored ?? DECOY_HASH);
    return stored !== null && matches;
  }

  /**
   * Decides a command on the accounts as stored now and appends the outcome with the version it was
   * decided on: a concurrent change anywhere makes it fail (WrongExpectedVersionError, a 409) rather
   * than, say, give one username twice. Throws AccountRuleError when the rules refuse.
   */
  async execute(command: StaffAccountCommand): Promise<StaffAccountEvent[]> {
    return this.executeAll([command], {});
  }

  /**
   * Decides the commands one after the other, each on the state the ones before it leave, and
   * appends all their events in one append: all or none (an onboarding's liaison accounts).
   */
  async executeTogether(commands: readonly StaffAccountCommand[]): Promise<StaffAccountEvent[]> {
    return this.executeAll(commands, {});
  }

  /** Creates an account for the system itself (tests, tools): as the first start does, with no password change asked. */
  async create(account: NewStaffAccount): Promise<StaffAccount> {
    const command = await firstStartCommand(account, [account]);
    await this.execute(command);
    return view(this.state.accounts.get(command.data.accountId)!);
  }

  /** Every account ever created, active or not. */
  list(): StaffAccount[] {
    return [...this.state.accounts.values()].map(view);
  }

  private async rehash(account: StaffAccountState, password: string): Promise<void> {
    const actor = { id: account.accountId, role: account.role, nodeId: account.nodeId };
    const command: StaffAccountCommand = {
      type: 'RehashPassword',
      data: { accountId: account.accountId, passwordHash: await hashPassword(password) },
      metadata: { now: new Date().toISOString(), actor, nodes: { facts: () => undefined } },
    };
    try {
      await this.execute(command);
    } catch (error) {
      // another change to the accounts won the append: the old hash still verifies, the next sign-in rehashes
      if (!(error instanceof WrongExpectedVersionError)) throw error;
    }
  }

  private async executeAll(commands: readonly StaffAccountCommand[], options: { noStream?: boolean }): Promise<StaffAccountEvent[]> {
    if (!options.noStream) await this.readFromNow();
    const decidedOn = this.seenVersion;
    // decided one after the other on a scratch fold, so a batch (the seed) is checked as a whole; the live state changes only after the append
    const scratch = commands.length > 1 ? copyState(this.state) : this.state;
    const events: StaffAccountEvent[] = [];
    for (const command of commands) {
      const decided = staffAccountsDecider.decide(command, scratch);
      if (commands.length > 1) for (const event of decided) staffAccountsDecider.evolve(scratch, event);
      events.push(...decided);
    }
    if (events.length === 0) return events;
    // where the request came from, for the audit trail
    const metadata = appendOrigin();
    await this.store.appendToStream(
      STAFF_ACCOUNTS_STREAM,
      events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata })),
      { expectedVersion: options.noStream || decidedOn < 0n ? 'no_stream' : decidedOn },
    );
    await this.readFromNow();
    return events;
  }

  /**
   * Reads the events after the last one seen, in a read that starts after this call: a read already
   * under way may have started before the caller's request arrived, so the caller waits for the one
   * after it. Concurrent callers share that next read.
   */
  private readFromNow(): Promise<void> {
    if (!this.reading) return this.startReading();
    this.queued ??= this.reading
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.startReading();
      });
    return this.queued;
  }

  private startReading(): Promise<void> {
    const reading = this.readNewEvents().finally(() => {
      if (this.reading === reading) this.reading = undefined;
    });
    this.reading = reading;
    return reading;
  }

  private async readNewEvents(): Promise<void> {
    for (const recorded of await this.store.readStream(STAFF_ACCOUNTS_STREAM, { fromVersion: this.seenVersion + 1n })) {
      // two reads may overlap (one started as another finished): each event is folded once
      if (recorded.streamVersion <= this.seenVersion) continue;
      const event = parseStaffAccountEvent(recorded.type, recorded.data);
      if (event) staffAccountsDecider.evolve(this.state, event);
      this.seenVersion = recorded.streamVersion;
    }
  }
}

async function firstStartCommand(
  account: NewStaffAccount,
  all: readonly NewStaffAccount[],
): Promise<Extract<StaffAccountCommand, { type: 'CreateStaffAccount' }>> {
  return {
    type: 'CreateStaffAccount',
    data: {
      accountId: randomUUID(),
      username: account.username,
      role: account.role,
      nodeId: account.nodeId,
      password: { hash: await hashPassword(account.password), temporary: false },
      resetCode: null,
      additionalAdmin: true,
    },
    metadata: { now: new Date().toISOString(), actor: FIRST_START, nodes: vouchedFor(all) },
  };
}

function copyState(state: StaffAccountsState): StaffAccountsState {
  const accounts = new Map([...state.accounts].map(([id, account]) => [id, { ...account, endedSessions: new Map(account.endedSessions) }]));
  return { accounts, idByUsername: new Map(state.idByUsername) };
}
