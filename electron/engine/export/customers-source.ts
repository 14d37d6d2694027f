/**
 * The customer list as on screen (filter and search), every matching row, in customer-number order. Names
 * are masked by the list itself unless the workspace turned masking off; codes become the names an analyst
 * reads (F → 女, private → 私行).
 */
import type { CustomerRow } from '../../../shared/api';
import { yuanToWan } from '../../../shared/glossary';
import { describeRule } from '../../../shared/rule-compiler';
import { customerCount, customerListContext, customerRowChunks } from '../customers/customer-list';
import { exportColumns, type ListColumn, type ListColumnKind } from '../customers/list-columns';
import type { Db } from '../db/workspace';
import { EXPORT_CHUNK, maskNote, type ExportRequest, type ExportSource } from './export-source';
import type { Cell, CellKind } from './sheet';

const CELL_KIND: Record<ListColumnKind, CellKind> = { text: 'text', integer: 'integer', wan: 'money', date: 'date', enum: 'text', share: 'share' };

function listCell(column: ListColumn, value: string | number | null | undefined): Cell {
  if (value === undefined || value === null) return null;
  if (column.kind === 'enum') return column.enumLabels?.[String(value)] ?? value;
  // 万元 as the header says, to the 元 (four decimals): the cell shows two, a sum in Excel stays exact.
  if (column.kind === 'wan' && typeof value === 'number') return yuanToWan(value, 4);
  return value;
}

export function customersSource(db: Db, request: ExportRequest): ExportSource {
  const ctx = customerListContext(db);
  const filter = { filter: request.filter, search: request.search };
  const filterText = request.filter ? describeRule(request.filter, ctx.catalog) : '全部客户';
  const search = request.search?.trim() ?? '';
  const columns = exportColumns(ctx.runs.scoreRunId !== null, request.columns?.map((c) => c.key));
  return {
    title: request.title ?? '客户清单',
    columns: columns.map((c) => ({ label: c.label, kind: CELL_KIND[c.kind] })),
    // Counting first also validates the filter before any file is created.
    total: customerCount(db, filter),
    chunks: function* () {
      for (const rows of customerRowChunks(db, filter, EXPORT_CHUNK)) yield rows.map((row: CustomerRow) => columns.map((c) => listCell(c, row[c.key])));
    },
    notes: [
      ['筛选条件', filterText],
      ['搜索', search === '' ? '（无）' : search],
      ['个人信息', maskNote(ctx.maskPii)],
    ],
    audit: { filter: filterText, search: search === '' ? null : search, masked: ctx.maskPii },
  };
}

