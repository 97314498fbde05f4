import fastifyJwt from '@fastify/jwt';
import type { Actor, OrganisationTree } from '@lapor/domain';
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { STAFF_ROLES, type ApiKey, type ApiKeys, type StaffAccount, type StaffAccounts, type StaffRole } from '@lapor/accounts';
import { z } from 'zod';
import { forbidden, HttpProblem, unauthorized } from './problem';

export type StaffActor = Extract<Actor, { role: StaffRole }>;

/** What a staff token carries: who, in which role, for which node of the tree, in which session. */
export interface StaffClaims {
  readonly sub: string;
  readonly role: StaffRole;
  readonly nodeId: string;
  /** The session: signing out ends it alone. */
  readonly sid: string;
  /** The account's session generation at sign-in: a new password, a deactivation, a new role or node end every older token. */
  readonly gen: number;
  /** Set on the token of a first sign-in with an administrator's temporary password: it opens the password change alone. */
  readonly purpose?: typeof PASSWORD_CHANGE_PURPOSE;
}

export const PASSWORD_CHANGE_PURPOSE = 'password-change';
/** The one route a password-change token opens. */
export const PASSWORD_CHANGE_ROUTE = '/auth/password';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: StaffClaims;
    user: StaffClaims;
  }
}

export interface AuthOptions {
  /** HMAC secret for staff tokens (HS256). */
  readonly jwtSecret: string;
  /** How long a staff token lives; a token claiming a longer life is refused. */
  readonly tokenLifetimeSeconds?: number;
}

/** Eight hours: a working day's shift. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 8 * 60 * 60;

export const staffAuthentication = fp(async (app: FastifyInstance, options: AuthOptions) => {
  await app.register(fastifyJwt, { secret: options.jwtSecret, sign: { expiresIn: options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS } });
});

/**
 * The token sign-in issues for an account: who, in which role, for which node, in a new session, with
 * `iat` and `exp` from the configured lifetime. An account that must change its password first gets
 * a token for that alone.
 */
export function signStaffToken(
  app: FastifyInstance,
  account: Pick<StaffAccount, 'accountId' | 'role' | 'nodeId' | 'generation' | 'mustChangePassword'>,
): string {
  return app.jwt.sign({
    sub: account.accountId,
    role: account.role,
    nodeId: account.nodeId,
    sid: randomUUID(),
    gen: account.generation,
    ...(account.mustChangePassword ? { purpose: PASSWORD_CHANGE_PURPOSE } : {}),
  });
}

/** What a token's holder is checked against, beyond the signature: the accounts and the organisation as they are now. */
export interface StaffTokenRules {
  readonly accounts: StaffAccounts;
  /** The organisation, caught up when it does not know these ids (a node created elsewhere a moment ago). */
  readonly organisation: (nodeIds: readonly string[]) => Promise<OrganisationTree>;
  readonly lifetimeSeconds: number;
}

/** Clocks of the processes that sign and check tokens may differ by this much. */
const CLOCK_SKEW_SECONDS = 60;

const SignedClaims = z.object({
  sub: z.string().min(1),
  role: z.custom<StaffRole>((role) => STAFF_ROLES.includes(role as StaffRole)),
  nodeId: z.string().min(1),
  sid: z.string().min(1),
  gen: z.number().int().min(0),
  purpose: z.literal(PASSWORD_CHANGE_PURPOSE).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
});

const TOKEN_NOT_VALID = 'The bearer token is not valid.';
const notValid = (why: string): HttpProblem => unauthorized(`${TOKEN_NOT_VALID} ${why}`);

/**
 * The staff member a bearer token names, trusted only as far as the accounts and the organisation
 * say now: a signature proves who signed, not that the account still exists or is still active.
 * Refused (401, saying what is wrong, never why the signature failed): a bad signature or shape, no
 * expiry, an expiry past the configured lifetime (or issued in the future), an expired token, an
 * account that does not exist or is deactivated, a role or node the account no longer has, and a
 * node that is not in the organisation.
 */
export interface StaffSession {
  readonly actor: StaffActor;
  readonly sessionId: string;
  /** When the token expires (seconds since the epoch). */
  readonly expiresAt: number;
}

