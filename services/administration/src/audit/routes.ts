import { Problem, requireStaff, type WorkflowContext } from '@lapor/http-kit';
import type { SqlQueryable } from '@lapor/sql';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACCOUNTS_TAG } from '../accounts/schemas';
import { auditPage } from './query';

const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `next` of the page before. */
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
      /** The event: StaffAccountCreated, StaffAccountMoved, UnitAdded, NodeRenamed… */
      action: z.string(),
      /** The account or node changed. */
      subject: z.string(),
      nodeIds: z.array(z.string()),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
  /** Pass as `before` for the next (older) page; null on the last. */
  next: z.string().nullable(),
});

/** The audit trail: every change to the organisation and the staff accounts, who, when, from where. */
export async function auditTrailRoutes(app: FastifyInstance, options: { context: WorkflowContext; audit: { readonly db: SqlQueryable } }): Promise<void> {
  const { context, audit } = options;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/audit-trail',
    {
      schema: {
        operationId: 'getAuditTrail',
        summary: 'Administrative changes, newest first: who, when, from where (Admin Nasional: all; an instansi admin: its instansi’s)',
        description: 'Changes to the organisation tree and to staff accounts. Keyset-paginated: pass `next` as `before`.',
        tags: [ACCOUNTS_TAG.name],
        security: [{ bearer: [] }],
        querystring: AuditQuery,
        response: { 200: AuditTrailPage, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const actor = await requireStaff(request, ['admin_nasional', 'admin_instansi']);
      const tree = await context.directory.latest();
      const scope = actor.role === 'admin_nasional' ? null : [actor.nodeId, ...tree.descendantsOf(actor.nodeId).map((node) => node.id)];
      const { limit, before } = request.query;
      return auditPage(audit.db, { scope, before: before === undefined ? null : BigInt(before), limit });
    },
  );
}
