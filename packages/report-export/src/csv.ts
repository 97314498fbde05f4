import type { ZoneLabel } from '@lapor/calendar';
import { resolvedRows, type Cell } from './cell';
import { csvDateTime } from './format';
import type { ReportTable } from './table';

// RFC 4180 CSV for people who double-click it: Excel reads a file without a byte-order mark in the
// machine's legacy code page and garbles Indonesian text, so the BOM is always there.

const BOM = '\uFEFF';
const CRLF = '\r\n';

/** One header row of the headings, the rows, then the total row; CRLF after every record. */
export function toCsv(table: ReportTable): string {
  const header = table.columns.map((column) => field(column.heading));
  const body = resolvedRows(table).map(({ cells }) => cells.map((cell) => render(cell, table.timeZone)));
  return BOM + [header, ...body].map((record) => record.join(',') + CRLF).join('');
}

function render(cell: Cell, zone: ZoneLabel): string {
  switch (cell.kind) {
    case 'empty':
      return '';
    // plain digits with a '.' decimal point: the file is data, and a '87,5%' would be text to a parser
    case 'number':
      return String(cell.value);
    case 'datetime':
      return csvDateTime(cell.iso, zone);
    case 'text':
      return field(cell.value);
    default: {
      const unhandled: never = cell;
      throw new TypeError(`Unknown cell: ${JSON.stringify(unhandled)}`);
    }
  }
}

/** A text field, defused and quoted where RFC 4180 needs it. */
export function field(text: string): string {
  const safe = defuseFormula(text);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before one) as a formula, and
 * unit names and topics are typed by people: the leading quote makes it plain text again.
 */
export function defuseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
