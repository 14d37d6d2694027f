/**
 * Keyset paging over one ordered walk (sort-fields.ts): "the next n rows after this key that pass the
 * filter", answered without OFFSET and without sorting the table.
 *
 * Without a filter the rows come straight off the sort index. With one, walking the sort index is right
 * when matches are common (a page is found after a few thousand rows) and wrong when they are rare (the
 * walk would cross the whole table, where the filter's own index and a small sort win). SQLite's planner
 * cannot know which from a LIMIT, so the walk goes in bounded windows: locate the key N index entries ahead
 * (an index-only scan), search only that range, and widen. If a few windows have not filled the page the
 * matches are rare, and the rest is handed to the planner unconstrained. Every page therefore costs at
 * most the windows plus whatever the planner does best for a selective filter.
 */
import type { SqlFragment, SqlParam } from '../../../shared/rule-fields';
import type { Db } from '../db/workspace';
import type { Walk } from './sort-fields';

export interface KeyRow {
  /** The sort value, or null on the missing-values walk. */
  value: SqlParam;
  id: string;
}

export interface RowConditions {
  /** LEFT JOINs the conditions may read; each is included only when referenced. */
  readonly joins: readonly SqlFragment[];
  /** Per-row conditions (the compiled filter, a broad search). */
  readonly conditions: readonly SqlFragment[];
  /** A condition that picks a few rows by rowid: the planner is left to drive from it. */
  readonly selective: SqlFragment | null;
  readonly windows: WindowTuning;
}

export interface WindowTuning {
  /** Index entries in the first window. */
  readonly first: number;
  /** Index entries a page may search in windows before the rest goes to the planner. */
  readonly budget: number;
}

/**
 * A first window of 2,000 entries fills a page of 200 when one row in ten matches; 24,000 entries (some
 * 30 ms of row lookups) are enough for a filter matching one row in a hundred.
 */
export const DEFAULT_WINDOWS: WindowTuning = { first: 2_000, budget: 24_000 };

/** Up to `need` rows of the walk after `after` (a key tuple matching walk.keys, or null for the start). */
export function scanWalk(db: Db, walk: Walk, rows: RowConditions, after: readonly SqlParam[] | null, need: number): KeyRow[] {
  if (need <= 0) return [];
  if (rows.selective) return freeQuery(db, walk, rows, after, need);
  if (walk.joinedWhere.length === 0 && rows.conditions.length === 0) return rangeQuery(db, walk, rows, after, null, need);

  const found: KeyRow[] = [];
  let from = after;
  let size = rows.windows.first;
  let budget = rows.windows.budget;
  for (;;) {
    const boundary = boundaryAt(db, walk, from, size);
    const hits = rangeQuery(db, walk, rows, from, boundary, need - found.length);
    found.push(...hits);
    if (found.length >= need || boundary === null) return found;
    from = boundary;
    budget -= size;
    // The matches so far estimate how far the page's remaining rows are; if beyond the budget, matches
    // are rare and the planner's use of the filter's own index beats walking on.
    const ahead = hits.length === 0 ? Infinity : Math.ceil(((need - found.length) * size * 1.25) / hits.length);
    if (ahead > budget) break;
    size = Math.max(ahead, rows.windows.first);
  }
  found.push(...freeQuery(db, walk, rows, from, need - found.length));
  return found;
}

const placeholders = (n: number) => new Array<string>(n).fill('?').join(', ');

/** `(a, b) > (?, ?)` for a key tuple; ascending walks continue upwards, descending ones downwards. */
function tupleTest(keys: readonly string[], op: '>' | '<' | '>=' | '<=', values: readonly SqlParam[]): SqlFragment {
  const left = keys.length === 1 ? keys[0]! : `(${keys.join(', ')})`;
  const right = keys.length === 1 ? '?' : `(${placeholders(keys.length)})`;
  return { sql: `${left} ${op} ${right}`, params: [...values] };
}

