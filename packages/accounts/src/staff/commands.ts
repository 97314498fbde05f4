import type { StaffRole } from '../roles';
import type { AccountActor } from './events';

// Commands on the staff accounts. Hashing is slow and random, so it happens at the edge: commands
// carry hashes, never passwords. The organisation facts the scope rules need travel with the
// command (`metadata.nodes`), so `decide` reads no directory.

/** What the rules need to know of a node: where it sits (root first, itself last), its kind, whether it takes work. */
export interface NodeFacts {
  readonly path: readonly string[];
  readonly kind: 'nasional' | 'instansi' | 'unit' | 'subunit';
  readonly active: boolean;
}

export interface NodeLookup {
  /** Undefined for an id that is no node. */
  facts(nodeId: string): NodeFacts | undefined;
}

export interface AccountCommandMetadata {
  readonly now: string;
  readonly actor: AccountActor;
  readonly nodes: NodeLookup;
}

type Command<Type extends string, Data> = { readonly type: Type; readonly data: Data; readonly metadata: AccountCommandMetadata };

export type CreateStaffAccount = Command<
  'CreateStaffAccount',
  {
    accountId: string;
    username: string;
    role: StaffRole;
    nodeId: string;
    /** temporary: chosen by an administrator, to be changed at the first sign-in. */
    password: { hash: string; temporary: boolean } | null;
    /** Without a password: the one-time code the holder sets their own with. */
    resetCode: { hash: string; expiresAt: string } | null;
    /** A second active admin for an instansi, on purpose. */
    additionalAdmin: boolean;
  }
>;
export type ChangeStaffRole = Command<'ChangeStaffRole', { accountId: string; role: StaffRole; additionalAdmin: boolean }>;
/** Mutasi: the account moves; what it did before keeps its account id. */
export type MoveStaffAccount = Command<'MoveStaffAccount', { accountId: string; nodeId: string }>;
export type DeactivateStaffAccount = Command<'DeactivateStaffAccount', { accountId: string }>;
export type ReactivateStaffAccount = Command<'ReactivateStaffAccount', { accountId: string }>;
export type IssuePasswordReset = Command<'IssuePasswordReset', { accountId: string; codeHash: string; expiresAt: string }>;
/** Mutasi with a successor: the account moves to `nodeId`, the successor takes its place (node and role). */
export type HandOverStaffAccount = Command<'HandOverStaffAccount', { accountId: string; nodeId: string; successorAccountId: string }>;
/**
 * The instansi-admin role moves from one account to another at once (TTU, 2024: from Bagian
 * Organisasi to Diskominfo): the new admin is made admin, the previous one becomes a liaison at
 * `previousAdminNodeId`, or is deactivated when it is null. One append: never none, never two.
 */
export type TransferInstansiAdmin = Command<
  'TransferInstansiAdmin',
  { instansiId: string; fromAccountId: string; toAccountId: string; previousAdminNodeId: string | null }
>;
/** The holder's own change; the edge has checked the current password. */
export type ChangeOwnPassword = Command<'ChangeOwnPassword', { accountId: string; passwordHash: string }>;
export type RedeemPasswordReset = Command<'RedeemPasswordReset', { accountId: string; codeHash: string; passwordHash: string }>;
/** The same password under the current hash parameters, after a sign-in proved it. */
export type RehashPassword = Command<'RehashPassword', { accountId: string; passwordHash: string }>;

export type StaffAccountCommand =
  | CreateStaffAccount
  | ChangeStaffRole
  | MoveStaffAccount
  | DeactivateStaffAccount
  | ReactivateStaffAccount
  | IssuePasswordReset
  | HandOverStaffAccount
  | TransferInstansiAdmin
  | ChangeOwnPassword
  | RedeemPasswordReset
  | RehashPassword;
