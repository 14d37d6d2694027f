/**
 * Writes coerced rows into an entity's table, inside the import's transaction.
 *
 * Speed: rows go in blocks through one multi-row statement, because the per-call cost of a statement
 * dominates a one-row INSERT. Most imports bring new keys, so a block first tries a plain INSERT, the
 * cheapest statement SQLite has. (Rows naming a missing customer or product never get here: the reference
 * guard drops and reports them first.) A block that hits an existing key or a repeated key fails as a
 * whole (SQLite undoes a failed statement by itself) and is replayed row by row to name the rows at fault. When blocks keep failing, the file is an update of rows already loaded, and the writer switches
 * to multi-row upserts.
 *
 * Correctness: each row stamps `import_batch_id`, and an upsert only updates rows of *other* batches. A key
 * repeated inside the same file therefore changes nothing the second time, which is how a duplicate is told
 * from an update without keeping every key of a 10-million-row file in memory.
 */
import type { ImportPolicy } from '../../../shared/api';
import { entity as entityDef, type EntityKey } from '../../../shared/dictionary';
import type { CellValue } from '../../../shared/values';
import type { Db } from '../db/workspace';
import type { ForeignKeyGuard } from './foreign-keys';
import { quoteValue } from './echo';
import type { RowErrorSink } from './row-coercer';
import type Database from 'better-sqlite3-multiple-ciphers';

const BLOCK_ROWS = 64;
/** Failed insert blocks in a row after which the writer assumes an update file and upserts. */
const SWITCH_TO_UPSERT_AFTER = 3;

export class TableWriter {
  private readonly insertRow: Database.Statement;
  private readonly insertBlock: Database.Statement;
  private readonly upsertRow: Database.Statement;
  private readonly upsertBlock: Database.Statement;
  private readonly blockParams: CellValue[];
  private readonly rowParams: CellValue[];
  private readonly keyLabels: string;
  private readonly keyIndexes: number[];
  private failedBlocksInARow = 0;
  private upserting = false;

  constructor(
    private readonly db: Db,
    entityKey: EntityKey,
    private readonly columns: readonly string[],
    private readonly batchId: number,
    /** Checks references in memory, before SQLite sees the row; see foreign-keys.ts. */
    private readonly references: ForeignKeyGuard,
    /** Only under 跳过问题行 is the first of repeated rows kept; the duplicate message says what happens. */
    private readonly policy: ImportPolicy,
  ) {
    const def = entityDef(entityKey);
    const all = [...columns, 'import_batch_id'];
    const placeholders = `(${all.map(() => '?').join(', ')})`;
    const blockValues = Array.from({ length: BLOCK_ROWS }, () => placeholders).join(', ');
    const updates = columns.filter((c) => !def.keyFields.includes(c)).concat('import_batch_id');
    // Table and column names come from the dictionary, never from the file.
    const insert = (values: string) => `INSERT INTO ${def.table} (${all.join(', ')}) VALUES ${values}`;
    const upsert = (values: string) =>
      `${insert(values)} ON CONFLICT (${def.keyFields.join(', ')}) DO UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')} ` +
      `WHERE ${def.table}.import_batch_id IS NOT excluded.import_batch_id`;
    this.insertRow = db.prepare(insert(placeholders));
    this.insertBlock = db.prepare(insert(blockValues));
    this.upsertRow = db.prepare(upsert(placeholders));
    this.upsertBlock = db.prepare(upsert(blockValues));
    this.blockParams = new Array(all.length * BLOCK_ROWS);
    this.rowParams = new Array(all.length);
    this.keyIndexes = def.keyFields.map((k) => columns.indexOf(k));
    this.keyLabels = def.keyFields.map((k) => def.fields.find((f) => f.key === k)?.label ?? k).join(' + ');
  }

