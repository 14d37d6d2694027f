/**
 * Bulk inserts for the derived tables: multi-row INSERTs of a few dozen rows per statement cost a fraction
 * of one statement per row. Table and column names come from the callers' constants, never from input;
 * every value is bound.
 */
import type { Db } from '../db/workspace';

const ROWS_PER_STATEMENT = 64;

export interface WriteHooks {
  onProgress?: (done: number, total: number) => void;
  throwIfCancelled?: () => void;
}

function insertStatement(db: Db, table: string, columns: readonly string[], rows: number) {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`);
}

/**
 * Inserts `count` rows; `fill(i, values, offset)` writes row i's values (one per column) at
 * values[offset..]. Checks for cancellation every few thousand rows; the caller owns the transaction.
 */
export function batchInsert(
  db: Db,
  table: string,
  columns: readonly string[],
  count: number,
  fill: (i: number, values: unknown[], offset: number) => void,
  hooks: WriteHooks = {},
): void {
  const width = columns.length;
  const full = insertStatement(db, table, columns, ROWS_PER_STATEMENT);
  const values = new Array<unknown>(width * ROWS_PER_STATEMENT);
  let batches = 0;
  for (let start = 0; start < count; start += ROWS_PER_STATEMENT) {
    const rows = Math.min(ROWS_PER_STATEMENT, count - start);
    const batch = rows === ROWS_PER_STATEMENT ? values : new Array<unknown>(width * rows);
    for (let r = 0; r < rows; r++) fill(start + r, batch, r * width);
    (rows === ROWS_PER_STATEMENT ? full : insertStatement(db, table, columns, rows)).run(batch);
    if (++batches % 64 === 0) {
      hooks.throwIfCancelled?.();
      hooks.onProgress?.(start + rows, count);
    }
  }
  hooks.onProgress?.(count, count);
}

/** NaN (missing) as SQL NULL. */
export const orNull = (v: number): number | null => (v === v ? v : null);
