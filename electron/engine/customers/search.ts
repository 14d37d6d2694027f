/**
 * The list's search box: a customer number prefix, or a fragment of the name.
 *
 * - The prefix is a range on the customer_id primary key (`>= term AND < term + U+10FFFF`); no LIKE, so %
 *   and _ typed by the analyst are plain characters. A lower-case prefix also matches upper-case numbers.
 * - The name fragment goes through `customer_name_chars` (migration 2): the customers whose names hold the
 *   term's rarest character, narrowed by its other characters, then tested for the whole fragment (instr;
 *   for Latin letters an escaped LIKE, which ignores ASCII case). A few thousand index entries instead of a
 *   million names.
 *
 * Most searches look for someone and match a few rows: they are collected by rowid once, and the page is
 * sorted from them. A broad fragment (a common surname matching thousands) is instead kept as a per-row
 * predicate for the ordered walk, which then finds a page quickly because matches are dense.
 */
import type { SqlFragment, SqlParam } from '../../../shared/rule-fields';
import type Database from 'better-sqlite3-multiple-ciphers';
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
  const ranges = [...new Set([term, term.toUpperCase()])].map((p) => [p, `${p}${MAX_CHAR}`] as const);
  const name = nameTest(term);

  const found = new Set<number>();
  const byId = db.prepare('SELECT rowid AS r FROM customers WHERE customer_id >= ? AND customer_id < ? LIMIT ?').pluck();
  for (const [low, high] of ranges) {
    for (const r of byId.iterate(low, high, SELECTIVE_SEARCH_MAX + 1) as Iterable<number>) found.add(r);
  }
  if (found.size <= SELECTIVE_SEARCH_MAX) {
    const byName = nameCandidates(db, term, name);
    for (const r of byName.statement.iterate(...byName.params, SELECTIVE_SEARCH_MAX + 1) as Iterable<number>) {
      found.add(r);
      if (found.size > SELECTIVE_SEARCH_MAX) break;
    }
  }
  if (found.size <= SELECTIVE_SEARCH_MAX) return { kind: 'rows', rowids: [...found] };

  const rangeParams = ranges.flat();
  return {
    kind: 'scan',
    predicate: {
      sql: `(${[...ranges.map(() => '(c.customer_id >= ? AND c.customer_id < ?)'), name.sql('c.name')].join(' OR ')})`,
      params: [...rangeParams, name.param],
    },
    // Counting every match of a broad fragment: one pass over the compact (name, customer_id) index beats
    // looking up each customer the character index names.
    countPredicate: {
      sql: `c.rowid IN (${[`SELECT rowid FROM customers INDEXED BY customers_name WHERE ${name.sql('name')}`, ...ranges.map(() => 'SELECT rowid FROM customers WHERE customer_id >= ? AND customer_id < ?')].join(' UNION ')})`,
      params: [name.param, ...rangeParams],
    },
  };
}

interface NameTest {
  sql: (column: string) => string;
  param: string;
}

/** "Name contains the term": instr, or for Latin letters LIKE with the user's % _ and \ escaped. */
function nameTest(term: string): NameTest {
  if (!/[A-Za-z]/.test(term)) return { sql: (column) => `instr(${column}, ?) > 0`, param: term };
  return { sql: (column) => `${column} LIKE ? ESCAPE '\\'`, param: `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` };
}

/** SQLite's lower() folds ASCII letters only; the character index was built with it. */
const asciiLower = (text: string) => text.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

/**
 * Rowids of customers whose name contains the term: driven by the term's rarest character in the
 * character index, narrowed by its other characters, confirmed on the name itself.
 */
function nameCandidates(db: Db, term: string, name: NameTest): { statement: Database.Statement; params: SqlParam[] } {
  const chars = [...new Set([...asciiLower(term)])];
  const postings = db.prepare('SELECT count(*) FROM (SELECT 1 FROM customer_name_chars WHERE ch = ? LIMIT ?)').pluck();
  const ranked = chars
    .map((ch) => ({ ch, n: postings.get(ch, SELECTIVE_SEARCH_MAX * 4) as number }))
    .sort((a, b) => a.n - b.n);
  const [driver, ...others] = ranked;
  const narrow = others.slice(0, 3).map(() => ' AND EXISTS (SELECT 1 FROM customer_name_chars o WHERE o.ch = ? AND o.customer_id = a.customer_id)');
  const sql = `SELECT c.rowid FROM customer_name_chars a CROSS JOIN customers c ON c.customer_id = a.customer_id
    WHERE a.ch = ?${narrow.join('')} AND ${name.sql('c.name')} LIMIT ?`;
  return { statement: db.prepare(sql).pluck(), params: [driver!.ch, ...others.slice(0, 3).map((o) => o.ch), name.param] };
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
