/**
 * One aggregate pass over a table: row count, present and invalid values per column, distinct values where
 * cheap, unmatched codes and the freshest date, all in a single SELECT so that SQLite reads each row once
 * and no row ever reaches JavaScript.
 *
 * Big tables are read in chunks of their storage order (rowid ranges, or customer ranges for tables keyed
 * by customer) so that a pass over 24 million transactions reports progress and can be cancelled between
 * chunks. Counts add up across chunks; distinct counts do only for columns with few values (merged as
 * sets), so full distinct counts are limited to tables read in one chunk.
 */
import type { SqlFragment, SqlParam } from '../../../shared/rule-fields';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../db/workspace';
import { freshnessTest, type TableChecks } from './checks';

export interface ChunkSizes {
  /** Rows per chunk of a rowid table. */
  readonly rows: number;
  /** Customers per chunk of a table keyed by customer. */
  readonly customers: number;
}

/** A quarter of a second or so of aggregation per chunk. */
export const DEFAULT_CHUNKS: ChunkSizes = { rows: 250_000, customers: 20_000 };
/** Past this many distinct values a "few values" column is not few any more; its distinct count is left out. */
const MAX_VALUE_SET = 10_000;

export type Chunk = SqlFragment | null;

export interface ChunkPlan {
  readonly chunks: readonly Chunk[];
  /** Rows the table spans at most (rowid tables), for deciding whether full distinct counts are cheap. */
  readonly rowSpan: number | null;
}

export function planChunks(db: Db, table: string, keyFields: readonly string[], sizes: ChunkSizes = DEFAULT_CHUNKS): ChunkPlan {
  const info = db.prepare('SELECT wr FROM pragma_table_list WHERE name = ? AND schema = ?').get(table, 'main') as { wr: number } | undefined;
  if (!info) throw new Error(`table ${table} missing`);
  if (info.wr === 0) {
    // Two subqueries: SQLite answers a lone min() or max() from the end of the b-tree, but scans the whole
    // table for both in one SELECT (4 s on 24 million transactions).
    const { lo, hi } = db.prepare(`SELECT (SELECT min(rowid) FROM ${table}) AS lo, (SELECT max(rowid) FROM ${table}) AS hi`).get() as { lo: number | null; hi: number | null };
    if (lo === null || hi === null) return { chunks: [null], rowSpan: 0 };
    const chunks: Chunk[] = [];
    for (let from = lo; from <= hi; from += sizes.rows) chunks.push({ sql: 't.rowid BETWEEN ? AND ?', params: [from, Math.min(from + sizes.rows - 1, hi)] });
    return { chunks, rowSpan: hi - lo + 1 };
  }
  if (keyFields[0] !== 'customer_id') return { chunks: [null], rowSpan: null };
  // Customer boundaries off the customers primary key; the table's own key then reads each range in order.
  const next = db.prepare('SELECT customer_id FROM customers WHERE customer_id > ? ORDER BY customer_id LIMIT 1 OFFSET ?').pluck();
  const first = db.prepare('SELECT customer_id FROM customers ORDER BY customer_id LIMIT 1 OFFSET ?').pluck();
  const bounds: string[] = [];
  let bound = first.get(sizes.customers) as string | undefined;
  while (bound !== undefined) {
    bounds.push(bound);
    bound = next.get(bound, sizes.customers - 1) as string | undefined;
  }
  if (bounds.length === 0) return { chunks: [null], rowSpan: null };
  const chunks: Chunk[] = [{ sql: 't.customer_id < ?', params: [bounds[0]!] }];
  for (let i = 1; i < bounds.length; i++) chunks.push({ sql: 't.customer_id >= ? AND t.customer_id < ?', params: [bounds[i - 1]!, bounds[i]!] });
  chunks.push({ sql: 't.customer_id >= ?', params: [bounds[bounds.length - 1]!] });
  return { chunks, rowSpan: null };
}

export interface FieldCounts {
  present: number;
  invalid: number | null;
  distinct: number | null;
  orphans: number | null;
}

export interface TablePass {
  rows: number;
  fields: FieldCounts[];
  latest: string | null;
}