const afterTest = (walk: Walk, keys: readonly string[], after: readonly SqlParam[]) => tupleTest(keys, walk.desc ? '<' : '>', after);
const uptoTest = (walk: Walk, keys: readonly string[], upto: readonly SqlParam[]) => tupleTest(keys, walk.desc ? '>=' : '<=', upto);

function orderBy(walk: Walk, keys: readonly string[]): string {
  return keys.map((k) => `${k} ${walk.desc ? 'DESC' : 'ASC'}`).join(', ');
}

function selectKeys(keys: readonly string[]): string {
  return keys.length === 2 ? `${keys[0]} AS value, ${keys[1]} AS id` : `NULL AS value, ${keys[0]} AS id`;
}

/** The key tuple `size` entries into the walk after `from`, or null when fewer entries remain. */
function boundaryAt(db: Db, walk: Walk, from: readonly SqlParam[] | null, size: number): SqlParam[] | null {
  const where = [...walk.where, ...(from ? [afterTest(walk, walk.keys, from)] : [])];
  const sql = `SELECT ${walk.keys.join(', ')} FROM ${walk.driverFrom}${whereClause(where)} ORDER BY ${orderBy(walk, walk.keys)} LIMIT 1 OFFSET ?`;
  const row = db.prepare(sql).raw().get(...where.flatMap((w) => w.params), size - 1) as SqlParam[] | undefined;
  return row ?? null;
}

/** Rows of the walk in (from, upto], in order, on the forced index. */
function rangeQuery(db: Db, walk: Walk, rows: RowConditions, from: readonly SqlParam[] | null, upto: readonly SqlParam[] | null, need: number): KeyRow[] {
  const where = [
    ...walk.where,
    ...(from ? [afterTest(walk, walk.keys, from)] : []),
    ...(upto ? [uptoTest(walk, walk.keys, upto)] : []),
    ...walk.joinedWhere,
    ...rows.conditions,
  ];
  return run(db, { sql: walk.from, params: [] }, walk.keys, walk, where, rows.joins, need);
}

/** Rows of the walk after `from`, leaving the access path to the planner. */
function freeQuery(db: Db, walk: Walk, rows: RowConditions, from: readonly SqlParam[] | null, need: number): KeyRow[] {
  const keys = walk.free.keys;
  const where = [
    ...walk.free.where,
    ...(from ? [afterTest(walk, keys, from)] : []),
    ...walk.joinedWhere,
    ...(rows.selective ? [rows.selective] : []),
    ...rows.conditions,
  ];
  return run(db, walk.free.from, keys, walk, where, rows.joins, need);
}

function run(db: Db, from: SqlFragment, keys: readonly string[], walk: Walk, where: readonly SqlFragment[], joins: readonly SqlFragment[], need: number): KeyRow[] {
  const used = referencedJoins(joins, where.map((w) => w.sql).join(' '));
  const sql = `SELECT ${selectKeys(keys)} FROM ${from.sql}${used.map((j) => ` ${j.sql}`).join('')}${whereClause(where)} ORDER BY ${orderBy(walk, keys)} LIMIT ?`;
  const params = [...from.params, ...used.flatMap((j) => j.params), ...where.flatMap((w) => w.params), need];
  return db.prepare(sql).all(...params) as KeyRow[];
}

export function whereClause(where: readonly SqlFragment[]): string {
  return where.length === 0 ? '' : ` WHERE ${where.map((w) => w.sql).join(' AND ')}`;
}

/**
 * The joins whose alias the SQL reads. SQLite does not drop an unused LEFT JOIN from a query that counts or
 * filters, and each costs a lookup per row examined.
 */
export function referencedJoins(joins: readonly SqlFragment[], sql: string): SqlFragment[] {
  return joins.filter((join) => {
    const alias = /JOIN\s+\w+\s+(?:AS\s+)?(\w+)\s+ON/i.exec(join.sql)?.[1];
    return alias === undefined || new RegExp(`\\b${alias}\\.`).test(sql);
  });
}
