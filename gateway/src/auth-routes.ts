import { ActorRole } from '@lapor/domain';
import type { EventStore } from '@lapor/event-store';
import { HttpProblem, invalidField, nameSchemas, Problem, requireStaff, signStaffToken, staffSession, unauthorized } from '@lapor/http-kit';
import { passwordProblems, recordSignIn, resetCodeHash, hashPassword, type StaffAccount, type StaffAccounts } from '@lapor/accounts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SignInThrottle } from './sign-in-throttle';

const Username = z.string().min(1).max(100);
/**
 * Every username is lower case (the account routes, the first administrator's and onboarding's
 * e-mail addresses all say so), while people type their e-mail address as their mail client shows
 * it: the sign-in routes fold the case first, so the throttle counts every spelling as one account.
 */
const folded = (username: string): string => username.toLowerCase();
const Password = z.string().min(1).max(200);
const TokenRequest = z.strictObject({ username: Username, password: Password });
const TokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  role: ActorRole.extract(['admin_nasional', 'admin_instansi', 'liaison']),
  nodeId: z.string(),
  /** True after an administrator set a temporary password: this token opens POST /auth/password alone. */
  passwordChangeRequired: z.boolean(),
});
const PasswordChange = z.strictObject({ currentPassword: Password, newPassword: Password });
const PasswordReset = z.strictObject({
  username: Username,
  /** The one-time code an administrator's reset returned (XXXXX-XXXXX-XXXXX-XXXXX). */
  code: z.string().min(1).max(40),
  newPassword: Password,
});
const tags = ['auth'];

// The names these shapes have in the API document (components.schemas), for generated clients.
nameSchemas(
  { TokenRequest, StaffToken: TokenResponse, PasswordChange, PasswordReset },
  {
    TokenRequest: {
      description: 'A staff member signs in with a username and password',
      examples: [{ username: 'admin.ntt', password: 'rahasia-panjang-sekali' }],
    },
    StaffToken: {
      description: 'A bearer token for the staff routes, with the role and node it acts for',
      examples: [
        {
          accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbi5udHQifQ.c2lnbmF0dXJl',
          tokenType: 'Bearer',
          role: 'admin_instansi',
          nodeId: 'pemprov-ntt',
          passwordChangeRequired: false,
        },
      ],
    },
    PasswordChange: {
      description: 'A staff member replaces their password (the first sign-in’s temporary one, or their own)',
      examples: [{ currentPassword: 'sementara-123456', newPassword: 'kata-sandi-baru-yang-panjang' }],
    },
    PasswordReset: {
      description: 'A new password set with the one-time reset code an admin handed over',
      examples: [{ username: 'penghubung.pupr', code: 'K7Q2-M9XH', newPassword: 'kata-sandi-baru-yang-panjang' }],
    },
  },
);

interface AuthOptions {
  readonly accounts: StaffAccounts;
  readonly throttle: SignInThrottle;
  readonly store: EventStore;
  readonly now?: () => string;
}

/**
 * Staff sign in with username and password and get a bearer token carrying role, node and session;
 * they sign out (that session ends on every service at once), change their password, and set one
 * with an administrator's one-time reset code.
 */
