/**
 * What each export kind writes: its columns (Chinese labels), its rows a chunk at a time, and how it is
 * described in the file and the audit log. PII is masked here, in the engine, unless the workspace turned
 * masking off.
 */
import type { CustomerRow, ParsedRequestOf } from '../../../shared/api';
import { entity as entityDef, isEntityKey, type PiiKind } from '../../../shared/dictionary';
import { maskValue } from '../../../shared/masking';
import { describeRule } from '../../../shared/rule-compiler';
import { customerCount, customerListContext, customerRowChunks } from '../customers/customer-list';
import { LIST_COLUMNS, type ListColumn, type ListColumnKind } from '../customers/list-columns';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { readSettings } from '../settings-store';
import type { Cell, CellKind, SheetColumn } from './sheet';

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

const CHUNK = 2_000;

export function exportSource(db: Db, request: ExportRequest): ExportSource {
  switch (request.kind) {
    case 'customers':
      return customersSource(db, request);
    case 'import-errors':
      return importErrorsSource(db, request);
    case 'rows':
      return rowsSource(request);
  }
}

const maskNote = (masked: boolean) => (masked ? '已脱敏' : '未脱敏（设置中已关闭个人信息脱敏）');

// ---------------------------------------------------------------------------------------------------------
// The customer list, filtered and searched as on screen, every matching row

const CELL_KIND: Record<ListColumnKind, CellKind> = { text: 'text', integer: 'integer', money: 'money', date: 'date', enum: 'text', share: 'share' };

function listCell(column: ListColumn, value: string | number | null | undefined): Cell {
  if (value === undefined || value === null) return null;
  // Codes become the names an analyst reads: F → 女, private → 私行.
  if (column.kind === 'enum' && typeof value === 'string') return column.enumLabels?.[value] ?? value;
  return value;
}

function customersSource(db: Db, request: ExportRequest): ExportSource {
  const ctx = customerListContext(db);
  const filter = { filter: request.filter, search: request.search };
  const filterText = request.filter ? describeRule(request.filter, ctx.catalog) : '全部客户';
  const search = request.search?.trim() ?? '';
  return {
    title: request.title ?? '客户清单',
    columns: LIST_COLUMNS.map((c) => ({ label: c.label, kind: CELL_KIND[c.kind] })),
    // Counting first also validates the filter before any file is created.
    total: customerCount(db, filter),
    chunks: function* () {
      for (const rows of customerRowChunks(db, filter, CHUNK)) yield rows.map((row: CustomerRow) => LIST_COLUMNS.map((c) => listCell(c, row[c.key])));
    },
    notes: [
      ['筛选条件', filterText],
      ['搜索', search === '' ? '（无）' : search],
      ['个人信息', maskNote(ctx.maskPii)],
    ],
    audit: { filter: filterText, search: search === '' ? null : search, masked: ctx.maskPii },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The rejected rows of an import batch: 行号, 列, 值, 问题

interface ErrorRow {
  row_number: number;
  column_name: string | null;
  value: string | null;
  message: string;
}

function importErrorsSource(db: Db, request: ExportRequest): ExportSource {
  if (request.batchId === undefined) throw new EngineError('bad_input', '请指定要导出错误明细的导入批次');
  const batch = db.prepare('SELECT entity, file_name, mapping_json FROM import_batches WHERE batch_id = ?').get(request.batchId) as
    | { entity: string; file_name: string; mapping_json: string }
    | undefined;
  if (!batch) throw new EngineError('not_found', `找不到导入批次 ${request.batchId}，请刷新导入记录后重试`);
  const masked = readSettings(db).maskPii;
  const piiOf = masked ? piiColumns(batch.entity, batch.mapping_json) : new Map<string, PiiKind>();
  const total = (db.prepare('SELECT count(*) AS n FROM import_errors WHERE batch_id = ?').get(request.batchId) as { n: number }).n;
  return {
    title: request.title ?? '导入错误明细',
    columns: [
      { label: '行号', kind: 'integer' },
      { label: '列', kind: 'text' },
      { label: '值', kind: 'text' },
      { label: '问题', kind: 'text' },
    ],
    total,
    chunks: function* () {
      // Keyset on the (batch_id, row_number) index plus rowid: a batch can have 100,000 errors.
      const next = db.prepare('SELECT rowid AS id, row_number, column_name, value, message FROM import_errors WHERE batch_id = ? AND (row_number, rowid) > (?, ?) ORDER BY row_number, rowid LIMIT ?');
      let after: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
      for (;;) {
        const rows = next.all(request.batchId, after[0], after[1], CHUNK) as (ErrorRow & { id: number })[];
        if (rows.length === 0) return;
        yield rows.map((r) => errorCells(r, piiOf.get(r.column_name ?? '')));
        const last = rows[rows.length - 1]!;
        after = [last.row_number, last.id];
        if (rows.length < CHUNK) return;
      }
    },
    notes: [
      ['导入文件', batch.file_name],
      ['导入批次', String(request.batchId)],
      ['个人信息', maskNote(masked)],
    ],
    audit: { batchId: request.batchId, masked },
  };
}

/** Source headers of the batch that carried a PII field (a rejected ID number is still an ID number). */
function piiColumns(entityKey: string, mappingJson: string): Map<string, PiiKind> {
  const out = new Map<string, PiiKind>();
  if (!isEntityKey(entityKey)) return out;
  const fields = new Map(entityDef(entityKey).fields.map((f) => [f.key, f]));
  let columns: Record<string, string> = {};
  try {
    columns = (JSON.parse(mappingJson) as { columns?: Record<string, string> }).columns ?? {};
  } catch {
    // A mapping that does not parse maps nothing; labels below still catch the dictionary's own names.
  }
  for (const [header, key] of Object.entries(columns)) {
    const pii = fields.get(key)?.pii;
    if (pii) out.set(header, pii);
  }
  for (const f of fields.values()) if (f.pii) out.set(f.label, f.pii);
  return out;
}

function errorCells(row: ErrorRow, pii: PiiKind | undefined): Cell[] {
  if (!pii || row.value === null) return [row.row_number, row.column_name, row.value, row.message];
  const masked = maskValue(pii, row.value);
  // Messages quote the rejected value ("“…”无法识别"), so it is masked there too.
  return [row.row_number, row.column_name, masked, row.message.split(row.value).join(masked ?? '')];
}

// ---------------------------------------------------------------------------------------------------------
// A table the renderer already holds (a chart's data), exported as given

function rowsSource(request: ExportRequest): ExportSource {
  const columns = request.columns ?? [];
  const rows = request.rows ?? [];
  if (columns.length === 0) throw new EngineError('bad_input', '没有可导出的列，请先选择要导出的数据');
  const kinds: CellKind[] = columns.map((c) => {
    const first = rows.find((r) => r[c.key] !== null && r[c.key] !== undefined)?.[c.key];
    return typeof first === 'number' ? 'number' : 'text';
  });
  return {
    title: request.title ?? '数据表',
    columns: columns.map((c, i) => ({ label: c.label, kind: kinds[i]! })),
    total: rows.length,
    chunks: function* () {
      for (let i = 0; i < rows.length; i += CHUNK) {
        yield rows.slice(i, i + CHUNK).map((r) => columns.map((c) => (Object.prototype.hasOwnProperty.call(r, c.key) ? (r[c.key] ?? null) : null)));
      }
    },
    notes: [['来源', '界面中的数据表']],
    audit: { columns: columns.length, title: request.title ?? null },
  };
}
