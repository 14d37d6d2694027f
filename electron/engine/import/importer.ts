/**
 * One import batch: a file into one entity's table, as one transaction.
 *
 * File-level problems (unreadable file, no header, missing required column, wrong encoding) stop the
 * import with an EngineError before anything is written. Row-level problems are collected by row number,
 * column, value and reason. Under the default policy `reject` any bad row rolls the whole batch back;
 * under `skip-bad` the good rows are committed and the bad ones reported. Either way the batch and its
 * errors are recorded in import_batches / import_errors and in the audit log. A cancelled or crashed import
 * rolls back and leaves the workspace exactly as it was.
 */
import type { ColumnMapping, ImportCheck, ImportPolicy, ImportResult, RowError, SourceOptions } from '../../../shared/api';
import { entity as entityDef, type EntityKey } from '../../../shared/dictionary';
import type { CellValue } from '../../../shared/values';
import { appendAudit } from '../audit';
import { refreshCustomerSummary } from '../customers/customer-summary';
import { localToday } from '../customers/today';
import { readSettings } from '../settings-store';
import type { JobContext } from '../context';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { sha256File } from '../util/hash';
import { deferIndexesIfEmpty } from './bulk-load';
import { ForeignKeyGuard } from './foreign-keys';
import { checkMapping, suggestMapping } from './mapping';
import { maskRowErrors, quoteValue } from './echo';
import { compileCoercer, RowErrorSink, RowOutcome, type CodingProblem } from './row-coercer';
import { openSource } from './source';
import { TableWriter } from './table-writer';
import { transformReads, type TransformEnv } from './transforms';

export interface ImportRequest extends SourceOptions {
  entity: EntityKey;
  mapping?: ColumnMapping | undefined;
  policy: ImportPolicy;
}

export interface ImportOptions {
  /** Lookup tables for recipes; see transforms.ts. */
  lookups?: TransformEnv['lookups'];
  /** 'YYYY-MM-DD' used for "not in the future" checks and ages; the local date by default. */
  today?: string;
  /** Progress phase label; defaults to “导入<entity>”. */
  phase?: string;
  /**
   * Refresh the customer list's summary (names for search, AUM for sorting) inside the import's
   * transaction, after customers or balances. Multi-file loads turn it off and refresh once at the end.
   */
  refreshSummary?: boolean;
  /**
   * A source header whose blank cell means "not a record": such rows are skipped and counted apart, like
   * the customers a manager did not call on a returned call list (跟进结果 left empty).
   */
  skipRowsBlankIn?: string;
}

/** Row errors kept in the result returned to the caller; all (up to the sink's cap) go to import_errors. */
const ERRORS_IN_RESULT = 1_000;

export async function importFile(ctx: JobContext, request: ImportRequest, options: ImportOptions = {}): Promise<ImportResult> {
  const outcome = await runImport(ctx, request, options, false);
  return outcome as ImportResult;
}

/**
 * The wizard's validation step: the whole import run through, every row parsed, checked against the
 * workspace's references and written, then rolled back. Nothing is recorded: no batch, no errors, no audit.
 */
export async function checkImport(ctx: JobContext, request: Omit<ImportRequest, 'policy'>, options: ImportOptions = {}): Promise<ImportCheck> {
  const outcome = await runImport(ctx, { ...request, policy: 'skip-bad' }, options, true);
  return outcome as ImportCheck;
}

