/**
 * Is this file a sound workspace? Used before a restore replaces anything and after every copy the engine
 * makes (backup, decrypted copy): SQLite's own `integrity_check`, our application id, and a schema version
 * this program can open (older ones are upgraded on open, newer ones are refused).
 */
import { basename } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import { sqliteNativeBinding } from '../db/native-binding';
import { WORKSPACE_APPLICATION_ID } from '../db/workspace';
import { EngineError } from '../errors';
import { applyKey, assertKeyOpens, workspaceFileKind } from './cipher';

export interface FileCheck {
  schemaVersion: number;
  encrypted: boolean;
  customers: number;
}

/** Opens `path` read-only, with the passphrase when it is encrypted, and checks it through. */
export function checkWorkspaceFile(path: string, passphrase: string | undefined, role = '备份'): FileCheck {
  const name = basename(path);
  try {
    return inspect(path, name, passphrase, role);
  } catch (error) {
    // A page too damaged to read fails before integrity_check can list it: the same verdict.
    if (String((error as { code?: unknown }).code ?? '').startsWith('SQLITE_CORRUPT')) {
      throw new EngineError('bad_input', `${role}文件“${name}”已损坏（完整性检查未通过），未做任何修改。请换一个备份`, String(error));
    }
    throw error;
  }
}

function inspect(path: string, name: string, passphrase: string | undefined, role: string): FileCheck {
  const kind = workspaceFileKind(path);
  if (kind === 'empty' || kind === 'other') throw new EngineError('not_a_workspace', `${role}文件“${name}”不是工作区文件，未做任何修改`);
  if (kind === 'encrypted' && !passphrase) throw new EngineError('passphrase_required', `${role}文件“${name}”已加密，请输入它的口令`);
  const nativeBinding = sqliteNativeBinding();
  const db = new Database(path, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    if (kind === 'encrypted') applyKey(db, passphrase!);
    assertKeyOpens(db, name);
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (applicationId !== WORKSPACE_APPLICATION_ID) throw new EngineError('not_a_workspace', `${role}文件“${name}”不是客户画像工作台的工作区，未做任何修改`);
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (schemaVersion > LATEST_SCHEMA_VERSION) {
      throw new EngineError('schema_too_new', `${role}文件“${name}”由更新版本的工作台创建（结构版本 ${schemaVersion}），请升级工作台后再恢复`);
    }
    const problems = (db.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new EngineError('bad_input', `${role}文件“${name}”已损坏（完整性检查未通过），未做任何修改。请换一个备份`, problems.join('\n'));
    }
    const customers = (db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
    return { schemaVersion, encrypted: kind === 'encrypted', customers };
  } finally {
    db.close();
  }
}
