import { loadExcel } from '@lapor/report-export';
import type { CellValue } from 'exceljs';
import { Readable } from 'node:stream';

// The uploaded unit list as rows of text, whatever the file: a CSV saved from a spreadsheet (comma
// or semicolon, as Indonesian-locale Excel writes it; UTF-8, with or without a BOM) or an XLSX
// workbook's first sheet. Row numbers are the sheet's own, so "baris 4" is the row the admin sees.

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv';

export interface SheetRow {
  /** The row number as the spreadsheet shows it (the header is row 1). */
  readonly row: number;
  readonly cells: readonly string[];
}

export class SheetError extends Error {}

export async function readSheet(body: Buffer, contentType: string): Promise<{ header: string[]; rows: SheetRow[] }> {
  const { Workbook } = await loadExcel();
  const workbook = new Workbook();
  if (contentType.startsWith(XLSX_TYPE)) {
    try {
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
    } catch {
      throw new SheetError('the file is not an XLSX workbook');
    }
  } else {
    const text = body.toString('utf8').replace(/^\uFEFF/, '');
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
    // every cell as text: a unit code such as 001 keeps its zeros
    await workbook.csv.read(Readable.from([text]), { parserOptions: { delimiter }, map: (value: string) => value } as never);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new SheetError('the file holds no sheet');
  const all: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    const cells = values.map((value) => textOf(value as CellValue));
    if (cells.some((cell) => cell !== '')) all.push({ row: rowNumber, cells });
  });
  const [head, ...rows] = all;
  if (!head) throw new SheetError('the file is empty');
  return { header: head.cells.map((cell) => cell.trim()), rows };
}

function textOf(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
    if ('richText' in value && Array.isArray(value.richText))
      return value.richText
        .map((part) => part.text)
        .join('')
        .trim();
    if ('result' in value && value.result !== undefined) return textOf(value.result as CellValue);
  }
  return String(value as unknown);
}
