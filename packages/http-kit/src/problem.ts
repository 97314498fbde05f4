import { AccountRuleError } from '@lapor/accounts';
import { isDomainError, type DomainErrorKind } from '@lapor/domain';
import { WrongExpectedVersionError } from '@lapor/event-store';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inCallersLanguage } from './problem-language';

/** RFC 9457 problem details; `type` is stable so clients can translate the title. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    /** Validation: each failing field, as a dotted path starting with body, querystring, params or headers. */
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    /** Domain refusals: the rule's stable code. */
    code: z.string().optional(),
    /** Version conflicts: the version the resource is at now. */
    currentVersion: z.string().optional(),
  })
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem details (application/problem+json): `type` and `code` are stable, `title` and `detail` are for people',
    examples: [
      {
        type: 'https://lapor.go.id/problems/not-found',
        title: 'Not Found',
        status: 404,
        detail: 'Pengaduan tidak ditemukan.',
        instance: '/complaints/LAP-7KQ2M9XH4D',
      },
    ],
  });
/** A 400: the request does not match its schema; `errors` names each failing field. */
export const ValidationProblem = Problem.extend({ errors: z.array(z.object({ field: z.string(), message: z.string() })) }).meta({
  id: 'ValidationProblem',
  description: 'A request that does not match its schema (400): each failing field as a dotted path (body.title, querystring.limit)',
  examples: [
    {
      type: 'https://lapor.go.id/problems/validation',
      title: 'Invalid request',
      status: 400,
      detail: 'The request does not match the rules.',
      instance: '/complaints',
      errors: [{ field: 'body.title', message: 'Judul wajib diisi' }],
    },
  ],
});
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_BASE = 'https://lapor.go.id/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An error a route throws on purpose, answered as this problem. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    /** Which fields were wrong (a check the schema cannot make), or the rule's code. */
    readonly extensions: Pick<Problem, 'errors' | 'code'> = {},
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }
}

/** 400 naming the field, as schema validation answers, for a check the schema cannot make alone. */
export const invalidField = (field: string, messages: readonly string[]): HttpProblem =>
  new HttpProblem(400, 'validation', 'Invalid request', 'The request does not match the rules.', { errors: messages.map((message) => ({ field, message })) });

export const notFound = (detail: string): HttpProblem => new HttpProblem(404, 'not-found', 'Not Found', detail);
export const unauthorized = (detail: string): HttpProblem => new HttpProblem(401, 'unauthorized', 'Unauthorized', detail);
export const forbidden = (detail: string): HttpProblem => new HttpProblem(403, 'forbidden', 'Forbidden', detail);

const STATUS_OF_KIND: Record<DomainErrorKind, number> = { not_found: 404, forbidden: 403, invalid: 422, conflict: 409 };

/**
 * The fields a validation issue is about: its path (`/title` → `title`), or for unknown keys the
 * keys themselves, so the client learns which field to drop.
 */
function issueFields(issue: { instancePath: string; keyword: string; params: Record<string, unknown> }): string[][] {
  const path = issue.instancePath.split('/').filter((segment) => segment !== '');
  const keys = issue.params.keys;
  if (issue.keyword === 'unrecognized_keys' && Array.isArray(keys)) return keys.map((key) => [...path, String(key)]);
  return [path];
}

function send(reply: FastifyReply, request: FastifyRequest, problem: Omit<Problem, 'instance'>): FastifyReply {
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...inCallersLanguage(request, reply, problem), instance: request.url });
}

// Connection-level failures, from PostgreSQL (class 08, admin shutdown, too many connections) or
// from the socket: the request can succeed when retried, unlike a bug.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

export function isDatabaseUnavailable(error: { code?: string; message?: string }): boolean {
  if (error.code && (UNAVAILABLE_SQLSTATES.has(error.code) || UNAVAILABLE_SOCKET_CODES.has(error.code))) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message ?? '');
}

/** Every error leaves as problem+json; a 5xx is logged with what an operator needs, a 4xx is not. */
export const problemHandlers = fp(async (app: FastifyInstance) => {
  app.setNotFoundHandler((request, reply) =>
    send(reply, request, {
      type: `${PROBLEM_BASE}not-found`,
      title: 'Not Found',
      status: 404,
      detail: `No route ${request.method} ${request.url}`,
    }),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      return send(reply, request, {
        type: `${PROBLEM_BASE}validation`,
        title: 'Invalid request',
        status: 400,
        detail: 'The request does not match the schema.',
        errors: error.validation.flatMap((issue) =>
          issueFields(issue).map((path) => ({
            field: [error.validationContext, ...path].join('.'),
            message: issue.message ?? 'invalid',
          })),
        ),
      });
    }
    if (isDomainError(error)) {
      const status = STATUS_OF_KIND[error.kind];
      return send(reply, request, {
        type: `${PROBLEM_BASE}${error.code.toLowerCase().replaceAll('_', '-')}`,
        title: error.code,
        status,
        detail: error.message,
        code: error.code,
      });
    }
    if (error instanceof WrongExpectedVersionError) {
      const current = error.actual === 'no_stream' ? undefined : error.actual.toString();
      if (current !== undefined) void reply.header('etag', `"${current}"`);
      return send(reply, request, {
        type: `${PROBLEM_BASE}version-conflict`,
        title: 'Version conflict',
        status: error.actual === 'no_stream' ? 404 : 409,
        detail: 'It changed since you read it (the complaint, or the organisation tree); read it again and retry with its current version.',
        ...(current !== undefined ? { currentVersion: current } : {}),
      });
    }
    if (error instanceof AccountRuleError) {
      return send(reply, request, {
        type: `${PROBLEM_BASE}${error.code.toLowerCase().replaceAll('_', '-')}`,
        title: error.code,
        status: error.status,
        detail: error.message,
        code: error.code,
      });
    }
    if (error instanceof HttpProblem) {
      return send(reply, request, {
        type: `${PROBLEM_BASE}${error.slug}`,
        title: error.title,
        status: error.status,
        detail: error.detail,
        ...error.extensions,
      });
    }
    if (isDatabaseUnavailable(error)) {
      // Nothing was written (a command is one statement, one transaction): the client may retry.
      request.log.warn({ err: { message: error.message, code: error.code } }, 'database unavailable; answered 503');
      void reply.header('retry-after', '1');
      return send(reply, request, {
        type: `${PROBLEM_BASE}service-unavailable`,
        title: 'Service Unavailable',
        status: 503,
        detail: 'The database is not reachable just now; nothing was written. Retry in a moment (with the same Idempotency-Key).',
      });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return send(reply, request, { type: `${PROBLEM_BASE}internal`, title: 'Internal Server Error', status });
    }
    // Fastify's own 4xx (body too large, bad JSON, unsupported media type…); its 400s are all about
    // the body, and a 400 names its field like any other (ValidationProblem in the document)
    return send(reply, request, {
      type: `${PROBLEM_BASE}${(error.code ?? 'error')
        .toLowerCase()
        .replace(/^fst_err_/, '')
        .replaceAll('_', '-')}`,
      title: error.message,
      status,
      ...(status === 400 ? { errors: [{ field: 'body', message: error.message }] } : {}),
    });
  });
});
