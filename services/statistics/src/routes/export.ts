import { ZONE_LABELS } from '@lapor/calendar';
import { fileSchema, Problem } from '@lapor/http-kit';
import {
  adminPerformanceReport,
  breachReport,
  exportTable,
  periodStatisticsReport,
  routingReport,
  topicRecapReport,
  unitRecapReport,
  yearlyReport,
  CONTENT_TYPES,
  type ReportMeta,
  type ReportTable,
} from '@lapor/report-export';
import type { Period, RecapStructure } from '@lapor/statistics';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AsOf, Format, LocalDate, Structure, viewerOf } from '../query';
import { adminTable, breachTable, periodTable, recapTable, routingTable, topicTable, type TableSources } from '../tables';

const TABLES = ['recap', 'yearly', 'admins', 'periods', 'topics', 'routing', 'breaches'] as const;
type Table = (typeof TABLES)[number];
/** Only the recap tables keep their history: they alone can be had as they stood at a past moment. */
const AS_OF_TABLES: ReadonlySet<Table> = new Set(['recap', 'yearly']);

const exportQuery = (withAsOf: boolean) =>
  z
    .strictObject({
      nodeId: z.string().min(1).max(100),
      from: LocalDate,
      to: LocalDate,
      ...(withAsOf ? { asOf: AsOf.optional(), structure: Structure } : {}),
      format: Format,
    })
    .refine((query) => query.from <= query.to, { path: ['to'], message: 'to must not be before from' });

type Build = (
  sources: TableSources,
  nodeId: string,
  period: Period,
  meta: ReportMeta,
  asOf: Date | undefined,
  structure: RecapStructure,
) => Promise<ReportTable>;

// What each download holds: the same tables the JSON routes serve, in the shape of the printed reports.
const BUILDERS: Readonly<Record<Table, Build>> = {
  recap: async (sources, nodeId, period, meta, asOf, structure) => {
    const recap = await recapTable(sources, nodeId, period, asOf, structure);
    return unitRecapReport(meta, recap.below, recap.total);
  },
  yearly: async (sources, nodeId, period, meta, asOf, structure) => {
    const recap = await recapTable(sources, nodeId, period, asOf, structure);
    return yearlyReport(meta, recap.below, recap.total);
  },
  admins: async (sources, nodeId, period, meta) => adminPerformanceReport(meta, await adminTable(sources, nodeId, period)),
  periods: async (sources, nodeId, period, meta) => periodStatisticsReport(meta, await periodTable(sources, nodeId, period)),
  topics: async (sources, nodeId, period, meta) => topicRecapReport(meta, (await topicTable(sources, nodeId, period)).rows),
  routing: async (sources, nodeId, period, meta) => routingReport(meta, (await routingTable(sources, nodeId, period)).below),
  breaches: async (sources, nodeId, period, meta) => {
    const breaches = await breachTable(sources, nodeId, period);
    return breachReport(meta, breaches.below, breaches.total);
  },
};

/** Each statistics table as a file a person opens in a spreadsheet: CSV or XLSX, Indonesian headings. */
export async function exportRoutes(app: FastifyInstance, options: { sources: () => TableSources; now: () => string }): Promise<void> {
  for (const table of TABLES) exportRoute(app, options, table);
}

const SUMMARIES: Readonly<Record<Table, string>> = {
  recap: 'Download Rekapitulasi Kinerja Unit as CSV or XLSX',
  yearly: 'Download the recap in the shape of the NTT yearly report (No, Perangkat Daerah, Total, Selesai, Proses, …, % Tindak Lanjut)',
  admins: 'Download Kinerja Admin as CSV or XLSX',
  periods: 'Download the month-by-month statistics as CSV or XLSX',
  topics: 'Download the topic recap as CSV or XLSX',
  routing: 'Download the "no wrong door" routing table as CSV or XLSX',
  breaches: 'Download the SLA breaches per unit as CSV or XLSX',
};

function exportRoute(app: FastifyInstance, options: { sources: () => TableSources; now: () => string }, table: Table): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    `/statistics/${table}/export`,
    {
      schema: {
        operationId: `export${table[0]!.toUpperCase()}${table.slice(1)}Table`,
        summary: SUMMARIES[table],
        description:
          'The table of the JSON route with the Indonesian headings of the published reports, the period and the as-of time in the sheet, numbers as numbers. The file comes as text/csv (UTF-8 with BOM) or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, with a Content-Disposition file name.',
        tags: ['statistics'],
        security: [{ bearer: [] }],
        querystring: exportQuery(AS_OF_TABLES.has(table)),
        // a Buffer is sent as it is, never serialised: the 200 schema only documents it
        response: {
          200: fileSchema(
            'The file: CSV (UTF-8 with BOM) or XLSX, as `format` asks',
            Object.values(CONTENT_TYPES).map((type) => type.split(';')[0]!),
          ),
          400: Problem,
          401: Problem,
          403: Problem,
          404: Problem,
        },
      },
    },
    async (request, reply) => {
      const sources = options.sources();
      const { nodeId, from, to, format } = request.query;
      await viewerOf(request, sources.tree, nodeId);
      const { asOf: given, structure = 'as-of' } = request.query as { asOf?: string; structure?: RecapStructure };
      const asOf = given ? new Date(given) : undefined;
      const meta: ReportMeta = {
        scope: sources.tree.node(nodeId).name,
        period: { from, to },
        asOf: asOf?.toISOString() ?? options.now(),
        timeZone: ZONE_LABELS[sources.tree.timeZoneOf(nodeId)],
      };
      const file = await exportTable(await BUILDERS[table](sources, nodeId, { from, to }, meta, asOf, structure), format);
      request.log.info({ table, nodeId, from, to, format, bytes: file.body.length }, 'statistics table exported');
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );
}
