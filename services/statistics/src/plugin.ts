import { followEventLog, prepareAppliedPositions } from '@lapor/consumer-kit';
import type { SqlRunner } from '@lapor/event-store';
import { notFound, Problem, requireStaff, type WorkflowContext } from '@lapor/http-kit';
import { prepareStatisticsTables, queryUnitRecap, statisticsProjection } from '@lapor/statistics';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

const RecapRow = z.object({
  nodeId: z.string(),
  name: z.string(),
  belumTerverifikasi: z.number(),
  belumDitindaklanjuti: z.number(),
  proses: z.number(),
  selesai: z.number(),
  tunda: z.number(),
  arsip: z.number(),
  total: z.number(),
  persenTindakLanjut: z.number(),
  rtl: z.number(),
  rhp: z.number(),
  rv: z.number(),
});
const RecapQuery = z.strictObject({
  /** The parent: its own row, rolled up, and the rows of the nodes directly below it. */
  nodeId: z.string().min(1).max(100),
  /** Received on or after (ISO date or date-time). */
  from: z.iso.date().or(z.iso.datetime({ offset: true })),
  /** Received before. */
  to: z.iso.date().or(z.iso.datetime({ offset: true })),
  /** The table as it stood at this moment (default: now). */
  asOf: z.iso.datetime({ offset: true }).optional(),
});
const Recap = z.object({ nodeId: z.string(), from: z.string(), to: z.string(), asOf: z.string(), total: RecapRow, below: z.array(RecapRow) });

/**
 * Statistics: the per-unit recap (Rekapitulasi Kinerja Unit) from its read model. In one process the
 * projection follows the event log directly; distributed, the same handler runs on Kafka.
 */
export interface StatisticsOptions {
  readonly context: WorkflowContext;
  readonly db: SqlRunner;
  /**
   * Where the projections get their events: 'event-log' follows the store in this process (the
   * embedded default); 'external' leaves feeding them to someone else (the Kafka consumer of the
   * service run alone).
   */
  readonly feed?: 'event-log' | 'external';
}

export async function statisticsRoutes(app: FastifyInstance, options: StatisticsOptions): Promise<void> {
  const { context, db } = options;
  await prepareAppliedPositions(db);
  await prepareStatisticsTables(db);
  if ((options.feed ?? 'event-log') === 'event-log') {
    const following = followEventLog(context.store, db, statisticsProjection, {
      onError: (error) => app.log.error({ err: error }, 'statistics projection stopped on an event; it resumes from its applied positions on restart'),
    });
    app.addHook('onClose', () => following.close());
  }

  app.withTypeProvider<ZodTypeProvider>().get(
    '/statistics/recap',
    {
      schema: {
        operationId: 'getUnitRecap',
        summary: 'Rekapitulasi Kinerja Unit: a node and the nodes below it, for a period, as of any moment',
        description: 'Staff see their own node and what is below it. The table may trail the latest writes by a moment.',
        tags: ['statistics'],
        security: [{ bearer: [] }],
        querystring: RecapQuery,
        response: { 200: Recap, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request) => {
      const actor = await requireStaff(request);
      const tree = context.directory.tree;
      const { nodeId } = request.query;
      if (!tree.has(nodeId) || !tree.isWithinScope(nodeId, actor.nodeId)) throw notFound(`No node ${nodeId} that you can see.`);
      const asOf = request.query.asOf ? new Date(request.query.asOf) : new Date();
      const recap = await queryUnitRecap(db, tree, {
        nodeId,
        receivedFrom: new Date(request.query.from),
        receivedBefore: new Date(request.query.to),
        asOf,
      });
      return { nodeId, from: request.query.from, to: request.query.to, asOf: asOf.toISOString(), total: recap.total, below: [...recap.below] };
    },
  );
}
