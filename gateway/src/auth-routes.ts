import type { EventStore } from '@lapor/event-store';
import { HttpProblem, Problem, signStaffToken, unauthorized } from '@lapor/http-kit';
import { recordSignIn, type StaffAccounts } from '@lapor/accounts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SignInThrottle } from './sign-in-throttle';

const TokenRequest = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });
const TokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  role: z.string(),
  nodeId: z.string(),
});

/** Staff sign in with username and password and get a bearer token carrying role and node. */
export async function authRoutes(
  app: FastifyInstance,
  options: { accounts: StaffAccounts; throttle: SignInThrottle; store: EventStore; now?: () => string },
): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/auth/token',
    {
      schema: {
        operationId: 'issueStaffToken',
        summary: 'Sign in as staff: a bearer token for the configured lifetime (8 hours unless LAPOR_TOKEN_LIFETIME_SECONDS says otherwise)',
        tags: ['auth'],
        security: [],
        body: TokenRequest,
        response: { 200: TokenResponse, 400: Problem, 401: Problem, 429: Problem },
      },
    },
    async (request, reply) => {
      // counted before the password is looked at, for known and unknown usernames alike (sign-in-throttle.ts)
      const admission = await options.throttle.admit(request.body.username, request.ip);
      if (!admission.admitted) {
        void reply.header('retry-after', String(admission.retryAfterSeconds));
        throw new HttpProblem(429, 'sign-in-throttled', 'Too Many Requests', `Too many failed sign-ins; retry after ${admission.retryAfterSeconds} seconds.`);
      }
      const account = await options.accounts.authenticate(request.body.username, request.body.password);
      if (!account) {
        request.log.info({ username: request.body.username }, 'sign-in refused');
        throw unauthorized('Unknown username or wrong password.');
      }
      await options.throttle.succeeded(admission);
      // "Login terakhir" in the admin performance table
      await recordSignIn(options.store, account.accountId, (options.now ?? (() => new Date().toISOString()))());
      const accessToken = signStaffToken(app, account);
      return { accessToken, tokenType: 'Bearer' as const, role: account.role, nodeId: account.nodeId };
    },
  );
}