export async function verifyStaffToken(request: FastifyRequest, rules: StaffTokenRules): Promise<StaffSession> {
  let payload: unknown;
  try {
    payload = await request.jwtVerify();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') {
      throw unauthorized('The bearer token has expired; sign in again (POST /auth/token).');
    }
    throw unauthorized(TOKEN_NOT_VALID);
  }
  const parsed = SignedClaims.safeParse(payload);
  if (!parsed.success) {
    const missingExpiry = typeof (payload as { exp?: unknown } | null)?.exp !== 'number';
    throw missingExpiry ? notValid('It has no expiry.') : unauthorized(TOKEN_NOT_VALID);
  }
  const claims = parsed.data;
  const now = Math.floor(Date.now() / 1000);
  if (
    claims.iat > now + CLOCK_SKEW_SECONDS ||
    claims.exp - claims.iat > rules.lifetimeSeconds ||
    claims.exp - now > rules.lifetimeSeconds + CLOCK_SKEW_SECONDS
  ) {
    throw notValid('It claims to live longer than a token may.');
  }
  // read after the request arrived: a deactivation, a sign-out or a new password anywhere counts at once
  const account = await rules.accounts.session(claims);
  if (!account) throw notValid('Its account does not exist or is deactivated, or its session has ended; sign in again.');
  if (account.role !== claims.role || account.nodeId !== claims.nodeId) throw notValid('Its account’s role or unit has changed; sign in again.');
  if (!(await rules.organisation([claims.nodeId])).has(claims.nodeId)) throw notValid('Its unit is not in the organisation.');
  if (claims.purpose === PASSWORD_CHANGE_PURPOSE && request.routeOptions.url !== PASSWORD_CHANGE_ROUTE) {
    throw new HttpProblem(403, 'password-change-required', 'Forbidden', `Change the temporary password first (POST ${PASSWORD_CHANGE_ROUTE}).`);
  }
  return { actor: { role: claims.role, id: claims.sub, nodeId: claims.nodeId }, sessionId: claims.sid, expiresAt: claims.exp };
}

/** Why the door refused a presented staff token, for a route that asks for staff later. */
const refusedTokens = new WeakMap<FastifyRequest, HttpProblem>();

export function rememberRefusedToken(request: FastifyRequest, problem: HttpProblem): void {
  refusedTokens.set(request, problem);
}

/**
 * The staff member the door proved the bearer token to be (authenticate.ts), when their role is
 * among `roles`: else 401 (no token, or the door's reason for refusing it) or 403.
 */
/** The session a staff request's token belongs to (for signing out, or changing the password): requireStaff first. */
export function staffSession(request: FastifyRequest): StaffSession {
  const caller = request.caller;
  if (caller?.kind !== 'staff') throw unauthorized('This needs a staff bearer token (POST /auth/token).');
  return caller.session;
}

export async function requireStaff(request: FastifyRequest, roles: readonly StaffRole[] = STAFF_ROLES): Promise<StaffActor> {
  const caller = request.caller;
  if (caller?.kind !== 'staff') {
    if (!request.headers.authorization) throw unauthorized('This needs a staff bearer token (POST /auth/token).');
    throw refusedTokens.get(request) ?? unauthorized(TOKEN_NOT_VALID);
  }
  if (!roles.includes(caller.actor.role)) throw forbidden(`The role ${caller.actor.role} may not do this.`);
  return caller.actor;
}

export const REPORTER_SECRET_HEADER = 'x-reporter-secret';

/**
 * A reporter without an account acts on their complaint with the secret handed out once at
 * submission. Only its hash is stored (as the complaint's reporter reference): the secret is long
 * and random, so a plain SHA-256 is enough, and comparing hashes leaks nothing about the secret.
 */
export const reporterRefForSecret = (secret: string): string => `rpt-${createHash('sha256').update(secret, 'utf8').digest('hex')}`;

export function reporterFromSecret(request: FastifyRequest): Actor {
  const secret = request.headers[REPORTER_SECRET_HEADER];
  if (typeof secret !== 'string' || secret.length < 20) {
    throw unauthorized(`This needs the reporter secret returned at submission, in the ${REPORTER_SECRET_HEADER} header.`);
  }
  return { role: 'reporter', id: reporterRefForSecret(secret), nodeId: null };
}

export const API_KEY_HEADER = 'x-api-key';

/** The integrating system behind the x-api-key header, or a 401 that says what is wrong. */
export async function requireIntegration(request: FastifyRequest, keys: ApiKeys): Promise<{ actor: Actor; key: ApiKey }> {
  const presented = request.headers[API_KEY_HEADER];
  if (typeof presented !== 'string') throw unauthorized(`This needs an API key in the ${API_KEY_HEADER} header.`);
  const key = await keys.verify(presented);
  if (!key) throw unauthorized('The API key is unknown or revoked.');
  return { actor: { role: 'integration', id: key.keyId, nodeId: key.instansiId }, key };
}
