import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { EngineError } from '../errors';
import { registerAuditFunctions } from '../security/audit-chain';
import { applyKey, assertKeyOpens, workspaceFileKind } from '../security/cipher';
import { failStaleRuns, registerOwnerFunctions } from '../security/stale-runs';
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
  /**
   * The passphrase of an encrypted workspace, or of a new one to create encrypted. Kept in memory only
   * (see workspacePassphrase); ignored for a workspace that is not encrypted.
   */
  passphrase?: string | undefined;
}

/** The passphrase each open connection was opened with, for the threads that open the same file. */
const passphrases = new WeakMap<Db, string>();

export function workspacePassphrase(db: Db): string | undefined {
  return passphrases.get(db);
}

/**
 * Opens a workspace file: checks that it is one of ours and not from a newer version before anything is
 * written, then turns on WAL and foreign keys and applies pending migrations in one transaction.
 */
export function openWorkspace(path: string, options: OpenOptions = {}): Db {
  const exists = existsSync(path);
  if (!exists && !options.create) {
    throw new EngineError('workspace_not_found', `找不到工作区文件：${path}。请确认路径，或新建一个工作区`);
  }
  const kind = exists ? workspaceFileKind(path) : 'empty';
  if (kind === 'other') {
    throw new EngineError('not_a_workspace', `“${basename(path)}”不是工作区文件（.bpw），未做任何修改。请选择由本工作台创建的文件`);
  }
  const passphrase = options.passphrase === '' ? undefined : options.passphrase;
  if (kind === 'encrypted' && passphrase === undefined) {
    throw new EngineError('passphrase_required', `工作区“${basename(path)}”已加密，请输入口令后打开`);
  }

  const nativeBinding = sqliteNativeBinding();
  const db = new Database(path, {
    fileMustExist: !options.create,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  try {
    // A new (or empty) file with a passphrase is created encrypted; a plain file stays plain.
    const keyed = passphrase !== undefined && (kind === 'encrypted' || (kind === 'empty' && !options.readonly));
    if (keyed) {
      applyKey(db, passphrase);
      passphrases.set(db, passphrase);
    }
    assertKeyOpens(db, basename(path));
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
    if (!options.readonly) {
      migrate(db, version);
      try {
        failStaleRuns(db);
      } catch {
        // Another process holds the write lock: the stale runs wait for the next open, the workspace does not.
      }
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
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
  registerAuditFunctions(db);
  registerOwnerFunctions(db);
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

/** Whether the connection reads an encrypted file. */
export function isEncrypted(db: Db): boolean {
  return passphrases.has(db);
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
