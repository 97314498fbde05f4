import type { WorkflowContext } from '@lapor/http-kit';
import type { SqlQueryable } from '@lapor/sql';
import type { FastifyInstance } from 'fastify';
import { auditTrailRoutes } from '../audit/routes';
import { accountAdministrationRoutes } from './routes';

/** The staff accounts' administration and the audit trail of every administrative change: the routes, declared (the trail is opened by openAuditTrail). */
export async function staffAdministrationRoutes(
  app: FastifyInstance,
  options: { context: WorkflowContext; audit: { readonly db: SqlQueryable } },
): Promise<void> {
  await app.register(accountAdministrationRoutes, { context: options.context });
  await app.register(auditTrailRoutes, options);
}
