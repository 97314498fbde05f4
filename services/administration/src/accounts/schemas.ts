import { NodeId } from '@lapor/domain';
import { NextCursor, pageCursor, pageLimit, Problem } from '@lapor/http-kit';
import { z } from 'zod';

// The account administration's input and answers. Input is validated here (400 naming the field);
// the account rules are the decider's (403, 404, 409, 422 with the rule's code).

export const ACCOUNTS_TAG = {
  name: 'accounts',
  description: 'Staff accounts: create, role, node, hand-overs (mutasi), deactivation, password resets; the audit trail',
};

export const accountProblems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };

const Role = z.enum(['admin_nasional', 'admin_instansi', 'liaison']);
/** A name or an e-mail address, as bulk onboarding signs liaisons in with theirs: the two ways in agree. */
export const Username = z
  .string()
  .min(3)
  .max(254)
  .regex(/^[a-z0-9][a-z0-9._+@-]*$/, 'lower-case letters, digits, dots, hyphens, underscores, + and @, starting with a letter or digit');
/** A second active admin for the instansi on purpose (otherwise refused: one admin, moved by transfer). */
const additionalAdmin = z.boolean().default(false);

export const AccountParams = z.strictObject({ accountId: z.string().min(1).max(100) });

export const CreateAccountBody = z.strictObject({
  username: Username,
  role: Role,
  nodeId: NodeId,
  /** To be changed at the first sign-in. Absent: a one-time reset code is returned instead, for the holder to set their own. */
  temporaryPassword: z.string().min(1).max(200).optional(),
  additionalAdmin,
});

export const ChangeAccountBody = z
  .strictObject({ role: Role.optional(), nodeId: NodeId.optional(), additionalAdmin })
  // one change, one decision: a new role and a new node are two requests (or a hand-over)
  .refine((body) => (body.role === undefined) !== (body.nodeId === undefined), { message: 'give either role or nodeId, not both', path: ['role'] });

export const HandOverBody = z.strictObject({
  /** Where the account goes. */
  nodeId: NodeId,
  /** Who takes its place (its node and role): an existing active account. */
  successorAccountId: z.string().min(1).max(100),
});

export const AdminTransferBody = z.strictObject({
  instansiId: NodeId,
  fromAccountId: z.string().min(1).max(100),
  toAccountId: z.string().min(1).max(100),
  /** The unit the previous admin stays on as a liaison; null: the previous admin's account is deactivated. */
  previousAdminNodeId: NodeId.nullable(),
});

export const AccountView = z.object({
  accountId: z.string(),
  username: z.string(),
  role: Role,
  nodeId: z.string(),
  active: z.boolean(),
  /** Signed in with a temporary password not yet changed. */
  mustChangePassword: z.boolean(),
});
export type AccountView = z.infer<typeof AccountView>;

export const AccountList = z.object({ accounts: z.array(AccountView), nextCursor: NextCursor });

/** Accounts by username, `limit` at a time (Admin Nasional sees every staff account in the country). */
export const AccountListQuery = z.strictObject({ limit: pageLimit(200, 100), cursor: pageCursor.optional() });

export const CreatedAccount = z.object({
  account: AccountView,
  /** Only when created without a password: shown this once, stored only as a hash. */
  resetCode: z.string().optional(),
  resetCodeExpiresAt: z.string().optional(),
});

export const ResetIssued = z.object({
  /** Shown this once, stored only as a hash; works once, until resetCodeExpiresAt (POST /auth/password-reset). */
  resetCode: z.string(),
  resetCodeExpiresAt: z.string(),
});

export const AccountsChanged = z.object({ accounts: z.array(AccountView) });
