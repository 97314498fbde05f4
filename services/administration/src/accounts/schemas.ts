import { NodeId } from '@lapor/domain';
import { nameSchemas, NextCursor, pageCursor, pageLimit, Problem } from '@lapor/http-kit';
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

/** Per operation that answers the accounts it changed (one shape, named as the document first named each; AccountsChanged is ChangeStaffAccountAnswer). */
export const DeactivateStaffAccountAnswer = AccountsChanged.extend({});
export const ReactivateStaffAccountAnswer = AccountsChanged.extend({});
export const HandOverStaffAccountAnswer = AccountsChanged.extend({});
export const TransferInstansiAdminAnswer = AccountsChanged.extend({});
/** One account as GET /staff-accounts/{accountId} answers it (the lists hold the same shape, unnamed). */
export const GetStaffAccountAnswer = AccountView.extend({});

// Examples: the demo NTT accounts (made-up ids; no real person's).
const ADMIN_NTT = {
  accountId: '6e0f3b7a-2c1d-4f5e-8a9b-0c1d2e3f4a5b',
  username: 'admin-ntt',
  role: 'admin_instansi',
  nodeId: 'pemprov-ntt',
  active: true,
  mustChangePassword: false,
};
const LIAISON_PUPR = {
  accountId: 'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f',
  username: 'penghubung-pupr',
  role: 'liaison',
  nodeId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
  active: true,
  mustChangePassword: false,
};
const LIAISON_DIKBUD = {
  accountId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  username: 'penghubung-dikbud',
  role: 'liaison',
  nodeId: 'ntt-dinas-pendidikan-dan-kebudayaan',
  active: true,
  mustChangePassword: false,
};
const NEW_LIAISON = {
  accountId: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
  username: 'maria.contoh@pupr.example',
  role: 'liaison',
  nodeId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
  active: true,
  mustChangePassword: false,
};
const RESET = { resetCode: 'K7QXM-2RT9V-HP4ZD-8WNCF', resetCodeExpiresAt: '2026-12-08T02:00:00.000Z' };

nameSchemas(
  {
    ListStaffAccountsAnswer: AccountList,
    CreateStaffAccountBody: CreateAccountBody,
    CreateStaffAccountAnswer: CreatedAccount,
    GetStaffAccountAnswer,
    ChangeStaffAccountBody: ChangeAccountBody,
    ChangeStaffAccountAnswer: AccountsChanged,
    DeactivateStaffAccountAnswer,
    ReactivateStaffAccountAnswer,
    ResetStaffPasswordAnswer: ResetIssued,
    HandOverStaffAccountBody: HandOverBody,
    HandOverStaffAccountAnswer,
    TransferInstansiAdminBody: AdminTransferBody,
    TransferInstansiAdminAnswer,
  },
  {
    ListStaffAccountsAnswer: {
      description: 'The staff accounts the caller may manage, by username; nextCursor is where the next page starts',
      examples: [{ accounts: [ADMIN_NTT, LIAISON_DIKBUD, LIAISON_PUPR], nextCursor: null }],
    },
    CreateStaffAccountBody: {
      description: 'A staff account to make: its username, role and node; without a temporary password its holder gets a one-time reset code',
      examples: [{ username: 'maria.contoh@pupr.example', role: 'liaison', nodeId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat' }],
    },
    CreateStaffAccountAnswer: {
      description: 'The account made, and (when made without a password) its holder’s one-time reset code, shown this once',
      examples: [{ account: NEW_LIAISON, ...RESET }],
    },
    GetStaffAccountAnswer: { description: 'One staff account: its username, role, node and whether it may sign in', examples: [LIAISON_PUPR] },
    ChangeStaffAccountBody: {
      description: 'One change to an account: a new role or a new node (mutasi), not both',
      examples: [{ nodeId: 'ntt-dinas-pendidikan-dan-kebudayaan' }],
    },
    ChangeStaffAccountAnswer: {
      description: 'The account as it is after the change',
      examples: [{ accounts: [{ ...LIAISON_PUPR, nodeId: 'ntt-dinas-pendidikan-dan-kebudayaan' }] }],
    },
    DeactivateStaffAccountAnswer: {
      description: 'The account deactivated: it no longer signs in, and its tokens stopped working',
      examples: [{ accounts: [{ ...LIAISON_PUPR, active: false }] }],
    },
    ReactivateStaffAccountAnswer: { description: 'The account reactivated: it signs in again', examples: [{ accounts: [LIAISON_PUPR] }] },
    ResetStaffPasswordAnswer: {
      description: 'The one-time code the holder sets a new password with (POST /auth/password-reset), shown this once, and until when it works',
      examples: [RESET],
    },
    HandOverStaffAccountBody: {
      description: 'Mutasi with a successor: where the account goes, and the existing account that takes its place',
      examples: [{ nodeId: 'ntt-dinas-pendidikan-dan-kebudayaan', successorAccountId: NEW_LIAISON.accountId }],
    },
    HandOverStaffAccountAnswer: {
      description: 'Both accounts as they are after the hand-over: the one moved, and its successor in its place',
      examples: [{ accounts: [{ ...LIAISON_PUPR, nodeId: 'ntt-dinas-pendidikan-dan-kebudayaan' }, NEW_LIAISON] }],
    },
    TransferInstansiAdminBody: {
      description: 'The instansi-admin role moved from one account to another; the previous admin stays as a liaison on a unit, or is deactivated (null)',
      examples: [
        {
          instansiId: 'pemprov-ntt',
          fromAccountId: ADMIN_NTT.accountId,
          toAccountId: LIAISON_PUPR.accountId,
          previousAdminNodeId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
        },
      ],
    },
    TransferInstansiAdminAnswer: {
      description: 'Both accounts as they are after the transfer: the new admin, and the previous one',
      examples: [
        {
          accounts: [
            { ...LIAISON_PUPR, role: 'admin_instansi', nodeId: 'pemprov-ntt' },
            { ...ADMIN_NTT, role: 'liaison', nodeId: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat' },
          ],
        },
      ],
    },
  },
);
