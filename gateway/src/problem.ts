import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** RFC 9457 problem details; `type` is stable so clients can translate the title. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: Array<{ field: string; message: string }>;
}

const PROBLEM_BASE = 'https://lapor.go.id/problems/';
const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The zod issue behind a validation error names the offending field by its path. */
function issuePath(issue: unknown): string[] {
  const path = (issue as { path?: unknown } | undefined)?.path;
  return Array.isArray(path) ? path.map(String) : [];
}

export const problemHandlers = fp(async (app: FastifyInstance) => {
  app.setNotFoundHandler((request, reply) => {
    const problem: Problem = {
      type: `${PROBLEM_BASE}not-found`,
      title: 'Not Found',
      status: 404,
      detail: `No route ${request.method} ${request.url}`,
      instance: request.url,
    };
    return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const problem: Problem = {
        type: `${PROBLEM_BASE}validation`,
        title: 'Invalid request',
        status: 400,
        detail: 'The request does not match the schema.',
        instance: request.url,
        errors: error.validation.map((issue) => ({
          field: [error.validationContext, ...issuePath(issue.params.issue)].join('.'),
          message: issue.message ?? 'invalid',
        })),
      };
      return reply.code(400).type(PROBLEM_CONTENT_TYPE).send(problem);
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const problem: Problem = {
      type: `${PROBLEM_BASE}${status >= 500 ? 'internal' : (error.code ?? 'error').toLowerCase()}`,
      title: status >= 500 ? 'Internal Server Error' : error.message,
      status,
      instance: request.url,
    };
    return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problem);
  });
});