  /**
   * Writes `count` rows laid out flat in `values` (columns.length values per row), with their spreadsheet row
   * numbers. Returns how many were written; the others are reported to `errors`. Rows whose references are
   * missing are dropped from `values` in place before anything is written.
   */
  write(values: CellValue[], rowNumbers: number[], rowCount: number, errors: RowErrorSink): number {
    const cols = this.columns.length;
    const count = this.dropUnreferenced(values, rowNumbers, rowCount, errors);
    let written = 0;
    let start = 0;
    for (; start + BLOCK_ROWS <= count; start += BLOCK_ROWS) {
      const params = this.blockParams;
      let p = 0;
      for (let r = start; r < start + BLOCK_ROWS; r++) {
        const base = r * cols;
        for (let c = 0; c < cols; c++) params[p++] = values[base + c] as CellValue;
        params[p++] = this.batchId;
      }
      if (this.tryBlock(params)) {
        written += BLOCK_ROWS;
        this.failedBlocksInARow = 0;
      } else {
        written += this.writeRows(values, rowNumbers, start, start + BLOCK_ROWS, errors);
        if (++this.failedBlocksInARow >= SWITCH_TO_UPSERT_AFTER) this.upserting = true;
      }
    }
    written += this.writeRows(values, rowNumbers, start, count, errors);
    return written;
  }

  private dropUnreferenced(values: CellValue[], rowNumbers: number[], count: number, errors: RowErrorSink): number {
    const cols = this.columns.length;
    let kept = 0;
    for (let r = 0; r < count; r++) {
      const problem = this.references.problem(values, r * cols);
      if (problem) {
        errors.add(rowNumbers[r] as number, problem.label, problem.value, problem.message);
        continue;
      }
      if (kept !== r) {
        values.copyWithin(kept * cols, r * cols, (r + 1) * cols);
        rowNumbers[kept] = rowNumbers[r] as number;
      }
      kept++;
    }
    return kept;
  }

  private tryBlock(params: CellValue[]): boolean {
    if (!this.upserting) {
      try {
        this.insertBlock.run(params);
        return true;
      } catch (error) {
        if (isConstraintError(error)) return false;
        throw error;
      }
    }
    // An upsert block that meets a repeated key changes fewer rows than it holds; a savepoint lets the
    // block be undone and replayed row by row to find the repeat.
    this.db.exec('SAVEPOINT import_block');
    try {
      if (this.upsertBlock.run(params).changes === BLOCK_ROWS) {
        this.db.exec('RELEASE import_block');
        return true;
      }
    } catch (error) {
      if (!isConstraintError(error)) {
        this.db.exec('ROLLBACK TO import_block; RELEASE import_block');
        throw error;
      }
    }
    this.db.exec('ROLLBACK TO import_block; RELEASE import_block');
    return false;
  }

  private writeRows(values: readonly CellValue[], rowNumbers: readonly number[], from: number, to: number, errors: RowErrorSink): number {
    const cols = this.columns.length;
    let written = 0;
    for (let r = from; r < to; r++) {
      const base = r * cols;
      for (let c = 0; c < cols; c++) this.rowParams[c] = values[base + c] as CellValue;
      this.rowParams[cols] = this.batchId;
      try {
        if (this.writeRow()) {
          written++;
        } else {
          const key = this.keyText(values, base);
          const outcome = this.policy === 'skip-bad' ? '已保留第一次出现的行，跳过这一行' : '请删除重复的行后重新导入';
          errors.add(rowNumbers[r] as number, this.keyLabels, key, `${this.keyLabels}“${quoteValue(key)}”在本文件中重复出现，${outcome}`);
        }
      } catch (error) {
        if (!isConstraintError(error)) throw error;
        errors.add(rowNumbers[r] as number, null, this.keyText(values, base), this.describeConstraint(error as Error));
      }
    }
    return written;
  }

  /** One row: insert, or update the row of an earlier batch; false when this file already wrote the key. */
  private writeRow(): boolean {
    if (!this.upserting) {
      try {
        this.insertRow.run(this.rowParams);
        return true;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY' && (error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
      }
    }
    return this.upsertRow.run(this.rowParams).changes === 1;
  }

  private keyText(values: readonly CellValue[], base: number): string {
    return this.keyIndexes.map((i) => (i < 0 ? '' : String(values[base + i] ?? ''))).join(' + ');
  }

  private describeConstraint(error: Error): string {
    const code = (error as { code?: string }).code;
    // Single-column references were checked by the guard already; only a composite one reaches SQLite.
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return '引用的数据在工作区中不存在，请先导入它引用的数据';
    return `数据不符合工作区约束（${code ?? '约束错误'}），请检查该行`;
  }
}

function isConstraintError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}
