/**
 * Workspace security in a real browser against a real engine that, as in the app, touches only files the
 * dialogs returned (issue #15): the backup reminder, encrypting the open workspace, a backup, reopening
 * with a wrong and then the right passphrase, the audit log in words with its filters and chain check, a
 * tampered log caught and repaired by a restore, this computer's policy, and the purpose asked for an
 * unmasked export (issue #14). Screenshots 70–79 and 08-audit. No request leaves the page's origin.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../electron/engine/db/workspace';
import { copyAnalysedDemo } from './demo-fixture';
import { foreignRequests, launchWorkbench, tmpRoot, type Workbench } from './harness';
import { choose, nav as navigate, openWorkspaceFile, settle as settlePage } from './page-helpers';

const runDir = join(tmpRoot, `security-${process.pid}-${Date.now()}`);
const PASS = '支行数据 2024 春';
const SQLITE_HEADER = 'SQLite format 3';
let wb: Workbench;
let page: Page;
let workspacePath: string;
let backupPath: string;

const nav = (path: string) => navigate(page, path);
const settle = () => settlePage(page);
const dialog = () => page.locator('[data-test="passphrase-dialog"]');

async function fillPassphrase(fields: Record<string, string>): Promise<void> {
  for (const [test, value] of Object.entries(fields)) await dialog().locator(`input[data-test="${test}"], [data-test="${test}"] input`).first().fill(value);
}

beforeAll(async () => {
  mkdirSync(runDir, { recursive: true });
  workspacePath = copyAnalysedDemo(runDir, '安全示范支行.bpw');
  backupPath = join(runDir, '安全示范支行-备份.bpw');
  // The demo was imported minutes ago; a month ago, and never backed up, its reminder is due.
  const raw = new Database(workspacePath);
  raw.prepare('UPDATE import_batches SET started_at = ?').run(new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString());
  raw.close();
  wb = await launchWorkbench({ recentFile: join(runDir, 'recent.json'), fileAccess: 'granted' });
  page = wb.page;
});

afterAll(async () => {
  await wb?.close();
  rmSync(runDir, { recursive: true, force: true });
});

describe('workspace security', () => {
  it('70. shows an unencrypted workspace and the backup reminder', async () => {
    await openWorkspaceFile(wb, workspacePath);
    // Opening lands on the branch overview; the workspace screen carries the security card.
    await nav('/workspace');
    const card = page.locator('[data-test="ws-security"]');
    await expect.poll(() => card.locator('[data-test="ws-encrypted"]').innerText()).toBe('未加密');
    await expect.poll(() => card.locator('[data-test="backup-reminder"]').innerText()).toContain('还没有备份过');
    await expect.poll(() => card.locator('[data-test="last-backup"]').innerText()).toBe('从未备份');
    await settle();
    await wb.screenshot('70-workspace-security');
  });

  it('71–72. encrypts the open workspace and backs it up, encrypted with the same key', async () => {
    await page.locator('[data-test="ws-encrypt"]').click();
    await dialog().waitFor();
    // Too short, then mismatched: said in Chinese before anything is sent.
    await fillPassphrase({ 'passphrase-new': '短口令', 'passphrase-repeat': '短口令' });
    await dialog().locator('[data-test="passphrase-ok"]').click();
    await expect.poll(() => dialog().locator('[data-test="passphrase-error"]').innerText()).toContain('至少 8 个字符');
    await fillPassphrase({ 'passphrase-new': PASS, 'passphrase-repeat': PASS });
    await page.mouse.move(2, 2);
    await wb.screenshot('71-passphrase-encrypt');
    await dialog().locator('[data-test="passphrase-ok"]').click();
    const card = page.locator('[data-test="ws-security"]');
    await expect.poll(() => card.locator('[data-test="ws-encrypted"]').innerText(), { timeout: 60_000 }).toBe('已加密');

    wb.dialogAnswers.push(backupPath);
    await card.locator('[data-test="ws-backup"]').click();
    await expect.poll(() => card.locator('[data-test="last-backup"]').innerText(), { timeout: 60_000 }).toContain('0 天前');
    await expect.poll(() => card.locator('[data-test="backup-reminder"]').count()).toBe(0);

    for (const file of [workspacePath, backupPath]) {
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 15).toString('latin1')).not.toBe(SQLITE_HEADER);
      expect(bytes.includes(Buffer.from('客户经理'))).toBe(false);
    }
    await settle();
    await wb.screenshot('72-workspace-encrypted');
  });

  it('73. reopens only with the right passphrase', async () => {
    await page.locator('[data-test="ws-close"]').click();
    await page.locator('[data-test="ws-security"]').waitFor({ state: 'detached' });
    wb.dialogAnswers.push(workspacePath);
    await page.locator('[data-test="ws-open"]').click();
    await dialog().waitFor();
    await fillPassphrase({ 'passphrase-current': '不是这个口令' });
    await dialog().locator('[data-test="passphrase-ok"]').click();
    await expect.poll(() => dialog().locator('[data-test="passphrase-error"]').innerText()).toContain('口令不正确');
    await page.mouse.move(2, 2);
    await wb.screenshot('73-unlock-wrong');
    await fillPassphrase({ 'passphrase-current': PASS });
    await dialog().locator('[data-test="passphrase-ok"]').click();
    await page.locator('[data-test="overview-view"]').waitFor({ timeout: 60_000 });
    await nav('/workspace');
    await expect.poll(() => page.locator('[data-test="ws-encrypted"]').innerText(), { timeout: 60_000 }).toBe('已加密');
  });

  it('refuses a file no dialog chose, whatever the page asks', async () => {
    const refused = await page.evaluate(() =>
      window.workbench.invoke('import.preview', { file: '/etc/passwd', entity: 'customers' }).then(
        () => 'read',
        (error: { code: string }) => error.code,
      ),
    );
    expect(refused).toBe('path_not_allowed');
  });

  it('08, 74–75. writes the audit log in words, filters it by action and date, and verifies its chain', async () => {
    await nav('/audit');
    const table = page.locator('[data-test="audit-table"]');
    await expect.poll(() => table.innerText(), { timeout: 30_000 }).toContain('备份工作区到 安全示范支行-备份.bpw');
    await expect.poll(() => table.innerText()).toContain('为工作区设置口令并加密');
    expect(await table.innerText()).toMatch(/\S+@\S+/);
    await settle();
    await wb.screenshot('08-audit');

    await choose(page, page.locator('[data-test="audit-action"]'), '加密工作区');
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    const range = page.locator('[data-test="audit-filters"] .el-range-input');
    await range.first().fill(day);
    await range.last().fill(day);
    await range.last().press('Enter');
    await page.locator('[data-test="audit-query"]').click();
    await expect.poll(() => table.locator('.el-table__row').count()).toBe(1);
    expect(await page.locator('.pager').innerText()).toContain('共 1 条');
    await settle();
    await wb.screenshot('74-audit-filtered');

    await page.locator('[data-test="audit-verify"]').click();
    const verdict = page.locator('[data-test="audit-verdict"]');
    await expect.poll(() => verdict.innerText(), { timeout: 60_000 }).toContain('审计日志完整');
    await settle();
    await wb.screenshot('75-audit-verified');
  });

  it('76. names the first broken link when an entry is edited behind the app', async () => {
    await page.locator('[data-test="audit-filters"]').getByRole('button', { name: '重置' }).click();
    // Someone with the file, the passphrase and sqlite rewrites the reason of an unmask entry.
    const db = openWorkspace(workspacePath, { passphrase: PASS });
    const target = db.prepare("SELECT id FROM audit_log WHERE action = 'workspace.backup'").get() as { id: number };
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET summary = '无关操作' WHERE id = ?").run(target.id);
    db.close();
    await page.locator('[data-test="audit-verify"]').click();
    const verdict = page.locator('[data-test="audit-verdict"]');
    await expect.poll(() => verdict.innerText(), { timeout: 60_000 }).toContain(`第一处断链在记录 #${target.id}`);
    expect(await verdict.innerText()).toContain('audit_log_no_update');
    await settle();
    await wb.screenshot('76-audit-broken');
  });

  it('77. restores the backup made before the edit: checked first, the replaced file kept', async () => {
    await nav('/workspace');
    wb.dialogAnswers.push(backupPath);
    await page.locator('[data-test="ws-restore"]').click();
    await page.locator('.el-message-box').getByText('恢复前会检查备份的完整性和版本').waitFor();
    await page.locator('.el-message-box .el-button--primary').click();
    const done = page.locator('.el-message-box', { hasText: '已从' });
    await done.waitFor({ timeout: 60_000 });
    expect(await done.innerText()).toContain('原工作区已另存为');
    // The backup it came from is now its latest backup: no reminder.
    await expect.poll(() => page.locator('[data-test="backup-reminder"]').count()).toBe(0);
    await page.mouse.move(2, 2);
    await wb.screenshot('77-restore-done');
    await done.locator('.el-button--primary').click();

    await nav('/audit');
    await page.locator('[data-test="audit-verify"]').click();
    await expect.poll(() => page.locator('[data-test="audit-verdict"]').innerText(), { timeout: 60_000 }).toContain('审计日志完整');
  });

  it('78. sets this computer’s policy: a new workspace must be encrypted', async () => {
    await nav('/settings');
    const card = page.locator('[data-test="security-settings"]');
    await card.locator('[data-test="require-encryption"]').click();
    await expect.poll(() => wb.securityPolicy.requireEncryption).toBe(true);
    await settle();
    await wb.screenshot('78-settings-security');

    await nav('/workspace');
    const created = join(runDir, '新支行.bpw');
    wb.dialogAnswers.push(created);
    await page.locator('[data-test="ws-create"]').click();
    await dialog().getByText('本机的安全策略要求新建工作区必须加密').waitFor();
    await dialog().locator('.el-dialog__headerbtn').click();
    await dialog().waitFor({ state: 'hidden' });
    expect(existsSync(created)).toBe(false);
    wb.securityPolicy = { requireEncryption: false };
  });

  it('79. asks for a purpose before a list leaves unmasked, and records it', async () => {
    await nav('/settings');
    await page.locator('[data-test="mask-switch"]').click();
    await page.locator('.el-message-box .el-button--primary').click();
    await page.locator('[data-test="mask-switch"].is-checked').waitFor({ state: 'detached' });

    await nav('/customers');
    await page.locator('[data-test="customer-table"] .el-table-v2__row').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-test="export-xlsx"]').first().click();
    const prompt = page.locator('.el-message-box', { hasText: '请填写导出用途' });
    await prompt.waitFor();
    await prompt.locator('input').fill('核对');
    await prompt.locator('.el-button--primary').click();
    await expect.poll(() => prompt.innerText()).toContain('至少 4 个字');
    await prompt.locator('input').fill('报送支行行长审阅营销名单');
    await page.mouse.move(2, 2);
    await wb.screenshot('79-export-purpose');
    const file = join(runDir, '客户清单-未脱敏.xlsx');
    wb.dialogAnswers.push(file);
    await prompt.locator('.el-button--primary').click();
    await page.locator('.el-notification', { hasText: '客户清单-未脱敏.xlsx' }).waitFor({ timeout: 60_000 });
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');

    await nav('/audit');
    await expect.poll(() => page.locator('[data-test="audit-table"]').innerText(), { timeout: 30_000 }).toContain('未脱敏，用途：报送支行行长审阅营销名单');
  });

  it('made no request outside the page', () => {
    expect(foreignRequests(wb.requests, wb.origin)).toEqual([]);
  });
});
