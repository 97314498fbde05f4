import { isDomainError, type DomainErrorKind } from '@lapor/domain';
import { WrongExpectedVersionError } from '@lapor/event-store';
import { answerEdgeErrorsAs, HttpProblem } from '@lapor/http-kit';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';

// Errors on the Open311 routes leave in the GeoReport v2 shape, an array of {code, description}
// with the matching HTTP status, and NOT as the problem+json every other route answers: the
// civic-reporting apps this facade exists for (FixMyStreet, the Open311 client libraries) parse
// that shape and show its descriptions to their users; a problem document would reach them as an
// unreadable failure. Everything else about an error (which field, why) goes into `description`.

export const Open311Errors = z.array(z.object({ code: z.int(), description: z.string() })).meta({
  id: 'Open311Errors',
  description: 'GeoReport v2 errors: a list of codes (the HTTP status) and descriptions',
  examples: [[{ code: 400, description: 'service_code wajib diisi' }]],
});
export type Open311Errors = z.infer<typeof Open311Errors>;

/** A refusal on purpose, answered in the Open311 shape. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly descriptions: readonly string[],
  ) {
    super(descriptions.join('; '));
    this.name = 'Open311Error';
  }
}

export const badRequest = (description: string): Open311Error => new Open311Error(400, [description]);

const STATUS_OF_KIND: Record<DomainErrorKind, number> = { not_found: 404, forbidden: 403, invalid: 400, conflict: 409 };

/** What the client may read about a field that failed the schema, in the words Open311 clients expect. */
function describeIssue(field: string, message: string): string {
  if (field === 'format') return 'Only the JSON format is offered here: ask for .json (XML is not supported).';
  return `${field}: ${message}`;
}

/** The status and descriptions an error is answered with; a 5xx is the caller's to log. */
export function open311ErrorOf(error: unknown): { status: number; errors: Open311Errors } {
  const answer = (status: number, descriptions: readonly string[]) => ({ status, errors: descriptions.map((description) => ({ code: status, description })) });
  if (error instanceof Open311Error) return answer(error.status, error.descriptions);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const descriptions = error.validation.map((issue) => {
      const field = issue.instancePath
        .split('/')
        .filter((segment) => segment !== '')
        .join('.');
      const keys = issue.params.keys;
      const named = issue.keyword === 'unrecognized_keys' && Array.isArray(keys) ? keys.join(', ') : field;
      return describeIssue(named || error.validationContext || 'request', issue.message ?? 'invalid');
    });
    return answer(400, [...new Set(descriptions)]);
  }
  // The shared parts (intake's submission, the API keys, the rate limit, Idempotency-Key) refuse in
  // problem terms; their detail says what the client must change.
  if (error instanceof HttpProblem) return answer(error.status === 401 ? 403 : error.status, [error.detail ?? error.title]);
  if (isDomainError(error)) return answer(STATUS_OF_KIND[error.kind], [`${error.code}: ${error.message}`]);
  if (error instanceof WrongExpectedVersionError) return answer(409, ['The request changed meanwhile; read it again.']);
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) return answer(status, [(error as Error).message]);
  return answer(500, ['Internal server error; try again shortly.']);
}

/**
 * Makes `scope` (an encapsulated plugin with a prefix) answer its errors and unknown routes in the
 * Open311 shape. Exported for a gateway that declares the routes itself (distributed mode).
 */
export function useOpen311Errors(scope: FastifyInstance): void {
  // also those raised before routing (a bad % in the path, a too long segment, headers too large)
  answerEdgeErrorsAs(scope, (status, description) => ({
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify([{ code: status, description }] satisfies Open311Errors),
  }));
  scope.setErrorHandler((error, request, reply) => {
    const { status, errors } = open311ErrorOf(error);
    if (status >= 500) request.log.error({ err: error }, 'open311 request failed');
    return reply.code(status).type('application/json; charset=utf-8').send(errors);
  });
  scope.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type('application/json; charset=utf-8')
      .send([
        {
          code: 404,
          description: `No route ${request.method} ${request.url.split('?')[0]}; GeoReport v2 lives under /open311/v2 (services.json, requests.json).`,
        },
      ]),
  );
}
