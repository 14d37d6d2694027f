import type { Db } from '../db/workspace';

/**
 * Into an empty table, building a secondary index once after the load is several times cheaper than
 * updating it row by row (the rows arrive in key order, the index entries do not). So an import into an
 * empty table drops the table's secondary indexes and recreates them before it commits. It all happens
 * inside the import's transaction: a rollback restores the indexes with the data.
 *
 * Returns the function that recreates them; a no-op when the table already holds rows.
 */
export function deferIndexesIfEmpty(db: Db, table: string): () => void {
  const empty = db.prepare(`SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`).get() as { empty: number };
  if (!empty.empty) return () => {};
  const indexes = db
    .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
    .all(table) as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
  return () => {
    for (const index of indexes) db.exec(index.sql);
  };
}
