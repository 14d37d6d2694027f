/** Column definitions shared by TableCard and its Excel export, so the export matches the screen. */
import { enumLabel } from '../utils/labels';
import { formatDate, formatDateTime, formatInt, formatPct, formatWan, formatYuan, toWan } from '../utils/format';

export type Cell = string | number | null;
export type Row = Record<string, unknown>;

export interface TableColumn {
  key: string;
  label: string;
  /** wan: amount in 元 shown in 万元; pct: a 0–1 share. */
  kind?: 'text' | 'int' | 'yuan' | 'wan' | 'pct' | 'date' | 'datetime';
  /** Enum vocabulary of locale `enums.*` to show codes by name. */
  enumGroup?: string;
  width?: number;
  minWidth?: number;
  align?: 'left' | 'right' | 'center';
  /** Display text; overrides `kind` and `enumGroup`. */
  format?: (row: Row) => string;
  /** Export value; by default numbers stay numbers (in the unit of the label) and the rest is the display text. */
  exportValue?: (row: Row) => Cell;
  /** A column of buttons or inputs: shown, never exported. */
  noExport?: boolean;
  /** Long text that wraps instead of being cut with a tooltip. */
  wrap?: boolean;
}

export function displayCell(column: TableColumn, row: Row): string {
  if (column.format) return column.format(row);
  const value = row[column.key];
  if (column.enumGroup) return enumLabel(column.enumGroup, value);
  switch (column.kind) {
    case 'int':
      return formatInt(value);
    case 'yuan':
      return formatYuan(value);
    case 'wan':
      return formatWan(value);
    case 'pct':
      return formatPct(value);
    case 'date':
      return formatDate(value);
    case 'datetime':
      return formatDateTime(value);
    default:
      return value === null || value === undefined || value === '' ? '—' : String(value);
  }
}

export function exportCell(column: TableColumn, row: Row): Cell {
  if (column.exportValue) return column.exportValue(row);
  const value = row[column.key];
  if (typeof value === 'number' && !column.enumGroup && !column.format) {
    if (column.kind === 'wan') return toWan(value);
    if (column.kind === 'pct') return Math.round(value * 10_000) / 100;
    return value;
  }
  const text = displayCell(column, row);
  return text === '—' ? null : text;
}

export function exportRows(columns: TableColumn[], rows: Row[]): Record<string, Cell>[] {
  return rows.map((row) => Object.fromEntries(columns.map((c) => [c.key, exportCell(c, row)])));
}

export function columnAlign(column: TableColumn): 'left' | 'right' | 'center' {
  if (column.align) return column.align;
  return column.kind && ['int', 'yuan', 'wan', 'pct'].includes(column.kind) ? 'right' : 'left';
}
