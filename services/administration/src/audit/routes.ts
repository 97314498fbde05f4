import { badCursor, linkToNext, nameSchemas, NextCursor, PAGED, pageCursor, pageLimit, Problem, requireStaff, type WorkflowContext } from '@lapor/http-kit';
import type { SqlQueryable } from '@lapor/sql';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACCOUNTS_TAG } from '../accounts/schemas';
import { auditPage } from './query';

// a cursor here is a position in the audit log, as `next` gives it
const POSITION = /^\d{1,19}$/;

const AuditQuery = z.strictObject({
  limit: pageLimit(200, 50),
  cursor: pageCursor.optional(),
  /** The older name of `cursor`: the `next` of the page before. */
  before: z
    .string()
    .regex(/^\d{1,19}$/, 'the next cursor of the page before')
    .optional(),
});

const AuditTrailPage = z.object({
  entries: z.array(
    z.object({
      cursor: z.string(),
      at: z.string(),
      actor: z.object({ accountId: z.string(), role: z.string(), nodeId: z.string().nullable() }).nullable(),
      /** The client's address as the gateway saw it (through the configured trusted proxies). */
      clientAddress: z.string().nullable(),
      /** The event: StaffAccountCreated, StaffAccountMoved, UnitAdded, NodeRenamed, CategoryRenamed… */
      action: z.string(),
      /** The account, node or category changed. */
      subject: z.string(),
      nodeIds: z.array(z.string()),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
  nextCursor: NextCursor,
  /** The same as nextCursor, under its older name: pass as `before` for the next (older) page; null on the last. */
  next: z.string().nullable(),
});

// Named after its operation, as the document first named it, so generated clients keep the type.
nameSchemas(
  { GetAuditTrailAnswer: AuditTrailPage },
  {
    GetAuditTrailAnswer: {
      description: 'A page of the audit trail, newest first: each change to the organisation, a staff account or a category, who made it, when and from where',
      examples: [
        {
          entries: [
            {
              cursor: '8812',
              at: '2026-11-27T03:10:00.000Z',
              actor: { accountId: '6e0f3b7a-2c1d-4f5e-8a9b-0c1d2e3f4a5b', role: 'admin_instansi', nodeId: 'pemprov-ntt' },
              clientAddress: '203.0.113.24',
              action: 'StaffAccountCreated',
              subject: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
              nodeIds: ['ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat'],
              detail: { username: 'maria.contoh@pupr.example', role: 'liaison' },
            },
          ],
          nextCursor: null,
          next: null,
        },
      ],
    },
  },
);

/** The audit trail: every change to the organisation, the staff accounts and the categories, who, when, from where. */
export async function auditTrailRoutes(app: FastifyInstance, options: { context: WorkflowContext; audit: { readonly db: SqlQueryable } }): Promise<void> {
  const { context, audit } = options;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/audit-trail',
    {
      schema: {
        operationId: 'getAuditTrail',
        summary: 'Administrative changes, newest first: who, when, from where (Admin Nasional: all; an instansi admin: its instansi’s)',
        description:
          'Changes to the organisation tree, to staff accounts and to the category taxonomy (a national category’s for Admin Nasional; an instansi’s own also for its admin). ' +
          'Keyset-paginated: pass `nextCursor` as `cursor`, or follow the Link header.',
        tags: [ACCOUNTS_TAG.name],
        security: [{ bearer: [] }],
        querystring: AuditQuery,
        response: { 200: AuditTrailPage, 400: Problem, 401: Problem, 403: Problem },
      },
      config: PAGED,
    },
    async (request, reply) => {
      const actor = await requireStaff(request, ['admin_nasional', 'admin_instansi']);
      const tree = await context.directory.latest();
      const scope = actor.role === 'admin_nasional' ? null : [actor.nodeId, ...tree.descendantsOf(actor.nodeId).map((node) => node.id)];
      const { limit } = request.query;
      const before = request.query.cursor ?? request.query.before;
      if (request.query.cursor !== undefined && !POSITION.test(request.query.cursor)) throw badCursor();
      const page = await auditPage(audit.db, { scope, before: before === undefined ? null : BigInt(before), limit });
      linkToNext(request, reply, page.next === null ? null : { cursor: page.next }, ['before']);
      return { ...page, nextCursor: page.next };
    },
  );
}