async function runImport(ctx: JobContext, request: ImportRequest, options: ImportOptions, dryRun: boolean): Promise<ImportResult | ImportCheck> {
  const started = new Date();
  const def = entityDef(request.entity);
  const phase = options.phase ?? (dryRun ? `检查${def.label}数据` : `导入${def.label}`);
  const db = ctx.db();
  ctx.progress(phase, 0, 1);

  const source = await openSource({ file: request.file, sheet: request.sheet, encoding: request.encoding, delimiter: request.delimiter });
  if (source.headers.length === 0 || source.headers.every((h) => h === '')) {
    throw new EngineError('bad_input', `文件“${source.fileName}”第 1 行没有表头。请在第一行填写列名（如 客户号、开户日期）后重试`);
  }
  const mapping = completeMapping(request.mapping, suggestMapping(request.entity, source.headers));
  const check = checkMapping(request.entity, source.headers, mapping);
  if (check.problems.length > 0) {
    throw new EngineError('bad_input', `无法导入“${source.fileName}”到${def.label}：${check.problems.join('；')}`);
  }
  const allSettings = readSettings(db);
  const settings = allSettings.import;
  const shown = (list: readonly RowError[]) => (allSettings.maskPii ? maskRowErrors(list, request.entity, mapping) : [...list]);
  const today = options.today ?? localToday();
  const env: TransformEnv = { today, lookups: options.lookups ?? new Map() };
  const coercer = compileCoercer(request.entity, source.headers, mapping, env, {
    bounds: settings.bounds,
    latestDate: addDays(today, settings.futureToleranceDays),
    profile: dryRun ? 'all' : 'ambiguous',
  });
  const fileSha256 = dryRun ? '' : await sha256File(request.file);
  ctx.throwIfCancelled();

  const errors = new RowErrorSink();
  let rowsRead = 0;
  let rowsLoaded = 0;
  let emptyRows = 0;
  let unfilledRows = 0;
  const skipColumn = options.skipRowsBlankIn === undefined ? -1 : source.headers.indexOf(options.skipRowsBlankIn);

  // SQLite's per-row reference lookup is the costliest part of a large load; the guard checks the same
  // references in memory (foreign-keys.ts). The pragma only takes effect outside a transaction.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  const tempStore = db.pragma('temp_store', { simple: true }) as number;
  if (ForeignKeyGuard.covers(db, request.entity)) db.pragma('foreign_keys = OFF');
  // Index builds at the end of a bulk load sort through temporary files; in memory they would cost as much
  // RAM as the index itself.
  db.pragma('temp_store = FILE');
  try {
    return await load();
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.pragma(`temp_store = ${tempStore}`);
    db.pragma(`foreign_keys = ${foreignKeys}`);
  }

  async function load(): Promise<ImportResult | ImportCheck> {
    db.exec('BEGIN IMMEDIATE');
    try {
      const batchId = insertBatchRecord(db, request, source, mapping, fileSha256, started);
      const references = new ForeignKeyGuard(db, request.entity, coercer.columns);
      const writer = new TableWriter(db, request.entity, coercer.columns, batchId, references, request.policy);
      // A dry run is rolled back, so it leaves the indexes in place (dropping them would only cost time).
      const recreateIndexes = dryRun ? () => undefined : deferIndexesIfEmpty(db, def.table);
      const width = coercer.columns.length;
      let values: CellValue[] = [];
      let rowNumbers: number[] = [];
      for await (const batch of source.batches()) {
        ctx.throwIfCancelled();
        if (values.length < batch.rows.length * width) {
          values = new Array(batch.rows.length * width);
          rowNumbers = new Array(batch.rows.length);
        }
        let good = 0;
        const cut = source.unterminatedRow?.() ?? null;
        for (let i = 0; i < batch.rows.length; i++) {
          const row = batch.firstRow + i;
          const cells = batch.rows[i] as string[];
          if (skipColumn >= 0 && (cells[skipColumn] ?? '').trim() === '') {
            unfilledRows++;
            continue;
          }
          if (row === cut && cells.length !== source.headers.length) {
            rowsRead++;
            errors.add(row, null, null, truncatedRowMessage(cells.length, source.headers.length));
            continue;
          }
          const outcome = coercer.coerce(cells, row, values, good * width, errors);
          if (outcome === RowOutcome.Empty) {
            emptyRows++;
            continue;
          }
          rowsRead++;
          if (outcome === RowOutcome.Ok) rowNumbers[good++] = row;
        }
        rowsLoaded += writer.write(values, rowNumbers, good, errors);
        ctx.progress(phase, batch.progress, source.progressTotal);
      }

      if (rowsRead === 0) {
        if (unfilledRows > 0) throw new EngineError('bad_input', `文件“${source.fileName}”${source.sheet ? `的“${source.sheet}”` : ''}中“${options.skipRowsBlankIn}”一列都没有填写，没有可导入的数据`);
        throw new EngineError('bad_input', `文件“${source.fileName}”只有表头，没有数据行${emptyRows > 0 ? `（${emptyRows} 个空行已忽略）` : ''}。请确认导出的文件包含数据`);
      }

      // Errors arrive per batch (parsing first, then the writer's duplicates); the report reads by row.
      errors.kept.sort((a, b) => a.row - b.row);
      const ambiguous = coercer.ambiguities();
      if (dryRun) {
        db.exec('ROLLBACK');
        return {
          rowsRead,
          rowsValid: rowsLoaded,
          errors: shown(errors.kept.slice(0, ERRORS_IN_RESULT)),
          errorCount: errors.count,
          codedColumns: coercer.profiles(),
          ambiguous: ambiguous.map((a) => a.column),
        } satisfies ImportCheck;
      }
      if (ambiguous.length > 0) throw ambiguityError(source.fileName, ambiguous);

      const rejected = errors.count > 0 && request.policy === 'reject';
      const rowsRejected = rowsRead - rowsLoaded;
      if (rejected) {
        db.exec('ROLLBACK');
        const message = `发现 ${fmt(errors.count)} 处问题，涉及 ${fmt(rowsRejected)} 行；按“整批拒绝”策略，本批次未导入任何数据。请修正后重新导入，或选择“跳过问题行”导入其余 ${fmt(rowsLoaded)} 行`;
        const rejectedId = recordOutcome(db, { request, source, mapping, fileSha256, started, status: 'rejected', rowsRead, rowsLoaded: 0, rowsRejected: rowsRead, errors: errors.kept, message });
        return result(rejectedId, 'rejected', 0, rowsRead, message);
      }

      ctx.throwIfCancelled();
      ctx.progress('建立索引', 0, 1);
      recreateIndexes();
      if ((options.refreshSummary ?? true) && (request.entity === 'customers' || request.entity === 'balances')) {
        ctx.progress('更新客户列表', 0, 1);
        refreshCustomerSummary(db);
      }
      ctx.throwIfCancelled();
      const skippedNote = rowsRejected > 0 ? `，跳过 ${fmt(rowsRejected)} 行有问题的数据（见错误明细）` : '';
      const unfilledNote = unfilledRows > 0 ? `，${fmt(unfilledRows)} 行未填写“${options.skipRowsBlankIn}”` : '';
      const message = `已导入${def.label} ${fmt(rowsLoaded)} 行${skippedNote}${emptyRows > 0 ? `，忽略 ${fmt(emptyRows)} 个空行` : ''}${unfilledNote}${unusedColumnsNote(source.headers, mapping)}`;
      db.prepare('UPDATE import_batches SET rows_read = ?, rows_loaded = ?, rows_rejected = ?, finished_at = ?, message = ? WHERE batch_id = ?').run(
        rowsRead, rowsLoaded, rowsRejected, new Date().toISOString(), message, batchId,
      );
      insertErrors(db, batchId, errors.kept);
      appendAudit(db, { action: 'import', params: auditParams(request, source.fileName, fileSha256, batchId, 'committed', rowsRejected), rowCount: rowsLoaded });
      db.exec('COMMIT');
      return result(batchId, 'committed', rowsLoaded, rowsRejected, message);
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  function result(batchId: number, status: 'committed' | 'rejected', loaded: number, rejectedRows: number, message: string): ImportResult {
    return {
      batchId,
      status,
      entity: request.entity,
      fileName: source.fileName,
      fileSha256,
      encoding: source.encoding,
      delimiter: source.delimiter,
      rowsRead,
      rowsLoaded: loaded,
      rowsRejected: rejectedRows,
      errors: shown(errors.kept.slice(0, ERRORS_IN_RESULT)),
      errorCount: errors.count,
      message,
      seconds: (Date.now() - started.getTime()) / 1000,
    };
  }
}

/** The last row of a file cut short: it says so, and that the other rows are unaffected. */
function truncatedRowMessage(cells: number, width: number): string {
  return `文件在这一行中途结束（只有 ${cells} 列，表头有 ${width} 列），文件可能在导出、下载或复制时被截断。其余各行不受影响：可选择“跳过问题行”导入其余数据，或重新导出完整的文件`;
}

/** A coding the importer will not guess (0/1 gender): the whole file is refused before anything is written. */
function ambiguityError(fileName: string, problems: readonly CodingProblem[]): EngineError {
  const fields = problems.map((p) => p.field).join('、');
  return new EngineError(
    'bad_input',
    `“${fileName}”未导入：${problems.map((p) => p.message).join('；')}。命令行导入时，可在映射文件中写明，例如 "values": { "gender": { "0": "M", "1": "F" } } 表示 0 为男、1 为女`,
    `ambiguous coding of ${fields}`,
  );
}

/**
 * Columns of the file that no field takes, named in the result so that none disappears unnoticed (a header
 * the dictionary does not know, such as “风险测评结果”, is mapped by hand in the wizard or a mapping file).
 */
function unusedColumnsNote(headers: readonly string[], mapping: ColumnMapping): string {
  const used = new Set([...Object.keys(mapping.columns), ...(mapping.transforms ?? []).flatMap((t) => [t.column, ...transformReads(t)])]);
  const unused = headers.filter((h) => h.trim() !== '' && !used.has(h));
  if (unused.length === 0) return '';
  const named = unused.slice(0, 8).map((h) => `“${quoteValue(h)}”`).join('、');
  return `；以下列没有对应的字段，未导入：${named}${unused.length > 8 ? ` 等 ${fmt(unused.length)} 列` : ''}`;
}

/**
 * The mapping to use: the suggested one when none is given, and also when one gives no columns at all (a
 * mapping file with only "values" or "scales" keeps the automatic column matching).
 */
function completeMapping(given: ColumnMapping | undefined, suggested: ColumnMapping): ColumnMapping {
  if (!given) return suggested;
  const mapsNothing = Object.keys(given.columns).length === 0 && !given.transforms?.length && !given.rowKey && !given.constants;
  return mapsNothing ? { ...suggested, ...given, columns: suggested.columns, scales: { ...suggested.scales, ...given.scales } } : given;
}

/** 'YYYY-MM-DD' plus `days` calendar days. */
function addDays(date: string, days: number): string {
  if (days === 0) return date;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

interface SourceFacts {
  fileName: string;
  fileBytes: number;
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
}

function insertBatchRecord(db: Db, request: ImportRequest, source: SourceFacts, mapping: ColumnMapping, fileSha256: string, started: Date, status: 'committed' | 'rejected' = 'committed'): number {
  const now = new Date().toISOString();
  return Number(
    db
      .prepare(
        `INSERT INTO import_batches (entity, file_name, file_sha256, file_bytes, encoding, delimiter, sheet, policy, mapping_json, status,
           rows_read, rows_loaded, rows_rejected, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?)`,
      )
      .run(request.entity, source.fileName, fileSha256, source.fileBytes, source.encoding, source.delimiter, source.sheet, request.policy, JSON.stringify(mapping), status, started.toISOString(), now)
      .lastInsertRowid,
  );
}

interface Outcome {
  request: ImportRequest;
  source: SourceFacts;
  mapping: ColumnMapping;
  fileSha256: string;
  started: Date;
  status: 'rejected';
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  errors: RowError[];
  message: string;
}

/** Records a rejected batch after its data was rolled back: the attempt and its errors stay on file. */
function recordOutcome(db: Db, outcome: Outcome): number {
  return db.transaction(() => {
    const batchId = insertBatchRecord(db, outcome.request, outcome.source, outcome.mapping, outcome.fileSha256, outcome.started, outcome.status);
    db.prepare('UPDATE import_batches SET rows_read = ?, rows_loaded = ?, rows_rejected = ?, message = ? WHERE batch_id = ?').run(
      outcome.rowsRead, outcome.rowsLoaded, outcome.rowsRejected, outcome.message, batchId,
    );
    insertErrors(db, batchId, outcome.errors);
    appendAudit(db, { action: 'import', params: auditParams(outcome.request, outcome.source.fileName, outcome.fileSha256, batchId, 'rejected', outcome.rowsRejected), rowCount: 0 });
    return batchId;
  }).immediate();
}

function insertErrors(db: Db, batchId: number, errors: readonly RowError[]): void {
  const insert = db.prepare('INSERT INTO import_errors (batch_id, row_number, column_name, value, message) VALUES (?, ?, ?, ?, ?)');
  for (const e of errors) insert.run(batchId, e.row, e.column, e.value, e.message);
}

function auditParams(request: ImportRequest, fileName: string, fileSha256: string, batchId: number, status: string, rowsRejected: number): Record<string, unknown> {
  return { entity: request.entity, file: fileName, path: request.file, fileSha256, batchId, policy: request.policy, status, rowsRejected };
}

const fmt = (n: number) => n.toLocaleString('zh-CN');

/** A row error as one Chinese sentence: 第 12 行“开户日期”：“2023/13/01”无法识别：… */
export function describeRowError(error: RowError): string {
  return `第 ${error.row} 行${error.column ? `“${error.column}”` : ''}：${error.message}`;
}
