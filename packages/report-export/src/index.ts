// @lapor/report-export: recap tables as CSV and XLSX downloads, built from plain rows by pure
// functions: no HTTP, no I/O, no clock in what the reader sees.

export type { CellValue, ColumnType, ReportColumn, ReportMeta, ReportTable } from './table';
export { toCsv } from './csv';
export { loadExcel, toXlsx } from './xlsx';
export { exportTable, CONTENT_TYPES } from './export';
export type { ExportFormat, ExportedFile } from './export';
export { reportFilename } from './filename';
export { unitRecapReport, yearlyReport, adminPerformanceReport, periodStatisticsReport, topicRecapReport, routingReport, breachReport } from './presets';
export type { UnitRecapInput, AdminPerformanceInput, PeriodStatisticsInput, TopicRecapInput, RoutingInput, BreachInput } from './presets';
