import type { ZoneLabel } from '@lapor/calendar';

// The one shape every export is built from: a titled table for a scope and a period, as it stood at
// a moment. The presets fill it; csv.ts and xlsx.ts only read it.

export type CellValue = string | number | null;

/** How a column's values are read and shown; numbers round to the column's decimals. */
export type ColumnType = 'integer' | 'decimal1' | 'decimal2' | 'percent' | 'text' | 'datetime';

export interface ReportColumn<Key extends string = string> {
  /** The field of a row this column shows (the presets narrow it to their rows' fields). */
  readonly key: Key;
  /** The heading in Bahasa Indonesia, as officials write it. */
  readonly heading: string;
  readonly type: ColumnType;
}

export interface ReportTable {
  /** e.g. 'Rekapitulasi Kinerja Unit'; also names the worksheet and the file. */
  readonly title: string;
  /** e.g. 'Pemerintah Provinsi Nusa Tenggara Timur'. */
  readonly scope: string;
  /** ISO dates (YYYY-MM-DD), both days included. */
  readonly period: { readonly from: string; readonly to: string };
  /** ISO date-time the figures stood at; without an offset it is read as UTC. */
  readonly asOf: string;
  /** The instansi's zone: every time in the export is shown in it. */
  readonly timeZone: ZoneLabel;
  readonly columns: readonly ReportColumn[];
  readonly rows: ReadonlyArray<Readonly<Record<string, CellValue>>>;
  /** A 'Jumlah' line under the rows, when given. */
  readonly totalRow?: Readonly<Record<string, CellValue>>;
}

/** What a preset needs besides its rows: everything of a table but its title and columns. */
export type ReportMeta = Pick<ReportTable, 'scope' | 'period' | 'asOf' | 'timeZone'>;
