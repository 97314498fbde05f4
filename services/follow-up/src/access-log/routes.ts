import { Problem, requireStaff, type WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessLogPage } from './record';

const AccessLogQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `next` of the page before. */
  before: z
    .string()
    .regex(/^\d{1,19}$/, 'the next cursor of the page before')
    .optional(),
});

const AccessLogEntry = z.object({
  cursor: z.string(),
  complaintId: z.uuid(),
  purpose: z.enum(['detail_view', 'erasure']),
  reason: z.string().nullable(),
  by: z.object({ id: z.string(), role: z.string(), nodeId: z.string() }),
  at: z.string(),
  clientAddress: z.string().nullable(),
});

const AccessLog = z.object({ entries: z.array(AccessLogEntry), next: z.string().nullable() });

/** Who read or erased which reporter's identity, when and why: for Admin Nasional alone. */
export async function accessLogRoutes(app: FastifyInstance, options: { context: WorkflowContext }): Promise<void> {
  const { context } = options;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/personal-data/access-log',
    {
      schema: {
        operationId: 'getPersonalDataAccessLog',
        summary: 'Every read and erasure of a reporter’s identity (Admin Nasional)',
        description:
          'Newest first, continued with `before` set to the page’s `next`. Each entry says who, when, which complaint and why; ' +
          'it never holds the identity. Recorded before the identity is shown, so none is shown unrecorded.',
        tags: ['follow-up'],
        security: [{ bearer: [] }],
        querystring: AccessLogQuery,
        response: { 200: AccessLog, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      await requireStaff(request, ['admin_nasional']);
      const { before, limit } = request.query;
      return accessLogPage(context.store, { before: before === undefined ? null : BigInt(before), limit });
    },
  );
}
