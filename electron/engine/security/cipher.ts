/**
 * Encryption at rest with SQLite3 Multiple Ciphers (better-sqlite3-multiple-ciphers; its default cipher is
 * ChaCha20-Poly1305 with a PBKDF2-derived key). The passphrase lives in memory only: it is handed to SQLite
 * as hex (so no quoting of user text into a PRAGMA), never written to a file, a log or the audit log.
 *
 * An encrypted workspace has no SQLite header: its first 16 bytes are the key derivation's salt. So a file
 * whose header is not SQLite's, and whose size is whole pages, is taken for an encrypted workspace and a
 * passphrase is asked for; anything else is not a workspace at all.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3-multiple-ciphers';
import { EngineError } from '../errors';

type Connection = Database.Database;

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export type FileKind = 'empty' | 'plain' | 'encrypted' | 'other';

export function workspaceFileKind(path: string): FileKind {
  const size = statSync(path).size;
  if (size === 0) return 'empty';
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') === SQLITE_MAGIC) return 'plain';
  // SQLite pages are 512 to 65,536 bytes, so a database file is a whole number of 512-byte blocks.
  return size >= 512 && size % 512 === 0 ? 'encrypted' : 'other';
}

const hex = (passphrase: string) => Buffer.from(passphrase, 'utf8').toString('hex');

/** Gives a connection its key; must come before the first read. */
export function applyKey(db: Connection, passphrase: string): void {
  db.pragma(`hexkey='${hex(passphrase)}'`);
}

/**
 * Reads the schema once: with a wrong key SQLite reports "file is not a database" at the first read, which
 * becomes a clear refusal instead of an internal error.
 */
export function assertKeyOpens(db: Connection, fileName: string): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new EngineError('wrong_passphrase', `口令不正确，无法打开“${fileName}”。请核对口令（区分大小写）后重试`);
    }
    throw error;
  }
}

/**
 * Changes the key of an open connection in place: a new passphrase, or '' to decrypt. SQLite3 Multiple
 * Ciphers re-encrypts every page in one transaction, which it does only outside WAL mode, so the journal is
 * switched to DELETE for the duration (which needs the only connection to the file) and back after.
 */
export function rekey(db: Connection, passphrase: string): void {
  const mode = db.pragma('journal_mode', { simple: true }) as string;
  if (mode === 'wal') {
    const switched = db.pragma('journal_mode = DELETE', { simple: true }) as string;
    if (switched !== 'delete') throw new EngineError('busy', '工作区正被其他程序或窗口使用，无法更改加密设置。请关闭其他使用该工作区的程序后重试');
  }
  try {
    if (passphrase === '') db.pragma("rekey=''");
    else db.pragma(`hexrekey='${hex(passphrase)}'`);
  } finally {
    if (mode === 'wal') db.pragma('journal_mode = WAL');
  }
}