export async function authRoutes(app: FastifyInstance, options: AuthOptions): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const now = options.now ?? (() => new Date().toISOString());
  const tokenFor = (account: StaffAccount) => ({
    accessToken: signStaffToken(app, account),
    tokenType: 'Bearer' as const,
    role: account.role,
    nodeId: account.nodeId,
    passwordChangeRequired: account.mustChangePassword,
  });

  /** Counted before anything secret is looked at, for known and unknown usernames alike (sign-in-throttle.ts). */
  const admitted = async (request: FastifyRequest, reply: FastifyReply, username: string) => {
    const admission = await options.throttle.admit(username, request.ip);
    if (!admission.admitted) {
      void reply.header('retry-after', String(admission.retryAfterSeconds));
      throw new HttpProblem(429, 'sign-in-throttled', 'Too Many Requests', `Too many failed sign-ins; retry after ${admission.retryAfterSeconds} seconds.`);
    }
    return admission;
  };

  routes.post(
    '/auth/token',
    {
      schema: {
        operationId: 'issueStaffToken',
        summary: 'Sign in as staff: a bearer token for the configured lifetime (8 hours unless LAPOR_TOKEN_LIFETIME_SECONDS says otherwise)',
        description:
          'An account an administrator created with a temporary password gets a token that opens POST /auth/password alone (passwordChangeRequired: true) until the password is changed. ' +
          'Usernames are lower case; the one sent is folded to lower case first (an e-mail address typed with capitals is the same account).',
        tags,
        security: [],
        body: TokenRequest,
        response: { 200: TokenResponse, 400: Problem, 401: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const username = folded(request.body.username);
      const admission = await admitted(request, reply, username);
      const account = await options.accounts.authenticate(username, request.body.password);
      if (!account) {
        // never the username: an onboarded liaison's is an e-mail address, and people type passwords
        // into it. The throttle's keyed hash of it still lets an operator see refusals for one account.
        request.log.info({ signInKey: admission.keys.account }, 'sign-in refused');
        throw unauthorized('Unknown username or wrong password.');
      }
      await options.throttle.succeeded(admission);
      // "Login terakhir" in the admin performance table
      await recordSignIn(options.store, account.accountId, now());
      return tokenFor(account);
    },
  );

  routes.post(
    '/auth/sign-out',
    {
      schema: {
        operationId: 'signOut',
        summary: 'Sign out: this token’s session ends on every service at once',
        tags,
        security: [{ bearer: [] }],
        response: { 204: z.null(), 401: Problem },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const session = staffSession(request);
      await options.accounts.signOut({ accountId: actor.id, sessionId: session.sessionId, until: new Date(session.expiresAt * 1000).toISOString() }, now());
      return reply.code(204).send(null);
    },
  );

  routes.post(
    '/auth/password',
    {
      schema: {
        operationId: 'changeOwnPassword',
        summary: 'Change your own password (with the current one); every other session of the account ends',
        description:
          'Also the one route a first sign-in’s token opens (passwordChangeRequired). The answer is a fresh token for this session. ' +
          'The new password: at least 10 characters, not the username, not a common password (the reasons come in Bahasa Indonesia, naming body.newPassword).',
        tags,
        security: [{ bearer: [] }],
        body: PasswordChange,
        response: { 200: TokenResponse, 400: Problem, 401: Problem, 403: Problem, 409: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const account = (await options.accounts.account(actor.id))!;
      // guessing the current password with a stolen token is throttled as sign-in is
      const admission = await admitted(request, reply, account.username);
      if (!(await options.accounts.passwordIs(actor.id, request.body.currentPassword))) {
        throw new HttpProblem(400, 'validation', 'Invalid request', 'The current password is wrong.', {
          errors: [{ field: 'body.currentPassword', message: 'Kata sandi saat ini salah.' }],
        });
      }
      await options.throttle.succeeded(admission);
      const problems = passwordProblems(request.body.newPassword, account.username);
      if (request.body.newPassword === request.body.currentPassword) problems.push('Kata sandi baru harus berbeda dari yang lama.');
      if (problems.length > 0) throw invalidField('body.newPassword', problems);
      await options.accounts.execute({
        type: 'ChangeOwnPassword',
        data: { accountId: actor.id, passwordHash: await hashPassword(request.body.newPassword) },
        metadata: { now: now(), actor, nodes: { facts: () => undefined } },
      });
      return tokenFor((await options.accounts.account(actor.id))!);
    },
  );

  routes.post(
    '/auth/password-reset',
    {
      schema: {
        operationId: 'redeemPasswordReset',
        summary: 'Set your password with the one-time code an administrator’s reset gave you',
        description: 'The code works once, until it expires (72 hours). Then sign in with the new password. Throttled like sign-in.',
        tags,
        security: [],
        body: PasswordReset,
        response: { 204: z.null(), 400: Problem, 401: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      const { code, newPassword } = request.body;
      const username = folded(request.body.username);
      const admission = await admitted(request, reply, username);
      const problems = passwordProblems(newPassword, username);
      if (problems.length > 0) throw invalidField('body.newPassword', problems);
      const account = await options.accounts.byUsername(username);
      // the same answer for an unknown username as for a wrong code
      const refused = unauthorized('Unknown username, or a wrong, used or expired code.');
      if (!account?.active) throw refused;
      const actor = { id: account.accountId, role: account.role, nodeId: account.nodeId };
      try {
        await options.accounts.execute({
          type: 'RedeemPasswordReset',
          data: { accountId: account.accountId, codeHash: resetCodeHash(code), passwordHash: await hashPassword(newPassword) },
          metadata: { now: now(), actor, nodes: { facts: () => undefined } },
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'RESET_CODE_INVALID') throw refused;
        throw error;
      }
      await options.throttle.succeeded(admission);
      return reply.code(204).send(null);
    },
  );
}
