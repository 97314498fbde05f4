import { WrongExpectedVersionError, type EventStore } from '@lapor/event-store';
import { uuidV5 } from '@lapor/workflow';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from './problem';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
// A request that started and never finished (its process died) may be taken over after this.
const ABANDONED_AFTER_MS = 60_000;
const COMMAND_NAMESPACE = '0e6b8d4c-3f0a-4f7b-9d61-6a2c1e5b7f90';
const REPLAYED_HEADERS = ['etag', 'location', 'content-type'] as const;

interface InFlight {
  readonly stream: string;
  readonly version: bigint;
  readonly fingerprint: string;
  readonly commandId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request carries an Idempotency-Key: the command id its retries share. */
    idempotency?: InFlight;
  }
}

type Recorded =
  | { type: 'RequestStarted'; data: { fingerprint: string; at: number } }
  | { type: 'RequestCompleted'; data: { fingerprint: string; sealed: string } }
  | { type: 'RequestAbandoned'; data: { fingerprint: string } };

/** The command id of a request: shared by its retries under one Idempotency-Key, fresh otherwise. */
export function commandIdOf(request: FastifyRequest, fresh: () => string): string {
  return request.idempotency?.commandId ?? fresh();
}

/**
 * Idempotency-Key for every POST: the same key and body give the same answer and no second event;
 * the same key with another body is 422; while the first is still running, 409. Records are kept
 * as small streams in the event store (so they live wherever the complaints do), and the stored
 * answer is encrypted: a submission's answer holds the reporter secret.
 */
export const idempotency = fp(async (app: FastifyInstance, options: { store: EventStore; secret: string }) => {
  const { store } = options;
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

  app.addHook('preHandler', async (request, reply) => {
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || header === undefined) return;
    // A route the gateway forwards is made idempotent by the service behind it, not twice.
    if ((request.routeOptions.config as { proxied?: boolean } | undefined)?.proxied) return;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new HttpProblem(400, 'invalid-idempotency-key', 'Invalid Idempotency-Key', 'Idempotency-Key is 1 to 200 visible ASCII characters.');
    }
    // Keys are per caller: the same key from two callers names two requests.
    const caller = request.headers.authorization ?? request.headers['x-reporter-secret'] ?? request.headers['x-api-key'] ?? 'public';
    const id = createHash('sha256')
      .update(`${String(caller)}\n${header}`)
      .digest('hex');
    const stream = `idempotency-${id}`;
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');

    for (let attempt = 0; attempt < 3; attempt++) {
      const events = (await store.readStream(stream)) as unknown as Array<Recorded & { streamVersion: bigint }>;
      const last = events.at(-1);
      if (last && last.data.fingerprint !== fingerprint) {
        throw new HttpProblem(422, 'idempotency-key-reused', 'Idempotency-Key reused', 'This Idempotency-Key was used for another request; use a new key.');
      }
      if (last?.type === 'RequestCompleted') return replay(reply, JSON.parse(open(last.data.sealed)));
      if (last?.type === 'RequestStarted' && Date.now() - last.data.at < ABANDONED_AFTER_MS) {
        throw new HttpProblem(409, 'request-in-progress', 'Request in progress', 'A request with this Idempotency-Key is still running; retry shortly.');
      }
      try {
        const started = await store.appendToStream(
          stream,
          [{ id: uuidV5(`${id}#${events.length}`, COMMAND_NAMESPACE), type: 'RequestStarted', data: { fingerprint, at: Date.now() } }],
          { expectedVersion: last ? last.streamVersion : 'no_stream' },
        );
        request.idempotency = { stream, version: started.nextExpectedVersion, fingerprint, commandId: uuidV5(id, COMMAND_NAMESPACE) };
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // another copy of this request got there first: look again
      }
    }
    throw new HttpProblem(409, 'request-in-progress', 'Request in progress', 'A request with this Idempotency-Key is still running; retry shortly.');
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const inFlight = request.idempotency;
    if (!inFlight || reply.getHeader('idempotent-replayed')) return payload;
    request.idempotency = undefined;
    const { fingerprint } = inFlight;
    try {
      if (reply.statusCode >= 500) {
        // A failure of ours: let the client's retry run again.
        await store.appendToStream(
          inFlight.stream,
          [{ id: uuidV5(`${inFlight.stream}#abandon#${inFlight.version}`, COMMAND_NAMESPACE), type: 'RequestAbandoned', data: { fingerprint } }],
          {
            expectedVersion: inFlight.version,
          },
        );
      } else {
        const headers: Record<string, string> = {};
        for (const name of REPLAYED_HEADERS) {
          const value = reply.getHeader(name);
          if (value !== undefined) headers[name] = String(value);
        }
        const answer = { status: reply.statusCode, headers, body: typeof payload === 'string' ? payload : String(payload ?? '') };
        await store.appendToStream(
          inFlight.stream,
          [
            {
              id: uuidV5(`${inFlight.stream}#complete#${inFlight.version}`, COMMAND_NAMESPACE),
              type: 'RequestCompleted',
              data: { fingerprint, sealed: seal(JSON.stringify(answer)) },
            },
          ],
          { expectedVersion: inFlight.version },
        );
      }
    } catch (error) {
      // The answer still goes out; a retry then finds the request started and, after a while, takes it over.
      request.log.warn({ err: error, stream: inFlight.stream }, 'idempotency: could not record the answer');
    }
    return payload;
  });
});
