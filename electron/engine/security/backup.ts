/**
 * Backups while the workspace stays open (issue #15 §3), and a decrypted copy of an encrypted one.
 *
 * A plain workspace is copied with SQLite's online backup API (better-sqlite3's `backup`), a few hundred
 * pages at a time so progress shows and the query worker keeps answering. An encrypted one is copied with
 * `VACUUM INTO`, which writes a consistent snapshot encrypted with the same key: SQLite3 Multiple Ciphers
 * refuses the backup API from an encrypted source to a new plain target, and better-sqlite3 opens the
 * target itself, so it cannot be given the key. Either way the copy is written beside the target under a
 * temporary name, checked (integrity, application id, schema), hashed, and only then renamed into place.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { BackupResult, CopyResult, SecurityStatus } from '../../../shared/security';
import { appendAudit } from '../audit';
import type { JobContext, QueryContext } from '../context';
import { isEncrypted, workspacePassphrase, type Db } from '../db/workspace';
import { sqliteNativeBinding } from '../db/native-binding';
import { EngineError } from '../errors';
import { readSettings } from '../settings-store';
import { sha256File } from '../util/hash';
import { applyKey, rekey } from './cipher';
import { checkWorkspaceFile } from './file-check';
import { assertPlainAbsolutePath } from './path-grants';

const PAGES_PER_STEP = 1_000;

/** A temporary file beside the target, after checking the target can be written there. */
function tempBeside(path: string, workspacePath: string | null): string {
  assertPlainAbsolutePath(path);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new EngineError('bad_input', `找不到文件夹“${dir}”，请重新选择保存位置`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new EngineError('bad_input', `“${basename(path)}”是一个文件夹，请换一个文件名`);
  if (workspacePath && path === workspacePath) throw new EngineError('bad_input', '不能把备份保存为当前工作区文件本身，请换一个文件名');
  return join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.part`);
}

function removeCopy(temp: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${temp}${suffix}`, { force: true });
}

async function copyPlain(ctx: JobContext, db: Db, temp: string): Promise<void> {
  // A throw from the progress callback (a cancel) aborts the backup.
  await db.backup(temp, {
    progress: ({ totalPages, remainingPages }) => {
      ctx.throwIfCancelled();
      ctx.progress('备份工作区', totalPages - remainingPages, totalPages);
      return PAGES_PER_STEP;
    },
  });
}

export async function backupWorkspace(ctx: JobContext, request: { path: string }): Promise<BackupResult> {
  const db = ctx.db();
  const temp = tempBeside(request.path, ctx.workspacePath());
  const encrypted = isEncrypted(db);
  const method: BackupResult['method'] = encrypted ? 'vacuum-into' : 'backup-api';
  ctx.progress('备份工作区', 0, 1);
  try {
    if (encrypted) db.prepare('VACUUM INTO ?').run(temp);
    else await copyPlain(ctx, db, temp);
    ctx.throwIfCancelled();
    ctx.progress('校验备份', 0, 1);
    checkWorkspaceFile(temp, workspacePassphrase(db));
    const sha256 = await sha256File(temp);
    const bytes = statSync(temp).size;
    ctx.throwIfCancelled();
    renameSync(temp, request.path);
    const at = new Date().toISOString();
    db.transaction(() => {
      db.prepare('INSERT INTO backups (at, path, bytes, sha256, encrypted) VALUES (?, ?, ?, ?, ?)').run(at, request.path, bytes, sha256, encrypted ? 1 : 0);
      appendAudit(db, { action: 'workspace.backup', params: { file: request.path, bytes, encrypted, method }, outputSha256: sha256 });
    }).immediate();
    ctx.progress('校验备份', 1, 1);
    return { path: request.path, bytes, sha256, encrypted, at, method };
  } finally {
    removeCopy(temp);
  }
}

/** A plain copy of the open encrypted workspace, for a purpose the audit log records. */
export async function decryptedCopy(ctx: JobContext, request: { path: string; purpose: string }): Promise<CopyResult> {
  const db = ctx.db();
  const passphrase = workspacePassphrase(db);
  if (!isEncrypted(db) || passphrase === undefined) throw new EngineError('bad_input', '当前工作区没有加密，直接备份即可得到副本');
  const temp = tempBeside(request.path, ctx.workspacePath());
  try {
    ctx.progress('导出解密副本', 0, 2);
    db.prepare('VACUUM INTO ?').run(temp);
    ctx.throwIfCancelled();
    ctx.progress('导出解密副本', 1, 2);
    const nativeBinding = sqliteNativeBinding();
    const copy = new Database(temp, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    try {
      applyKey(copy, passphrase);
      rekey(copy, '');
    } finally {
      copy.close();
    }
    checkWorkspaceFile(temp, undefined, '副本');
    const sha256 = await sha256File(temp);
    const bytes = statSync(temp).size;
    ctx.throwIfCancelled();
    renameSync(temp, request.path);
    appendAudit(db, { action: 'workspace.decryptCopy', params: { file: request.path, bytes }, reason: request.purpose, outputSha256: sha256 });
    ctx.progress('导出解密副本', 2, 2);
    return { path: request.path, bytes, sha256 };
  } finally {
    removeCopy(temp);
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function securityStatus(ctx: QueryContext, now = Date.now()): SecurityStatus {
  const db = ctx.db();
  const reminderDays = readSettings(db).security.backupReminderDays;
  const last = db.prepare('SELECT at, path, encrypted FROM backups ORDER BY backup_id DESC LIMIT 1').get() as { at: string; path: string; encrypted: number } | undefined;
  // Never backed up: counted from the first import, since an empty workspace has nothing to lose.
  const since = last?.at ?? (db.prepare('SELECT min(started_at) AS at FROM import_batches').get() as { at: string | null }).at;
  const daysSinceBackup = since ? Math.floor((now - Date.parse(since)) / DAY_MS) : null;
  return {
    encrypted: isEncrypted(db),
    lastBackup: last ? { at: last.at, path: last.path, encrypted: last.encrypted === 1 } : null,
    daysSinceBackup,
    backupDue: reminderDays > 0 && daysSinceBackup !== null && daysSinceBackup >= reminderDays,
    reminderDays,
  };
}
