/**
 * The analyst's walk through real files and data quality (issues #13 §3, #14, #15) in Debian's Chromium
 * against a real engine, on a copy of the analysed demo:
 * a bank XLSX that codes gender 0/1 → the check step flags the coding and will not import until the analyst
 * says 0 is 男 and 1 is 女 → a file with a future month and an implausible amount, refused by row → the
 * rejected batch re-imported without them in one click → the data-quality thresholds in settings → the
 * quality report's business problems, from 风险承受等级缺失 to the customer list of exactly those customers.
 * Screenshots go to test/e2e/screenshots/1[3-9]-*.png; no request may leave the page's origin.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { analysedDemoWalk } from './analysed-walk';
import { foreignRequests, type Workbench } from './harness';
import { choose, nav as navigate, settle as settlePage } from './page-helpers';

const walk = analysedDemoWalk('import');
const { runDir } = walk;
let wb: Workbench;
let page: Page;
beforeAll(() => {
  ({ wb, page } = walk);
});

const LONG = 240_000;
const nav = (path: string) => navigate(page, path);
const settle = () => settlePage(page);

/** 200 customers as the bank's core system exports them: gender 0 for men, 1 for women. */
async function bankWorkbook(path: string): Promise<void> {
  const wbk = new ExcelJS.Workbook();
  const sheet = wbk.addWorksheet('客户信息');
  sheet.addRow(['客户号', '客户姓名', '性别', '出生日期', '风险等级', '是否同意营销', '手机号码']);
  for (let i = 0; i < 200; i++) {
    sheet.addRow([`HX${String(i).padStart(4, '0')}`, `行内客户${i}`, i % 9 < 4 ? 1 : 0, new Date(Date.UTC(1960 + (i % 40), i % 12, 1 + (i % 28))), (i % 5) + 1, i % 3 === 0 ? '是' : '否', `139${String(i).padStart(8, '0')}`]);
  }
  await wbk.xlsx.writeFile(path);
}

/** Opens the import wizard on a file for an entity and walks to the check step. */
async function toCheckStep(file: string, entity: string | RegExp): Promise<void> {
  // Away and back: the wizard starts over at its first step.
  await nav('/workspace');
  await nav('/import');
  await page.locator('[data-test="import-step-file"]').waitFor();
  await choose(page, page.locator('[data-test="import-entity"]'), entity);
  wb.dialogAnswers.push(file);
  await page.locator('[data-test="import-choose"]').click();
  await page.locator('[data-test="import-step-preview"]').waitFor({ timeout: 30_000 });
  await page.locator('[data-test="import-next"]').click();
  await page.locator('[data-test="mapping-table"]').waitFor();
  await page.locator('[data-test="import-next"]').click();
  await page.locator('[data-test="check-summary"]').waitFor({ timeout: LONG });
}

