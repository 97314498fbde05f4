import { parseInstant } from './format';
import type { CellValue, ColumnType, ReportColumn, ReportTable } from './table';

// What a value is under its column, decided once for both formats: a CSV and a workbook of the
// same table can then never disagree about a number's rounding or a moment's zone.

export type Cell =
  | { readonly kind: 'empty' }
  | { readonly kind: 'number'; readonly value: number; readonly decimals: Decimals }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'datetime'; readonly iso: string };

/** Decimals each numeric type is published with; a percent is already ×100 (87.5 means 87,5%). */
export const DECIMALS = { integer: 0, decimal1: 1, decimal2: 2, percent: 2 } as const satisfies Partial<Record<ColumnType, number>>;

export type Decimals = (typeof DECIMALS)[keyof typeof DECIMALS];

const EMPTY: Cell = { kind: 'empty' };

export function resolveCell(column: ReportColumn, value: CellValue | undefined): Cell {
  if (value === null || value === undefined) return EMPTY;
  switch (column.type) {
    case 'integer':
    case 'decimal1':
    case 'decimal2':
    case 'percent': {
      if (typeof value !== 'number') throw new TypeError(`Column '${column.key}' holds numbers, got the text '${value}'`);
      // NaN or Infinity would print as words a spreadsheet cannot sum; an empty cell is the honest "no figure"
      if (!Number.isFinite(value)) return EMPTY;
      const decimals = DECIMALS[column.type];
      // round to what is published, so that float noise (7.1000000001) never reaches the file
      return { kind: 'number', value: Number(value.toFixed(decimals)), decimals };
    }
    case 'text':
      return { kind: 'text', value: String(value) };
    case 'datetime':
      if (typeof value !== 'string') throw new TypeError(`Column '${column.key}' holds ISO date-times, got the number ${value}`);
      parseInstant(value); // a bad value fails the whole export up front, not as a blank cell
      return { kind: 'datetime', iso: value };
    default: {
      const unhandled: never = column.type;
      throw new TypeError(`Unknown column type: ${String(unhandled)}`);
    }
  }
}

/** The body of the table, each row resolved against the columns; the total row, if any, comes last. */
export function resolvedRows(table: ReportTable): { cells: Cell[]; isTotal: boolean }[] {
  const resolve = (row: Readonly<Record<string, CellValue>>) => table.columns.map((column) => resolveCell(column, row[column.key]));
  const body = table.rows.map((row) => ({ cells: resolve(row), isTotal: false }));
  return table.totalRow ? [...body, { cells: resolve(table.totalRow), isTotal: true }] : body;
}
