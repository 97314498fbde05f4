import fastifyJwt from '@fastify/jwt';
import type { Actor } from '@lapor/domain';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { STAFF_ROLES, type ApiKey, type ApiKeys, type StaffRole } from '@lapor/accounts';
import { forbidden, unauthorized } from './problem';

export type StaffActor = Extract<Actor, { role: StaffRole }>;

/** What a staff token carries: who, in which role, for which node of the tree. */
export interface StaffClaims {
  readonly sub: string;
  readonly role: StaffRole;
  readonly nodeId: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: StaffClaims;
    user: StaffClaims;
  }
}

export interface AuthOptions {
  /** HMAC secret for staff tokens (HS256). */
  readonly jwtSecret: string;
  readonly tokenLifetime?: string;
}

export const staffAuthentication = fp(async (app: FastifyInstance, options: AuthOptions) => {
  await app.register(fastifyJwt, { secret: options.jwtSecret, sign: { expiresIn: options.tokenLifetime ?? '8h' } });
});

/** The staff member behind the bearer token, when their role is among `roles`: else 401 or 403. */
export async function requireStaff(request: FastifyRequest, roles: readonly StaffRole[] = STAFF_ROLES): Promise<StaffActor> {
  if (!request.headers.authorization) throw unauthorized('This needs a staff bearer token (POST /auth/token).');
  let claims: StaffClaims;
  try {
    claims = await request.jwtVerify<StaffClaims>();
  } catch {
    throw unauthorized('The bearer token is invalid or has expired.');
  }
  if (!roles.includes(claims.role)) throw forbidden(`The role ${claims.role} may not do this.`);
  return { role: claims.role, id: claims.sub, nodeId: claims.nodeId };
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
