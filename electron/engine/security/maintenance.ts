/**
 * Operations that rewrite the workspace file itself: encrypt it in place, change its passphrase, replace it
 * with a backup. They need the file to themselves, so the EngineHost closes both workers' connections
 * first (host.ts) and the job worker runs them on paths, reopening the result.
 *
 * Each is safe to interrupt: a rekey is one SQLite transaction (all pages re-encrypted or none), and a
 * restore swaps files only after the new one has been checked, keeping the current file under another
 * name until the restored one has opened.
 */
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { appendAudit } from '../audit';
import { openWorkspace, type Db } from '../db/workspace';
import { EngineError } from '../errors';
import { sha256File } from '../util/hash';
import { rekey } from './cipher';
import { checkWorkspaceFile } from './file-check';

export type MaintenanceOp =
  | { kind: 'encrypt'; passphrase: string }
  | { kind: 'rekey'; passphrase: string; newPassphrase: string }
  | { kind: 'restore'; from: string; target: string; passphrase?: string | undefined };

export interface MaintenanceResult {
  db: Db;
  path: string;
  passphrase: string | undefined;
  /** For a restore: where the replaced workspace was kept. */
  previousPath?: string;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function samePassphrase(a: string | undefined, b: string): boolean {
  return a !== undefined && timingSafeEqual(digest(a), digest(b));
}

/** Encrypts a plain workspace in place; returns it opened with the new key. */
export function encryptWorkspace(path: string, passphrase: string): MaintenanceResult {
  const db = openWorkspace(path);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    rekey(db, passphrase);
  } finally {
    db.close();
  }
  const opened = openWorkspace(path, { passphrase });
  appendAudit(opened, { action: 'workspace.encrypt', params: { cipher: 'chacha20-poly1305' } });
  return { db: opened, path, passphrase };
}

/** Changes the passphrase of an encrypted workspace; the current one must be right. */
export function rekeyWorkspace(path: string, current: string, next: string): MaintenanceResult {
  const db = openWorkspace(path, { passphrase: current });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    rekey(db, next);
  } finally {
    db.close();
  }
  const opened = openWorkspace(path, { passphrase: next });
  appendAudit(opened, { action: 'workspace.rekey' });
  return { db: opened, path, passphrase: next };
}

function timestamp(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** `支行.bpw` → `支行.恢复前-20240601-103000.bpw`, beside it. */
export function previousName(target: string): string {
  const ext = extname(target);
  return join(dirname(target), `${basename(target, ext)}.恢复前-${timestamp()}${ext || '.bpw'}`);
}

function moveWorkspaceFiles(from: string, to: string): void {
  renameSync(from, to);
  for (const suffix of ['-wal', '-shm']) if (existsSync(`${from}${suffix}`)) renameSync(`${from}${suffix}`, `${to}${suffix}`);
}

export interface PreparedRestore {
  from: string;
  target: string;
  temp: string;
  passphrase: string | undefined;
  schemaVersion: number;
  customers: number;
}

/**
 * The first half of a restore, done while the current workspace is still open and untouched: checks the
 * backup (integrity, application id, schema version), copies it beside the target and checks the copy.
 */
export function prepareRestore(from: string, target: string, passphrase: string | undefined): PreparedRestore {
  if (!existsSync(from)) throw new EngineError('not_found', `找不到备份文件“${basename(from)}”，请重新选择`);
  const checked = checkWorkspaceFile(from, passphrase);
  const key = checked.encrypted ? passphrase : undefined;
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.restore`);
  try {
    copyFileSync(from, temp);
    checkWorkspaceFile(temp, key);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return { from, target, temp, passphrase: key, schemaVersion: checked.schemaVersion, customers: checked.customers };
}

export function discardRestore(prepared: PreparedRestore): void {
  rmSync(prepared.temp, { force: true });
}

/**
 * The second half, with the current workspace closed: moves the current file aside, the checked copy into
 * place, and opens it (upgrading an older schema). On any failure the current file is put back.
 */
export async function commitRestore(prepared: PreparedRestore): Promise<MaintenanceResult> {
  const { from, target, temp, passphrase } = prepared;
  let previousPath: string | undefined;
  try {
    if (existsSync(target)) {
      previousPath = previousName(target);
      moveWorkspaceFiles(target, previousPath);
    }
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    if (previousPath && !existsSync(target)) moveWorkspaceFiles(previousPath, target);
    throw error;
  }
  let db: Db;
  try {
    db = openWorkspace(target, { passphrase });
  } catch (error) {
    // The checked copy would not open: the current workspace goes back where it was.
    rmSync(target, { force: true });
    if (previousPath) moveWorkspaceFiles(previousPath, target);
    throw error;
  }
  const backupSha256 = await sha256File(target);
  db.transaction(() => {
    // The backup restored from is this workspace's latest backup: it holds exactly what is now open.
    db.prepare('INSERT INTO backups (at, path, bytes, sha256, encrypted) VALUES (?, ?, ?, ?, ?)').run(
      statSync(from).mtime.toISOString(),
      from,
      statSync(from).size,
      backupSha256,
      passphrase === undefined ? 0 : 1,
    );
    appendAudit(db, {
      action: 'workspace.restore',
      params: { file: from, backupSha256, schemaVersion: prepared.schemaVersion, previous: previousPath ?? null },
      rowCount: prepared.customers,
    });
  }).immediate();
  return { db, path: target, passphrase, ...(previousPath ? { previousPath } : {}) };
}
