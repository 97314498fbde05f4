import type { ApiKeys } from '@lapor/accounts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  API_KEY_HEADER,
  rememberRefusedToken,
  REPORTER_SECRET_HEADER,
  reporterFromSecret,
  requireIntegration,
  verifyStaffToken,
  type StaffActor,
  type StaffSession,
  type StaffTokenRules,
} from './auth';
import { HttpProblem, unauthorized } from './problem';
import { VOUCHED_CALLER_HEADER, type CallerVouching } from './vouched-caller';

/** Who a request proved to be at the door: a verified staff token or a verified API key. */
export type ProvenCaller =
  | { readonly kind: 'staff'; readonly id: string; readonly actor: StaffActor; readonly session: StaffSession }
  | { readonly kind: 'integration'; readonly keyId: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook when a presented credential verified; absent for the public. */
    caller?: ProvenCaller;
  }
}

type Scheme = 'bearer' | 'apiKey' | 'reporterSecret';
type Security = ReadonlyArray<Readonly<Record<string, readonly string[]>>>;

const NEEDS: Record<Scheme, string> = {
  bearer: 'a staff bearer token (POST /auth/token)',
  apiKey: `an API key in the ${API_KEY_HEADER} header`,
  reporterSecret: `the reporter secret returned at submission, in the ${REPORTER_SECRET_HEADER} header`,
};

/** The caller a request proved, if any: what rate limits and idempotency keys go by, never a header merely present. */
export const provenCaller = (request: FastifyRequest): ProvenCaller | undefined => request.caller;

/**
 * Authentication at the door (onRequest: before the body is read, validated, rate-limited or
 * recorded), driven by each route's documented `security`, so what /openapi.json promises is what
 * is enforced, for every route at once:
 * - a presented staff token (against the accounts and the organisation as they are now: see
 *   verifyStaffToken) or API key is verified on every route, and the request remembers who
 *   it proved to be (`request.caller`): the public rate limit and the Idempotency-Key namespace go
 *   by that, never by a header that is merely there;
 * - a route whose security has no empty alternative needs one of its schemes: 401 otherwise, before
 *   its query or body is looked at (so a probe without a token learns nothing about the input);
 * - a presented credential that fails is 401 on a route that lists its scheme, even where the
 *   route is also open to the public (a wrong token is not silently taken for "no token").
 * Roles (403) stay with the route, which knows what it allows. The reporter secret is checked
 * here for its presence and shape only: it is verified against the complaint the route loads.
 */
interface DoorOptions {
  readonly apiKeys: () => ApiKeys | undefined;
  /** What staff tokens are checked against, once opened (none: every token is refused). */
  readonly staffTokens: () => StaffTokenRules | undefined;
  /** A service behind the gateway: a caller the gateway vouches for is taken on its word (see vouched-caller.ts). */
  readonly vouching?: CallerVouching;
}

export const authentication = fp(async (app: FastifyInstance, options: DoorOptions) => {
  app.addHook('onRequest', async (request) => {
    const security = (request.routeOptions.schema as { security?: Security } | undefined)?.security;
    const failures = new Map<Scheme, HttpProblem>();
    const vouch = request.headers[VOUCHED_CALLER_HEADER];
    if (options.vouching && typeof vouch === 'string') {
      const vouched = options.vouching.read(vouch, { method: request.method, url: request.url });
      if (vouched instanceof HttpProblem) {
        // from the gateway, a vouch fails only when the processes' token secrets or clocks disagree
        request.log.warn({ reason: vouched.detail }, 'a vouched caller was refused: do the gateway and this service share LAPOR_JWT_SECRET and a clock?');
        throw vouched;
      }
      request.caller = vouched;
    } else if (request.headers.authorization !== undefined) {
      const rules = options.staffTokens();
      try {
        if (!rules) throw unauthorized('Staff tokens are not served by this process.');
        const session = await verifyStaffToken(request, rules);
        request.caller = { kind: 'staff', id: session.actor.id, actor: session.actor, session };
      } catch (error) {
        if (!(error instanceof HttpProblem)) throw error; // the account store failing is ours: 500, not 401
        failures.set('bearer', error);
        rememberRefusedToken(request, error);
      }
    }
    if (!request.caller && request.headers[API_KEY_HEADER] !== undefined) {
      const keys = options.apiKeys();
      try {
        if (!keys) throw unauthorized('API keys are not served by this process.');
        request.caller = { kind: 'integration', keyId: (await requireIntegration(request, keys)).key.keyId };
      } catch (error) {
        if (!(error instanceof HttpProblem)) throw error; // the key store failing is ours: 500, not 401
        failures.set('apiKey', error);
      }
    }
    if (!security || security.length === 0) return; // a public route: nothing is required
    const schemes = new Set(security.flatMap((requirement) => Object.keys(requirement) as Scheme[]));
    for (const [scheme, error] of failures) if (schemes.has(scheme)) throw error;
    if (security.some((requirement) => Object.keys(requirement).length === 0)) return; // open to the public too
    if (request.caller?.kind === 'staff' && schemes.has('bearer')) return;
    if (request.caller?.kind === 'integration' && schemes.has('apiKey')) return;
    if (schemes.has('reporterSecret') && request.headers[REPORTER_SECRET_HEADER] !== undefined) {
      reporterFromSecret(request); // throws 401 on a malformed secret
      return;
    }
    throw unauthorized(`This needs ${[...schemes].map((scheme) => NEEDS[scheme] ?? scheme).join(' or ')}.`);
  });
});
