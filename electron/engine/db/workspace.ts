import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { EngineError } from '../errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import { sqliteNativeBinding } from './native-binding';

export type Db = Database.Database;

/** Marks a SQLite file as a workspace of this app ("BPW1"), so that other SQLite files are refused. */
export const WORKSPACE_APPLICATION_ID = 0x42505731;

export interface OpenOptions {
  /** Create the file when it does not exist. */
  create?: boolean;
  /** Open without migrating or writing anything (the query worker). */
  readonly?: boolean;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/**
 * Opens a workspace file: checks that it is one of ours and not from a newer version before anything is
 * written, then turns on WAL and foreign keys and applies pending migrations in one transaction.
 */
export function openWorkspace(path: string, options: OpenOptions = {}): Db {
  const exists = existsSync(path);
  if (!exists && !options.create) {
    throw new EngineError('workspace_not_found', `找不到工作区文件：${path}。请确认路径，或新建一个工作区`);
  }
  if (exists) assertSqliteFile(path);

  const nativeBinding = sqliteNativeBinding();
  const db = new Database(path, {
    fileMustExist: !options.create,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const hasTables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n > 0;
    if (applicationId !== WORKSPACE_APPLICATION_ID && (hasTables || version !== 0)) {
      throw new EngineError('not_a_workspace', `“${basename(path)}”是 SQLite 数据库，但不是客户画像工作台的工作区，未做任何修改`);
    }
    if (version > LATEST_SCHEMA_VERSION) {
      throw new EngineError(
        'schema_too_new',
        `工作区“${basename(path)}”由更新版本的工作台创建（结构版本 ${version}，本程序最高支持 ${LATEST_SCHEMA_VERSION}）。为保护数据，未做任何修改，请升级工作台后再打开`,
      );
    }
    if (options.readonly && version < LATEST_SCHEMA_VERSION) {
      throw new EngineError('not_a_workspace', `工作区“${basename(path)}”尚未完成初始化或升级，请先用读写方式打开`);
    }
    configureConnection(db);
    if (!options.readonly) migrate(db, version);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function assertSqliteFile(path: string): void {
  if (statSync(path).size === 0) return; // an empty file is a new workspace in waiting
  const header = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_MAGIC) {
    throw new EngineError('not_a_workspace', `“${basename(path)}”不是工作区文件（.bpw），未做任何修改。请选择由本工作台创建的文件`);
  }
}

function configureConnection(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode; only a power cut can lose the last commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 3000');
  db.pragma('cache_size = -131072');
  db.pragma('temp_store = MEMORY');
}

function migrate(db: Db, fromVersion: number): void {
  const pending = MIGRATIONS.filter((m) => m.version > fromVersion);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }
    db.pragma(`application_id = ${WORKSPACE_APPLICATION_ID}`);
  }).immediate();
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
