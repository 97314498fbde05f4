import type { SqlRunner } from '@lapor/sql';
import { uuidV5 } from '@lapor/workflow';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { provenCaller } from './authenticate';
import { REPORTER_SECRET_HEADER } from './auth';
import { IdempotencyRecords } from './idempotency-records';
import { HttpProblem } from './problem';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
/**
 * A caller who proved nothing (a citizen's app) shares one namespace with every other such caller,
 * so its key must be one nobody else can know or guess: a UUID, or 22 or more base64url characters
 * (128 bits and more). Knowing the key is then what proves being the caller who sent it first, and a
 * replay (with the reporter secret in it) reaches only that caller.
 */
const PUBLIC_KEY_PATTERN = /^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9_-]{22,200})$/;
// A request that started and never finished (its process died) may be taken over after this.
const ABANDONED_AFTER_MS = 60_000;
/** How long an answer is kept for retries, unless configured. */
const DEFAULT_IDEMPOTENCY_KEPT_FOR_MS = 24 * 3_600_000;
/** LAPOR_IDEMPOTENCY_TTL_HOURS, as the gateway and every service read it: how long retries are answered from the record. */
export const IdempotencyTtlHours = z.coerce
  .number()
  .min(1)
  .max(24 * 30)
  .default(24);
const PURGE_EVERY_MS = 10 * 60_000;
const COMMAND_NAMESPACE = '0e6b8d4c-3f0a-4f7b-9d61-6a2c1e5b7f90';
const REPLAYED_HEADERS = ['etag', 'location', 'content-type'] as const;

interface InFlight {
  /** The record's id: a hash of the caller's namespace and the key. */
  readonly id: string;
  readonly commandId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request carries an Idempotency-Key: the command id its retries share. */
    idempotency?: InFlight;
  }
}

/** The command id of a request: shared by its retries under one Idempotency-Key, fresh otherwise. */
export function commandIdOf(request: FastifyRequest, fresh: () => string): string {
  return request.idempotency?.commandId ?? fresh();
}

/** Whose keys these are: a key names a request only within its caller's namespace. */
function namespaceOf(request: FastifyRequest): string {
  const caller = provenCaller(request);
  if (caller?.kind === 'staff') return `staff:${caller.id}`;
  if (caller?.kind === 'integration') return `api-key:${caller.keyId}`;
  // checked by the route against its complaint; a wrong one is refused there and nothing is kept
  const secret = request.headers[REPORTER_SECRET_HEADER];
  if (typeof secret === 'string') return `reporter:${createHash('sha256').update(secret).digest('hex')}`;
  return 'public';
}

/**
 * Idempotency-Key for every POST: the same key and body from the same caller give the same answer
 * and no second event; the same key with another body is 422; while the first is still running, 409.
 * Keys are per caller (the staff account, the API key, the reporter secret; see PUBLIC_KEY_PATTERN
 * for everyone else). Records live in their own table with an expiry (IdempotencyRecords), are
 * written only once the caller passed the door (authentication runs at onRequest, this at
 * preHandler), and are kept only for answers that changed something (below 400): a refused or
 * failed request leaves nothing. The stored answer is encrypted: a submission's holds the reporter
 * secret.
 */
export const idempotency = fp(async (app: FastifyInstance, options: { db: SqlRunner; secret: string; keptForMs?: number }) => {
  const records = new IdempotencyRecords(options.db, {
    keptForMs: options.keptForMs ?? DEFAULT_IDEMPOTENCY_KEPT_FOR_MS,
    abandonedAfterMs: ABANDONED_AFTER_MS,
  });
  const key = Buffer.from(hkdfSync('sha256', options.secret, 'lapor-idempotency', 'stored answers', 32));

  const seal = (plain: string): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  };
  const open = (sealed: string): string => {
    const bytes = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  };
  const replay = (reply: FastifyReply, answer: { status: number; headers: Record<string, string>; body: string }) => {
    for (const [name, value] of Object.entries(answer.headers)) void reply.header(name, value);
    return reply.code(answer.status).header('idempotent-replayed', 'true').send(answer.body);
  };

  // expired records go in the background, a bounded batch at a time
  let purging: Promise<unknown> = Promise.resolve();
  const purger = setInterval(() => {
    purging = records.purge().catch((error: unknown) => app.log.warn({ err: error }, 'idempotency: could not purge expired records; retrying later'));
  }, PURGE_EVERY_MS);
  purger.unref();
  app.addHook('onClose', async () => {
    clearInterval(purger);
    await purging;
  });

  app.addHook('preHandler', async (request, reply) => {
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || header === undefined) return;
    const config = request.routeOptions.config as { proxied?: boolean; answerHoldsSecret?: boolean } | undefined;
    // A route the gateway forwards is made idempotent by the service behind it, not twice.
    if (config?.proxied) return;
    // An answer with a one-time secret (a reset code) is kept nowhere, not even sealed: a retry issues a new one, which replaces it.
    if (config?.answerHoldsSecret) return;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw invalidKey('Idempotency-Key is 1 to 200 visible ASCII characters.');
    }
    const namespace = namespaceOf(request);
    if (namespace === 'public' && !PUBLIC_KEY_PATTERN.test(header)) {
      throw invalidKey(
        'Idempotency-Key: without a staff token, API key or reporter secret, the key must be a random UUID or at least 22 base64url characters, so no one else can send it.',
      );
    }
    const id = createHash('sha256').update(`${namespace}\n${header}`).digest('hex');
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');

    const admission = await records.admit(id, fingerprint);
    switch (admission.state) {
      case 'reused':
        throw new HttpProblem(422, 'idempotency-key-reused', 'Idempotency-Key reused', 'This Idempotency-Key was used for another request; use a new key.');
      case 'completed':
        return replay(reply, JSON.parse(open(admission.sealed)));
      case 'running':
        throw new HttpProblem(409, 'request-in-progress', 'Request in progress', 'A request with this Idempotency-Key is still running; retry shortly.');
      case 'started':
        request.idempotency = { id, commandId: uuidV5(id, COMMAND_NAMESPACE) };
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const inFlight = request.idempotency;
    if (!inFlight || reply.getHeader('idempotent-replayed')) return payload;
    request.idempotency = undefined;
    try {
      if (reply.statusCode >= 400) {
        // Refused, or a failure of ours: nothing changed, so nothing is kept; a retry runs again.
        await records.forget(inFlight.id);
      } else {
        const headers: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS) {
          const value = reply.getHeader(name);
          if (value !== undefined) headers[name] = String(value);
        }
        const answer = { status: reply.statusCode, headers, body: typeof payload === 'string' ? payload : String(payload ?? '') };
        await records.complete(inFlight.id, seal(JSON.stringify(answer)));
      }
    } catch (error) {
      // The answer still goes out; a retry then finds the request started and, after a while, takes it over.
      request.log.warn({ err: error, record: inFlight.id }, 'idempotency: could not record the answer');
    }
    return payload;
  });
});

/** A 400 naming the header, as every 400 names its field (ValidationProblem in the document). */
const invalidKey = (detail: string): HttpProblem =>
  new HttpProblem(400, 'invalid-idempotency-key', 'Invalid Idempotency-Key', detail, { errors: [{ field: `headers.${IDEMPOTENCY_HEADER}`, message: detail }] });
