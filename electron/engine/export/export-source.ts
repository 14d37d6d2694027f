/** The shape every export kind provides to the writer (see sources.ts). */
import type { ParsedRequestOf } from '../../../shared/api';
import type { Cell, SheetColumn } from './sheet';

export type ExportRequest = ParsedRequestOf<'export.table'>;

export interface ExportSource {
  readonly title: string;
  readonly columns: readonly SheetColumn[];
  /** Rows to expect, for progress. */
  readonly total: number;
  readonly chunks: () => Iterable<Cell[][]>;
  /** (label, value) lines describing the export, for the file's notes sheet. */
  readonly notes: readonly (readonly [string, string])[];
  /** What the audit log records beyond kind, file and format. */
  readonly audit: Record<string, unknown>;
}

/** Rows per chunk: between chunks the writer flushes, progress is reported and cancellation checked. */
export const EXPORT_CHUNK = 2_000;

export const maskNote = (masked: boolean) => (masked ? '已脱敏' : '未脱敏（设置中已关闭个人信息脱敏）');
