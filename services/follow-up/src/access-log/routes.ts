import { badCursor, linkToNext, nameSchemas, NextCursor, PAGED, pageCursor, pageLimit, Problem, requireStaff, type WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessLogPage } from './record';

// a cursor here is a position in the log, as `next` gives it
const POSITION = /^\d{1,19}$/;

const AccessLogQuery = z.strictObject({
  limit: pageLimit(200, 50),
  cursor: pageCursor.optional(),
  /** The older name of `cursor`: the `next` of the page before. */
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

const AccessLog = z.object({
  entries: z.array(AccessLogEntry),
  nextCursor: NextCursor,
  /** The same as nextCursor, under its older name (for `before`). */
  next: z.string().nullable(),
});

// Named after its operation, as the document first named it, so generated clients keep the type.
nameSchemas(
  { GetPersonalDataAccessLogAnswer: AccessLog },
  {
    GetPersonalDataAccessLogAnswer: {
      description: 'A page of the access log, newest first: who read or erased which reporter’s identity, when and why (never the identity itself)',
      examples: [
        {
          entries: [
            {
              cursor: '5120',
              complaintId: '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c',
              purpose: 'erasure',
              reason: 'Permintaan penghapusan data oleh pelapor melalui surat tanggal 30 November 2026',
              by: { id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', role: 'admin_nasional', nodeId: 'nasional' },
              at: '2026-12-01T02:00:00.000Z',
              clientAddress: '203.0.113.24',
            },
            {
              cursor: '5087',
              complaintId: '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c',
              purpose: 'detail_view',
              reason: 'Menghubungi pelapor untuk memastikan lokasi lubang',
              by: { id: '6e0f3b7a-2c1d-4f5e-8a9b-0c1d2e3f4a5b', role: 'admin_instansi', nodeId: 'pemprov-ntt' },
              at: '2026-11-21T01:30:00.000Z',
              clientAddress: '198.51.100.7',
            },
          ],
          nextCursor: '5087',
          next: '5087',
        },
      ],
    },
  },
);

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
          'Newest first, continued with `cursor` set to the page’s `nextCursor` (or by following the Link header). Each entry says who, when, which complaint and why; ' +
          'it never holds the identity. Recorded before the identity is shown, so none is shown unrecorded.',
        tags: ['follow-up'],
        security: [{ bearer: [] }],
        querystring: AccessLogQuery,
        response: { 200: AccessLog, 400: Problem, 401: Problem, 403: Problem },
      },
      config: PAGED,
    },
    async (request, reply) => {
      await requireStaff(request, ['admin_nasional']);
      const { limit } = request.query;
      const before = request.query.cursor ?? request.query.before;
      if (request.query.cursor !== undefined && !POSITION.test(request.query.cursor)) throw badCursor();
      const page = await accessLogPage(context.store, { before: before === undefined ? null : BigInt(before), limit });
      linkToNext(request, reply, page.next === null ? null : { cursor: page.next }, ['before']);
      return { ...page, nextCursor: page.next };
    },
  );
}
