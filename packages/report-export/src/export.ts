import { toCsv } from './csv';
import { reportFilename } from './filename';
import type { ReportTable } from './table';
import { toXlsx } from './xlsx';

// What an HTTP route needs to send a download, without this package knowing about HTTP.

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportedFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly filename: string;
}

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export async function exportTable(table: ReportTable, format: ExportFormat): Promise<ExportedFile> {
  const filename = reportFilename(table, format);
  return { body: await render(table, format), contentType: CONTENT_TYPES[format], filename };
}

async function render(table: ReportTable, format: ExportFormat): Promise<Buffer> {
  switch (format) {
    case 'csv':
      return Buffer.from(toCsv(table), 'utf8');
    case 'xlsx':
      return toXlsx(table);
    default: {
      const unhandled: never = format;
      throw new TypeError(`Unknown export format: ${String(unhandled)}`);
    }
  }
}
