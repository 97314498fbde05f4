import { hashPassword, newResetCode, passwordProblems, resetCodeExpiry, resetCodeHash, type StaffAccount, type StaffAccountCommand } from '@lapor/accounts';
import { invalidField, linkToNext, notFound, PAGED, pageByKey, requireStaff, type StaffActor, type WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { nodeFactsOf } from './node-facts';
import type { AccountView } from './schemas';
import {
  AccountList,
  AccountListQuery,
  AccountParams,
  accountProblems,
  AccountsChanged,
  ACCOUNTS_TAG,
  AdminTransferBody,
  ChangeAccountBody,
  CreateAccountBody,
  CreatedAccount,
  DeactivateStaffAccountAnswer,
  GetStaffAccountAnswer,
  HandOverBody,
  HandOverStaffAccountAnswer,
  ReactivateStaffAccountAnswer,
  ResetIssued,
  TransferInstansiAdminAnswer,
} from './schemas';

type WithoutMetadata<C> = C extends StaffAccountCommand ? Omit<C, 'metadata'> : never;
const ADMINS = ['admin_nasional', 'admin_instansi'] as const;

const viewOf = ({ accountId, username, role, nodeId, active, mustChangePassword }: StaffAccount): AccountView => ({
  accountId,
  username,
  role,
  nodeId,
  active,
  mustChangePassword,
});

/**
 * Staff accounts as their administrators run them: Admin Nasional anywhere, an instansi admin within
 * its instansi (staffAccountsDecider says who may what). Each change is one append to the account
 * stream, recorded with who, when and from which address (the audit trail), and counts on every
 * service at the next request (StaffAccounts.session).
 */
export async function accountAdministrationRoutes(app: FastifyInstance, options: { context: WorkflowContext }): Promise<void> {
  const { context } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = [ACCOUNTS_TAG.name];
  const security = [{ bearer: [] }];

  /** Decides the command on the accounts and the tree as stored now; answers every account it changed. */
  const run = async (actor: StaffActor, command: WithoutMetadata<StaffAccountCommand>) => {
    const nodes = nodeFactsOf(await context.directory.latest());
    const events = await context.staffAccounts.execute({ ...command, metadata: { now: context.now(), actor, nodes } } as StaffAccountCommand);
    const changed = [...new Set(events.map((event) => event.data.accountId))];
    const accounts = await Promise.all(changed.map((accountId) => context.staffAccounts.account(accountId)));
    return accounts.flatMap((account) => (account ? [viewOf(account)] : []));
  };
  const issueCode = () => {
    const code = newResetCode();
    const expiresAt = resetCodeExpiry(context.now());
    return { code, stored: { hash: resetCodeHash(code), expiresAt } };
  };

  routes.get(
    '/staff-accounts',
    {
      schema: {
        operationId: 'listStaffAccounts',
        summary: 'The staff accounts you administer (Admin Nasional: all; an instansi admin: its instansi’s)',
        description: 'By username, `limit` at a time: pass `nextCursor` as `cursor` (or follow the Link header) for the next page.',
        tags,
        security,
        querystring: AccountListQuery,
        response: { 200: AccountList, ...accountProblems },
      },
      config: PAGED,
    },
    async (request, reply) => {
      const actor = await requireStaff(request, ADMINS);
      const tree = await context.directory.latest();
      await context.staffAccounts.account(actor.id); // reads what other processes changed
      const accounts = context.staffAccounts.list().filter((account) => actor.role === 'admin_nasional' || tree.isWithinScope(account.nodeId, actor.nodeId));
      // usernames are unique: the key a page ends on
      const page = pageByKey(accounts, (account) => account.username, request.query);
      linkToNext(request, reply, page.nextCursor === null ? null : { cursor: page.nextCursor });
      return { accounts: page.items.map(viewOf), nextCursor: page.nextCursor };
    },
  );

  routes.post(
    '/staff-accounts',
    {
      schema: {
        operationId: 'createStaffAccount',
        summary: 'Create a staff account',
        description:
          'With a temporary password (changed at the first sign-in: that token opens POST /auth/password alone), or without one: then the answer carries a one-time ' +
          'reset code, shown this once and stored only as a hash, for the holder to set their own password (POST /auth/password-reset). ' +
          'Usernames are unique (409). One active admin per instansi unless additionalAdmin is true.',
        tags,
        security,
        body: CreateAccountBody,
        response: { 201: CreatedAccount, ...accountProblems },
      },
      config: { answerHoldsSecret: true },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const { username, role, nodeId, temporaryPassword, additionalAdmin } = request.body;
      if (temporaryPassword !== undefined) {
        const problems = passwordProblems(temporaryPassword, username);
        if (problems.length > 0) throw invalidField('body.temporaryPassword', problems);
      }
      const reset = temporaryPassword === undefined ? issueCode() : undefined;
      const accountId = randomUUID();
      const [account] = await run(actor, {
        type: 'CreateStaffAccount',
        data: {
          accountId,
          username,
          role,
          nodeId,
          password: temporaryPassword === undefined ? null : { hash: await hashPassword(temporaryPassword), temporary: true },
          resetCode: reset?.stored ?? null,
          additionalAdmin,
        },
      });
      void reply.code(201).header('location', `/staff-accounts/${accountId}`);
      return { account: account!, ...(reset ? { resetCode: reset.code, resetCodeExpiresAt: reset.stored.expiresAt } : {}) };
    },
  );

  routes.get(
    '/staff-accounts/:accountId',
    {
      schema: {
        operationId: 'getStaffAccount',
        summary: 'One staff account you administer, as the list shows it',
        description: 'Where POST /staff-accounts says the new account is (its Location). An account outside your scope is 404, as one that does not exist.',
        tags,
        security,
        params: AccountParams,
        response: { 200: GetStaffAccountAnswer, ...accountProblems },
      },
    },
    async (request) => {
      const actor = await requireStaff(request, ADMINS);
      const tree = await context.directory.latest();
      const account = await context.staffAccounts.account(request.params.accountId);
      if (!account || !(actor.role === 'admin_nasional' || tree.isWithinScope(account.nodeId, actor.nodeId))) {
        throw notFound(`No staff account ${request.params.accountId} that you administer.`);
      }
      return viewOf(account);
    },
  );

  routes.patch(
    '/staff-accounts/:accountId',
    {
      schema: {
        operationId: 'changeStaffAccount',
        summary: 'Change an account’s role, or move it to another node (mutasi): one change per request',
        description: 'What the account did before keeps its account id: nothing is rewritten. Its tokens stop working at once; it signs in again.',
        tags,
        security,
        params: AccountParams,
        body: ChangeAccountBody,
        response: { 200: AccountsChanged, ...accountProblems },
      },
    },
    async (request) => {
      const actor = await requireStaff(request);
      const { accountId } = request.params;
      const { role, nodeId, additionalAdmin } = request.body;
      const accounts = await run(
        actor,
        role !== undefined
          ? { type: 'ChangeStaffRole', data: { accountId, role, additionalAdmin } }
          : { type: 'MoveStaffAccount', data: { accountId, nodeId: nodeId! } },
      );
      return { accounts };
    },
  );

  for (const [suffix, type, operationId, summary, answer] of [
    [
      'deactivation',
      'DeactivateStaffAccount',
      'deactivateStaffAccount',
      'Deactivate an account: its sign-in and every token stop working at once, on every service',
      DeactivateStaffAccountAnswer,
    ],
    [
      'reactivation',
      'ReactivateStaffAccount',
      'reactivateStaffAccount',
      'Reactivate an account: it signs in again (tokens from before stay dead)',
      ReactivateStaffAccountAnswer,
    ],
  ] as const) {
    routes.post(
      `/staff-accounts/:accountId/${suffix}`,
      { schema: { operationId, summary, tags, security, params: AccountParams, response: { 200: answer, ...accountProblems } } },
      async (request) => {
        const actor = await requireStaff(request);
        return { accounts: await run(actor, { type, data: { accountId: request.params.accountId } }) };
      },
    );
  }

  routes.post(
    '/staff-accounts/:accountId/password-reset',
    {
      schema: {
        operationId: 'resetStaffPassword',
        summary: 'Reset an account’s password: a one-time code for its holder',
        description:
          'The old password stops working and the account’s sessions end. The code is in this answer only (never logged, never kept but as a hash); ' +
          'it works once, for 72 hours, at POST /auth/password-reset. A retry with the same Idempotency-Key issues a new code, which replaces this one.',
        tags,
        security,
        params: AccountParams,
        response: { 200: ResetIssued, ...accountProblems },
      },
      config: { answerHoldsSecret: true },
    },
    async (request) => {
      const actor = await requireStaff(request);
      const { code, stored } = issueCode();
      await run(actor, { type: 'IssuePasswordReset', data: { accountId: request.params.accountId, codeHash: stored.hash, expiresAt: stored.expiresAt } });
      return { resetCode: code, resetCodeExpiresAt: stored.expiresAt };
    },
  );

  routes.post(
    '/staff-accounts/:accountId/hand-over',
    {
      schema: {
        operationId: 'handOverStaffAccount',
        summary: 'Mutasi with a successor: the account moves to another node and the successor takes its place (node and role), in one change',
        description:
          'The unit’s work (its inbox, its complaints) stays with the unit, now answered by the successor; what each did before keeps their account ids.',
        tags,
        security,
        params: AccountParams,
        body: HandOverBody,
        response: { 200: HandOverStaffAccountAnswer, ...accountProblems },
      },
    },
    async (request) => {
      const actor = await requireStaff(request);
      const { nodeId, successorAccountId } = request.body;
      return { accounts: await run(actor, { type: 'HandOverStaffAccount', data: { accountId: request.params.accountId, nodeId, successorAccountId } }) };
    },
  );

  routes.post(
    '/staff-accounts/instansi-admin-transfer',
    {
      schema: {
        operationId: 'transferInstansiAdmin',
        summary: 'Move the instansi-admin role from one account to another in one change: never none, never two',
        description:
          'As TTU moved complaint management from Bagian Organisasi to Diskominfo (Permendagri 8/2023): the new admin becomes the instansi’s admin, ' +
          'the previous one a liaison at previousAdminNodeId (or is deactivated when it is null), in one append.',
        tags,
        security,
        body: AdminTransferBody,
        response: { 200: TransferInstansiAdminAnswer, ...accountProblems },
      },
    },
    async (request) => {
      const actor = await requireStaff(request);
      return { accounts: await run(actor, { type: 'TransferInstansiAdmin', data: request.body }) };
    },
  );
}
