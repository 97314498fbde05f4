import type { ZoneLabel } from '@lapor/calendar';
import type * as ExcelJs from 'exceljs';
import type { Cell as SheetCell, Worksheet } from 'exceljs';
import { resolvedRows, type Cell, type Decimals } from './cell';
import { asOfLine, excelWallClock, parseInstant, periodLine } from './format';
import type { ReportTable } from './table';

// The workbook an official opens and pastes into the yearly report: a heading block that says what,
// where and when, then a filterable table of real numbers. exceljs writes a string as a string (never
// a formula), so the CSV's formula guard is not needed here. A recap is a few hundred rows at most
// and the caller wants one Buffer, so the in-memory Workbook does; the streaming writer would only
// add a stream to collect.

const NUMBER_FORMATS: Readonly<Record<Decimals, string>> = { 0: '0', 1: '0.0', 2: '0.00' };
// as the dashboard prints a moment (seeds: "2025-02-04 14:26:48"), and as the CSV holds it
const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
const DATETIME_WIDTH = DATETIME_FORMAT.length;
const HEADING_ROWS = 5; // title, scope, period, as-of, blank
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

/**
 * exceljs, loaded with the first spreadsheet: it and what it requires are some 400 modules, a fifth
 * of what a gateway loads, for a download most processes never make.
 */
export async function loadExcel(): Promise<typeof ExcelJs> {
  const loaded: typeof ExcelJs & { default?: typeof ExcelJs } = await import('exceljs');
  // a CommonJS module imported from ESM arrives as its default export
  return loaded.default ?? loaded;
}

/** The table as an .xlsx file: one worksheet named after the title. */
export async function toXlsx(table: ReportTable): Promise<Buffer> {
  const { Workbook } = await loadExcel();
  const workbook = new Workbook();
  // the figures' moment, not the clock's: the same table gives the same document properties
  const asOf = parseInstant(table.asOf).toJSDate();
  workbook.created = asOf;
  workbook.modified = asOf;
  workbook.creator = 'SP4N-LAPOR!';

  const sheet = workbook.addWorksheet(sheetName(table.title));
  writeHeading(sheet, table);
  writeTable(sheet, table);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function writeHeading(sheet: Worksheet, table: ReportTable): void {
  sheet.addRow([table.title]).font = { bold: true, size: 14 };
  sheet.addRow([table.scope]);
  sheet.addRow([periodLine(table.period)]);
  sheet.addRow([asOfLine(table.asOf, table.timeZone)]);
  sheet.addRow([]);
}

function writeTable(sheet: Worksheet, table: ReportTable): void {
  const headerRow = HEADING_ROWS + 1;
  sheet.addRow(table.columns.map((column) => column.heading)).font = { bold: true };
  const rows = resolvedRows(table);
  for (const { cells, isTotal } of rows) {
    const row = sheet.addRow([]);
    cells.forEach((cell, index) => fill(row.getCell(index + 1), cell, table.timeZone));
    if (isTotal) row.font = { bold: true };
  }

  // the header stays in view while scrolling; the filter covers the units, not the total under them
  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow }];
  const lastDataRow = headerRow + table.rows.length;
  sheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: lastDataRow, column: table.columns.length } };

  table.columns.forEach((column, index) => {
    const longest = Math.max(column.heading.length, ...rows.map(({ cells }) => shownLength(cells[index]!)));
    sheet.getColumn(index + 1).width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2));
  });
}

function fill(target: SheetCell, cell: Cell, zone: ZoneLabel): void {
  switch (cell.kind) {
    case 'empty':
      return;
    case 'number':
      target.value = cell.value;
      target.numFmt = NUMBER_FORMATS[cell.decimals];
      return;
    case 'datetime':
      target.value = excelWallClock(cell.iso, zone);
      target.numFmt = DATETIME_FORMAT;
      return;
    case 'text':
      target.value = cell.value;
      return;
    default: {
      const unhandled: never = cell;
      throw new TypeError(`Unknown cell: ${JSON.stringify(unhandled)}`);
    }
  }
}

/** About how many characters the cell shows, for the column width. */
function shownLength(cell: Cell): number {
  switch (cell.kind) {
    case 'empty':
      return 0;
    case 'number':
      return cell.value.toFixed(cell.decimals).length;
    case 'datetime':
      return DATETIME_WIDTH;
    case 'text':
      return cell.value.length;
    default: {
      const unhandled: never = cell;
      throw new TypeError(`Unknown cell: ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * Excel refuses a sheet name over 31 characters, with any of []:*?/\, starting or ending with a
 * quote, or named 'History' (a name it keeps for itself).
 */
export function sheetName(title: string): string {
  const cleaned = title
    .replace(/[[\]:*?/\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 31)
    .replace(/^[\s']+|[\s']+$/g, '');
  return cleaned === '' || cleaned.toLowerCase() === 'history' ? 'Laporan' : cleaned;
}
