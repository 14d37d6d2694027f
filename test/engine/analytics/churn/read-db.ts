/** A read-only look at a workspace file beside the host's connections (WAL lets both read). */
import Database from 'better-sqlite3-multiple-ciphers';

export function readDb<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