interface Aggregate {
  sql: string;
  params: SqlParam[];
}

function aggregate(checks: TableChecks, today: string): Aggregate {
  const parts: string[] = ['count(*) AS n_rows'];
  const params: SqlParam[] = [];
  checks.fields.forEach((check, i) => {
    const col = `t.${check.field.key}`;
    parts.push(`count(${check.presentValue}) AS present_${i}`);
    if (check.invalid) {
      parts.push(`sum(CASE WHEN ${check.present} AND (${check.invalid.sql}) THEN 1 ELSE 0 END) AS invalid_${i}`);
      params.push(...check.invalid.params);
    }
    if (check.distinct === 'values') parts.push(`json_group_array(DISTINCT ${col}) FILTER (WHERE ${check.present}) AS values_${i}`);
    if (check.distinct === 'count') parts.push(`count(DISTINCT ${col}) FILTER (WHERE ${check.present}) AS distinct_${i}`);
    if (check.reference) {
      const { table, key } = check.reference;
      parts.push(`sum(CASE WHEN ${check.present} AND NOT EXISTS (SELECT 1 FROM ${table} r WHERE r.${key} = ${col}) THEN 1 ELSE 0 END) AS orphans_${i}`);
    }
  });
  if (checks.freshness) {
    const col = `t.${checks.freshness.field}`;
    const test = freshnessTest(checks.freshness.kind, col, today);
    parts.push(`max(CASE WHEN ${test.sql} THEN ${col} END) AS latest`);
    params.push(...test.params);
  }
  return { sql: `SELECT ${parts.join(', ')} FROM ${checks.entity.table} t`, params };
}

/** Runs the pass chunk by chunk; `onChunk` is called after each (for progress and cancellation). */
export async function runTablePass(db: Db, checks: TableChecks, plan: ChunkPlan, today: string, onChunk: () => Promise<void>): Promise<TablePass> {
  const agg = aggregate(checks, today);
  const statements = new Map<string, Database.Statement>();
  const n = checks.fields.length;
  const totals = { rows: 0, latest: null as string | null };
  const present = new Array<number>(n).fill(0);
  const invalid = new Array<number>(n).fill(0);
  const orphans = new Array<number>(n).fill(0);
  const distinct = new Array<number | null>(n).fill(null);
  const valueSets = checks.fields.map(() => new Set<unknown>());

  for (const chunk of plan.chunks) {
    const sql = chunk ? `${agg.sql} WHERE ${chunk.sql}` : agg.sql;
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    const row = statement.get(...agg.params, ...(chunk?.params ?? [])) as Record<string, number | string | null>;
    totals.rows += Number(row.n_rows ?? 0);
    if (typeof row.latest === 'string' && (totals.latest === null || row.latest > totals.latest)) totals.latest = row.latest;
    checks.fields.forEach((check, i) => {
      present[i]! += Number(row[`present_${i}`] ?? 0);
      invalid[i]! += Number(row[`invalid_${i}`] ?? 0);
      orphans[i]! += Number(row[`orphans_${i}`] ?? 0);
      // Distinct counts do not add up across chunks; planning gives 'count' columns a single chunk.
      if (check.distinct === 'count') distinct[i] = plan.chunks.length === 1 ? Number(row[`distinct_${i}`] ?? 0) : null;
      if (check.distinct === 'values' && valueSets[i]!.size <= MAX_VALUE_SET) {
        for (const value of JSON.parse(String(row[`values_${i}`] ?? '[]')) as unknown[]) valueSets[i]!.add(value);
      }
    });
    await onChunk();
  }

  return {
    rows: totals.rows,
    latest: totals.latest,
    fields: checks.fields.map((check, i) => ({
      present: present[i]!,
      invalid: check.invalid ? invalid[i]! : null,
      distinct:
        check.distinct === 'key'
          ? present[i]!
          : check.distinct === 'values'
            ? valueSets[i]!.size <= MAX_VALUE_SET
              ? valueSets[i]!.size
              : null
            : distinct[i]!,
      orphans: check.reference ? orphans[i]! : null,
    })),
  };
}
