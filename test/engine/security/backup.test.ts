/**
 * Backup and restore (issue #15 §3): a backup is taken while the workspace stays open (SQLite's online
 * backup API; VACUUM INTO with the same key when encrypted), checked and hashed; a restore checks the
 * backup's integrity and schema version before replacing anything, keeps the current file until the
 * restored one has opened, and refuses damaged, foreign or newer backups with the workspace untouched.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../../electron/engine/db/migrations';
import { openWorkspace } from '../../../electron/engine/db/workspace';
import { EngineHost } from '../../../electron/engine/host';
import { securityStatus } from '../../../electron/engine/security/backup';
import { tempDir } from '../../support/temp';
import { writeCustomers } from '../../support/workspace';

const dir = tempDir();
const PASS = '备份口令 for tests';
let host: EngineHost;
const path = join(dir, '支行.bpw');

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const customers = async () => host.call('customers.count', {});

beforeAll(async () => {
  host = new EngineHost({ log: () => {} });
  await host.call('workspace.create', { path });
  await host.runJob('import.run', { file: writeCustomers(join(dir, 'c300.csv'), 300), entity: 'customers', policy: 'reject' });
});
afterAll(async () => {
  await host.close();
});

describe('backup', () => {
  const backup = join(dir, '支行-备份.bpw');

  it('copies the open workspace, checks and hashes the copy, and records it', async () => {
    const [result] = await Promise.all([host.runJob('security.backup', { path: backup }), customers()]);
    expect(result).toMatchObject({ path: backup, encrypted: false, method: 'backup-api' });
    expect(result.sha256).toBe(sha256(backup));
    const copy = openWorkspace(backup);
    expect((copy.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).toBe(300);
    copy.close();
    const status = await host.call('security.status', {});
    expect(status).toMatchObject({ encrypted: false, backupDue: false, daysSinceBackup: 0, lastBackup: { path: backup, encrypted: false } });
    const audit = await host.call('audit.list', { offset: 0, limit: 1 });
    expect(audit.entries[0]).toMatchObject({ action: 'workspace.backup', outputSha256: result.sha256, summary: '备份工作区到 支行-备份.bpw' });
  });

  it('reminds when the last backup is older than the setting, never when it is 0', () => {
    const db = openWorkspace(path);
    try {
      const ctx = { db: () => db, workspacePath: () => path };
      const later = (days: number) => Date.now() + days * 24 * 60 * 60 * 1000;
      expect(securityStatus(ctx, later(6)).backupDue).toBe(false);
      expect(securityStatus(ctx, later(8))).toMatchObject({ backupDue: true, daysSinceBackup: 8, reminderDays: 7 });
    } finally {
      db.close();
    }
  });

  it('refuses to write the backup over the workspace itself', async () => {
    await expect(host.runJob('security.backup', { path })).rejects.toMatchObject({ code: 'bad_input' });
  });
});

describe('restore', () => {
  const backup = join(dir, '支行-恢复用.bpw');

  beforeAll(async () => {
    await host.runJob('security.backup', { path: backup });
    await host.runJob('import.run', { file: writeCustomers(join(dir, 'c500.csv'), 500), entity: 'customers', policy: 'reject' });
    expect(await customers()).toBe(500);
  });

  it('refuses a damaged backup and leaves the workspace open and unchanged', async () => {
    const damaged = join(dir, '损坏.bpw');
    copyFileSync(backup, damaged);
    const bytes = readFileSync(damaged);
    const pageSize = bytes.readUInt16BE(16);
    // Every b-tree page after the first gets a page type SQLite does not know; page 1 (the header) opens.
    for (let offset = pageSize; offset < bytes.length; offset += pageSize) bytes[offset] = 0x5a;
    writeFileSync(damaged, bytes);
    const before = sha256(path);
    await expect(host.call('security.restore', { path: damaged })).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('完整性检查未通过') });
    expect(await customers()).toBe(500);
    expect(sha256(path)).toBe(before);
  });

  it('refuses a backup from a newer version, and a file that is not a workspace', async () => {
    const newer = join(dir, '新版本.bpw');
    copyFileSync(backup, newer);
    const raw = new Database(newer);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    await expect(host.call('security.restore', { path: newer })).rejects.toMatchObject({ code: 'schema_too_new' });
    const text = join(dir, '笔记.txt');
    writeFileSync(text, '这不是工作区');
    await expect(host.call('security.restore', { path: text })).rejects.toMatchObject({ code: 'not_a_workspace' });
    expect(await customers()).toBe(500);
  });

  it('replaces the workspace with the backup and keeps the replaced file beside it', async () => {
    const result = await host.call('security.restore', { path: backup });
    expect(result).toMatchObject({ path, customers: 300 });
    expect(await customers()).toBe(300);
    expect(result.previousPath).toMatch(/支行\.恢复前-\d{8}-\d{6}\.bpw$/);
    const previous = openWorkspace(result.previousPath!);
    expect((previous.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).toBe(500);
    previous.close();
    const audit = await host.call('audit.list', { offset: 0, limit: 1 });
    expect(audit.entries[0]).toMatchObject({ action: 'workspace.restore', summary: expect.stringContaining('支行-恢复用.bpw') });
    expect((await host.runJob('audit.verify', {})).ok).toBe(true);
  });
});

describe('an encrypted workspace', () => {
  it('is backed up encrypted with the same key, and restored with it, or with the backup’s own passphrase', async () => {
    const encrypted = join(dir, '加密.bpw');
    await host.call('workspace.create', { path: encrypted, passphrase: PASS });
    await host.runJob('import.run', { file: writeCustomers(join(dir, 'c200.csv'), 200), entity: 'customers', policy: 'reject' });
    const backup = join(dir, '加密-备份.bpw');
    const result = await host.runJob('security.backup', { path: backup });
    expect(result).toMatchObject({ encrypted: true, method: 'vacuum-into' });
    const bytes = readFileSync(backup);
    expect(bytes.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(bytes.includes(Buffer.from('C000123'))).toBe(false);
    expect(() => openWorkspace(backup)).toThrow(/已加密/);
    openWorkspace(backup, { passphrase: PASS }).close();

    // The workspace gets a new passphrase; the old backup keeps the old one.
    await host.call('security.rekey', { passphrase: PASS, newPassphrase: '新的口令12345' });
    await expect(host.call('security.restore', { path: backup })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    expect(await customers()).toBe(200);
    const restored = await host.call('security.restore', { path: backup, passphrase: PASS });
    expect(restored).toMatchObject({ encrypted: true, customers: 200 });
    expect(await customers()).toBe(200);
    await host.call('workspace.close', {});
    await expect(host.call('workspace.open', { path: encrypted, passphrase: PASS })).resolves.toMatchObject({ encrypted: true });
    expect(existsSync(restored.previousPath!)).toBe(true);
  });
});
