/**
 * The list's search box: a customer number prefix, or a fragment of the name. Both are answered from
 * indexes: the prefix as a range on the customer_id primary key (no LIKE, so % and _ typed by the user are
 * plain characters), the name fragment by scanning the compact (name, customer_id) index with instr rather
 * than the whole customers table.
 *
 * Most searches look for someone: they match a few rows, which are collected once by rowid and then sorted
 * and paged cheaply. A broad fragment (a common surname matching thousands) is instead kept as a predicate
 * that the ordered walk tests row by row, which finds a page quickly precisely because matches are dense.
 */
import type { SqlFragment } from '../../../shared/rule-fields';
import type { Db } from '../db/workspace';

export type SearchPlan =
  | { kind: 'none' }
  /** Few matches: their rowids. */
  | { kind: 'rows'; rowids: number[] }
  /** Many matches: a predicate over `c`, and an index-friendly equivalent for counting. */
  | { kind: 'scan'; predicate: SqlFragment; countPredicate: SqlFragment };

/** Up to this many matches a search is collected by rowid; beyond, it is tested per row. */
export const SELECTIVE_SEARCH_MAX = 5_000;

/** The highest code point: every string starting with the prefix sorts below prefix + U+10FFFF. */
const MAX_CHAR = String.fromCodePoint(0x10ffff);

export function planSearch(db: Db, search: string | undefined): SearchPlan {
  const term = (search ?? '').trim();
  if (term === '') return { kind: 'none' };
  // Customer numbers are usually upper case (C0001234); accept what the analyst typed in lower case too.
  const prefixes = [...new Set([term, term.toUpperCase()])];
  const ranges = prefixes.map((p) => [p, `${p}${MAX_CHAR}`] as const);
  // A term with a digit is a customer number: names carry no digits, and skipping the name scan saves
  // most of the search's time.
  const name = /\d/.test(term) ? null : nameTest(term);

  const found = new Set<number>();
  const byId = db.prepare('SELECT rowid AS r FROM customers WHERE customer_id >= ? AND customer_id < ? LIMIT ?').pluck();
  for (const [low, high] of ranges) {
    for (const r of byId.iterate(low, high, SELECTIVE_SEARCH_MAX + 1) as Iterable<number>) found.add(r);
  }
  if (name && found.size <= SELECTIVE_SEARCH_MAX) {
    const byName = db.prepare(`SELECT rowid AS r FROM customers INDEXED BY customers_name WHERE ${name.sql('name')} LIMIT ?`).pluck();
    for (const r of byName.iterate(name.param, SELECTIVE_SEARCH_MAX + 1) as Iterable<number>) {
      found.add(r);
      if (found.size > SELECTIVE_SEARCH_MAX) break;
    }
  }
  if (found.size <= SELECTIVE_SEARCH_MAX) return { kind: 'rows', rowids: [...found] };

  const rangeSql = ranges.map(() => '(c.customer_id >= ? AND c.customer_id < ?)');
  const rangeParams = ranges.flat();
  const idUnion = ranges.map(() => 'SELECT rowid FROM customers WHERE customer_id >= ? AND customer_id < ?');
  return {
    kind: 'scan',
    predicate: {
      sql: `(${[...rangeSql, ...(name ? [name.sql('c.name')] : [])].join(' OR ')})`,
      params: [...rangeParams, ...(name ? [name.param] : [])],
    },
    countPredicate: {
      sql: `c.rowid IN (${[...(name ? [`SELECT rowid FROM customers INDEXED BY customers_name WHERE ${name.sql('name')}`] : []), ...idUnion].join(' UNION ')})`,
      params: [...(name ? [name.param] : []), ...rangeParams],
    },
  };
}

/**
 * "Name contains the term". instr for Chinese (no case, fastest); for Latin letters LIKE, which ignores
 * ASCII case without lower() copying every name, with the user's % _ and \ escaped so they match literally.
 */
function nameTest(term: string): { sql: (column: string) => string; param: string } {
  if (!/[A-Za-z]/.test(term)) return { sql: (column) => `instr(${column}, ?) > 0`, param: term };
  return { sql: (column) => `${column} LIKE ? ESCAPE '\\'`, param: `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` };
}

/** The search as a WHERE term over `c`, or null for none. */
export function searchPredicate(plan: SearchPlan, forCount = false): SqlFragment | null {
  switch (plan.kind) {
    case 'none':
      return null;
    case 'rows':
      return { sql: 'c.rowid IN (SELECT value FROM json_each(?))', params: [JSON.stringify(plan.rowids)] };
    case 'scan':
      return forCount ? plan.countPredicate : plan.predicate;
  }
}
