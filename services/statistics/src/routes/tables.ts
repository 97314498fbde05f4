import { Problem } from '@lapor/http-kit';
import { REPORT_DAY_LIMITS } from '@lapor/statistics';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { RecapQuery, TableQuery, viewerOf } from '../query';
import { AdminPerformance, Breaches, PeriodStatistics, Recap, Routing, TopicRecap } from '../schemas';
import { adminTable, breachTable, periodTable, recapTable, routingTable, topicTable, type TableSources } from '../tables';

const PROBLEMS = { 400: Problem, 401: Problem, 403: Problem, 404: Problem } as const;
const DESCRIPTION =
  'Staff see their own node and what is below it. Complaints count by the local date they were received on, in the time zone of the door they came in by; `from` and `to` are both included. The tables may trail the latest writes by a moment.';

/**
 * The statistics tables as JSON, one route each. Not paged: a table has a row per node directly below
 * the one asked for (or per period, topic or admin of it), bounded by the tree, and its total row is
 * only true of the whole table.
 */
export async function tableRoutes(app: FastifyInstance, options: { sources: () => TableSources; now: () => string }): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ['statistics'], security: [{ bearer: [] }], description: DESCRIPTION };

  routes.get(
    '/statistics/recap',
    {
      schema: {
        ...common,
        operationId: 'getUnitRecap',
        summary: 'Rekapitulasi Kinerja Unit: a node and the nodes below it, for a period, as of any moment',
        querystring: RecapQuery,
        response: { 200: Recap, ...PROBLEMS },
      },
    },
    async (request) => {
      const sources = options.sources();
      const { nodeId, from, to, asOf, structure } = request.query;
      await viewerOf(request, sources.tree, nodeId);
      const recap = await recapTable(sources, nodeId, { from, to }, asOf ? new Date(asOf) : undefined, structure);
      return { nodeId, from, to, asOf: asOf ? new Date(asOf).toISOString() : options.now(), structure, ...recap };
    },
  );

  routes.get(
    '/statistics/admins',
    {
      schema: {
        ...common,
        operationId: 'getAdminPerformance',
        summary: `Kinerja Admin: each administrator’s verifications (within ${REPORT_DAY_LIMITS.verification} working days or after), Tunda and Arsip`,
        querystring: TableQuery,
        response: { 200: AdminPerformance, ...PROBLEMS },
      },
    },
    async (request) => {
      const sources = options.sources();
      const { nodeId, from, to } = request.query;
      await viewerOf(request, sources.tree, nodeId);
      return { nodeId, from, to, admins: await adminTable(sources, nodeId, { from, to }) };
    },
  );

  routes.get(
    '/statistics/periods',
    {
      schema: {
        ...common,
        operationId: 'getPeriodStatistics',
        summary: `Statistik by month: dispositions, follow-ups and completions within ${REPORT_DAY_LIMITS.disposition} working days or after, handling days, reports per day, SLA breaches`,
        querystring: TableQuery,
        response: { 200: PeriodStatistics, ...PROBLEMS },
      },
    },
    async (request) => {
      const sources = options.sources();
      const { nodeId, from, to } = request.query;
      await viewerOf(request, sources.tree, nodeId);
      return { nodeId, from, to, months: await periodTable(sources, nodeId, { from, to }) };
    },
  );

  routes.get(
    '/statistics/topics',
    {
      schema: {
        ...common,
        operationId: 'getTopicRecap',
        summary: 'Topic recap: per node below, its statuses and main categories; and every category of the subtree',
        querystring: TableQuery,
        response: { 200: TopicRecap, ...PROBLEMS },
      },
    },
    async (request) => {
      const sources = options.sources();
      const { nodeId, from, to } = request.query;
      await viewerOf(request, sources.tree, nodeId);
      const topics = await topicTable(sources, nodeId, { from, to });
      return { nodeId, from, to, rows: topics.rows.map((row) => ({ ...row, topics: [...row.topics] })), categories: [...topics.categories] };
    },
  );

  routes.get(
    '/statistics/routing',
    {
      schema: {
        ...common,
        operationId: 'getRouting',
        summary: '"No wrong door": re-routes per complaint, days lost per return, bounce rate per node below',
        querystring: TableQuery,
        response: { 200: Routing, ...PROBLEMS },
      },
    },
    async (request) => {
      const sources = options.sources();
      const { nodeId, from, to } = request.query;
      await viewerOf(request, sources.tree, nodeId);
      const routing = await routingTable(sources, nodeId, { from, to });
      return { nodeId, from, to, total: routing.total, below: [...routing.below] };
    },
  );

  routes.get(
    '/statistics/breaches',
    {
      schema: {
        ...common,
        operationId: 'getSlaBreaches',
        summary: 'SLA breaches the scheduler recorded, per node below, by stage (verification, first follow-up, completion), with how late',
        querystring: TableQuery,
        response: { 200: Breaches, ...PROBLEMS },
      },
    },
    async (request) => {
      const sources = options.sources();
      const { nodeId, from, to } = request.query;
      await viewerOf(request, sources.tree, nodeId);
      const breaches = await breachTable(sources, nodeId, { from, to });
      return { nodeId, from, to, total: breaches.total, below: [...breaches.below] };
    },
  );
}