describe('import and data-quality walk', () => {
  it('flags a 0/1 gender coding and imports it once the analyst says what the codes mean', async () => {
    const file = join(runDir, '核心系统客户导出.xlsx');
    await bankWorkbook(file);
    await toCheckStep(file, /^客户$/);
    const gender = page.locator('[data-test="coded-gender"]');
    await gender.locator('[data-test="coded-ambiguous"]').waitFor();
    expect(await gender.innerText()).toContain('GB/T 2261.1');
    await page.locator('[data-test="check-unresolved"]').waitFor();
    expect(await page.locator('[data-test="import-start"]').isDisabled()).toBe(true);
    // Risk levels 1–5 and 是/否 read by convention, with their counts.
    expect(await page.locator('[data-test="coded-risk_level"]').innerText()).toContain('C3 平衡型');
    expect(await page.locator('[data-test="coded-consent_marketing"]').innerText()).toMatch(/是[\s\S]*67/);
    await settle();
    await wb.screenshot('13-import-coded-values', { tall: true });

    await choose(page, gender.locator('[data-test="reading-gender-0"]'), /^男$/);
    await choose(page, gender.locator('[data-test="reading-gender-1"]'), /^女$/);
    await expect.poll(() => page.locator('[data-test="check-unresolved"]').count()).toBe(0);
    await page.locator('[data-test="check-rerun"]').click();
    await expect.poll(() => page.locator('[data-test="check-summary"]').innerText(), { timeout: LONG }).toContain('没有发现问题');
    expect(await gender.innerText()).toContain('已指定');
    await settle();
    await wb.screenshot('14-import-value-map', { tall: true });

    await page.locator('[data-test="import-start"]').click();
    await page.locator('[data-test="import-result"]').waitFor({ timeout: LONG });
    await expect.poll(() => page.locator('[data-test="rows-loaded"]').innerText()).toBe('200');
    expect(await page.locator('[data-test="rows-loaded"]').getAttribute('class')).toContain('ok');
  });

  it('refuses a future month and an implausible amount by row, then re-imports without them in one click', async () => {
    // Last month, whatever day the walk runs on; 2030-01 lies ahead.
    const now = new Date();
    const month = new Date(Date.UTC(now.getFullYear(), now.getMonth() - 1, 15)).toISOString().slice(0, 7);
    const file = join(runDir, '月日均资产_上月.csv');
    writeFileSync(file, ['客户号,月份,月日均资产(万元)', `HX0001,${month},12.5`, 'HX0002,2030-01,8', `HX0003,${month},5000000`, `HX0004,${month},3.2`].join('\r\n'));
    await toCheckStep(file, /^月日均资产$/);
    const found = page.locator('[data-test="check-errors"]');
    await expect.poll(() => found.locator('.el-table__row').count()).toBe(2);
    const text = await found.innerText();
    expect(text).toMatch(/第 3 行[\s\S]*2030-01[\s\S]*晚于本月/);
    expect(text).toMatch(/第 4 行[\s\S]*超出合理范围/);
    await settle();
    await wb.screenshot('15-import-check-problems', { tall: true });

    await page.locator('[data-test="import-start"]').click();
    await page.locator('[data-test="import-result"]').waitFor({ timeout: LONG });
    await expect.poll(() => page.locator('[data-test="import-result"]').innerText()).toContain('整批已拒绝');
    expect(await page.locator('[data-test="rows-loaded"]').innerText()).toBe('0');
    expect(await page.locator('[data-test="rows-loaded"]').getAttribute('class')).toContain('bad');
    await settle();
    await wb.screenshot('16-import-rejected');

    await page.locator('[data-test="retry-skip"]').click();
    await expect.poll(() => page.locator('[data-test="rows-loaded"]').innerText(), { timeout: LONG }).toBe('2');
    await expect.poll(() => page.locator('[data-test="import-errors"] .el-table__row').count()).toBe(2);
    expect(await page.locator('[data-test="retry-skip"]').count()).toBe(0);
    await settle();
    await wb.screenshot('17-import-retried');
  });

  it('sets the data-quality thresholds in settings', async () => {
    await nav('/settings');
    const card = page.locator('[data-test="quality-settings"]');
    await card.waitFor();
    // Warn when more than 1% of customers lack a risk level (default 5%).
    const riskInput = card.locator('.el-form-item', { hasText: '风险承受等级缺失' }).locator('input');
    await riskInput.fill('1');
    await riskInput.press('Tab');
    await card.locator('[data-test="quality-settings-save"]').click();
    await page.locator('.el-message', { hasText: '数据质量与导入设置已保存' }).waitFor();
    await settle();
    await card.scrollIntoViewIfNeeded();
    await wb.screenshot('18-settings-quality');
  });

  it('raises missing risk levels as a business problem and lists exactly those customers', async () => {
    await nav('/quality');
    await page.locator('[data-test="quality-run"]').click();
    const finding = page.locator('[data-test="finding-risk_level_missing"]');
    await finding.waitFor({ timeout: LONG });
    expect(await finding.innerText()).toContain('只能购买 R1 产品');
    const concerned = Number((await finding.innerText()).match(/涉及 ([\d,]+) 位客户/)![1]!.replace(/,/g, ''));
    expect(concerned).toBeGreaterThan(0);
    await settle();
    await wb.screenshot('19-quality-findings', { tall: true });

    await finding.locator('[data-test="finding-customers"]').click();
    const total = page.locator('[data-test="customer-total"]');
    await expect.poll(async () => Number((await total.innerText()).match(/共 ([\d,]+) 位客户/)?.[1]?.replace(/,/g, '') ?? 'NaN'), { timeout: 30_000 }).toBe(concerned);
    await page.locator('[data-test="route-rule"]').waitFor();
  });

  it('made no request outside its own origin and broke no CSP rule', () => {
    expect(foreignRequests(wb.requests, wb.origin)).toEqual([]);
    expect(wb.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(wb.consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
