/**
 * The analyst's walk through product matching (issue #9 §5) in Debian's Chromium against a real engine, on
 * a copy of the analysed 2,000-customer demo (which comes trained and matched): pick a product and see whom
 * to offer it, sorted and filtered → export the list to XLSX → hand it to a campaign → the model card in
 * plain words with 高级 → the suitability audit (0 unsuitable) re-checked, and the co-holding lift table →
 * matching again from the training tab with progress → a customer's 下一步 card on the portrait.
 * Screenshots go to test/e2e/screenshots/3x-*.png; no request may leave the page's origin.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { analysedDemoWalk } from './analysed-walk';
import { foreignRequests, type Workbench } from './harness';
import { exportThroughDialog, nav as navigate, settle as settlePage } from './page-helpers';

const walk = analysedDemoWalk('matching');
const { runDir } = walk;
let wb: Workbench;
let page: Page;
beforeAll(() => {
  ({ wb, page } = walk);
});
const LONG = 300_000;

const nav = (path: string) => navigate(page, path);
const settle = () => settlePage(page);
const tab = (name: string) => page.locator(`#tab-${name}`).click();

describe('product matching walk', () => {
  it('lists the customers to offer a product, sorted by propensity or by value, filtered to the contactable', async () => {
    await nav('/products');
    const view = page.locator('[data-test="matching-products"]');
    await view.waitFor({ timeout: 60_000 });
    const table = page.locator('[data-test="matching-table"]');
    await expect.poll(() => table.locator('.el-table__row').count(), { timeout: 30_000 }).toBeGreaterThan(10);
    const text = await table.innerText();
    expect(text).toMatch(/\d+\.\d%/);
    expect(text).toMatch(/\d{3}\*{4}\d{4}/);
    expect(text).toMatch(/可联系|勿扰|未同意营销|未登记授权/);
    const total = Number((await page.locator('[data-test="matching-total"]').innerText()).match(/共 ([\d,]+)/)![1]!.replace(/,/g, ''));

    await page.locator('[data-test="matching-sort"]').getByText('按可能性 × 预期贡献').click();
    await page.locator('[data-test="matching-contactable"]').click();
    await expect.poll(async () => Number((await page.locator('[data-test="matching-total"]').innerText()).match(/共 ([\d,]+)/)?.[1]?.replace(/,/g, '') ?? total), { timeout: 30_000 }).toBeLessThan(total);
    await expect.poll(() => table.locator('.el-table__row').first().innerText()).toContain('可联系');
    await settle();
    await wb.screenshot('30-matching-product', { tall: true });
  });

  it('exports the list to XLSX, masked, with the reasons', async () => {
    const path = join(runDir, '产品匹配名单.xlsx');
    const file = await exportThroughDialog(wb, page.locator('[data-test="matching-export"]'), path);
    expect(file.subarray(0, 2).toString()).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['客户号', '姓名', '手机号', '营销授权', '购买可能性', '推荐理由']));
    expect(sheet.rowCount).toBeGreaterThan(1);
    expect(String(sheet.getRow(2).getCell(5).value)).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(String(sheet.getRow(2).getCell(12).value)).toMatch(/[\u4e00-\u9fff]/);
    await settle();
  });

  it('hands the product audience to the campaign screen', async () => {
    await page.locator('[data-test="matching-to-campaign"]').click();
    await expect.poll(() => page.url()).toContain('#/campaigns');
    await page.goBack();
    await page.locator('[data-test="matching-products"]').waitFor({ timeout: 30_000 });
  });

  it('shows the model card in plain words first, the figures under 高级', async () => {
    await tab('model');
    const headline = page.locator('[data-test="matching-headline"]');
    await headline.waitFor();
    expect(await headline.innerText()).toMatch(/MAP@5/);
    const modelled = page.locator('[data-test^="family-"]', { hasText: '独立模型' }).first();
    expect(await modelled.innerText()).toMatch(/名单前 10% 覆盖 [\d.]+% 的新开户|未做留出检验/);
    expect(await page.locator('[data-test^="family-"]', { hasText: '按同持有关联推荐' }).count()).toBeGreaterThan(0);
    await modelled.getByText('高级').click();
    await expect.poll(() => modelled.innerText()).toContain('ROC AUC');
    await settle();
    await wb.screenshot('31-matching-model', { tall: true });
  });

  it('shows 0 unsuitable recommendations, re-checks them, and lists the co-holding rules', async () => {
    await tab('audit');
    const result = page.locator('[data-test="matching-audit-result"]');
    await result.waitFor();
    expect(await result.innerText()).toContain('适当性检查：0 条不适当推荐');
    await page.locator('[data-test="matching-recheck"]').click();
    await page.locator('.el-message', { hasText: '0 条不适当推荐' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('[data-test="matching-lift"] .el-table__row').count()).toBeGreaterThan(2);
    expect(await page.locator('[data-test="matching-lift"]').innerText()).toMatch(/持有.+的客户中 [\d.]+% 也持有.+，是全行的 [\d.]+ 倍/);
    expect(await page.locator('[data-test="matching-product-stats"]').innerText()).toMatch(/风险等级不匹配|测评过期/);
    await settle();
    await wb.screenshot('32-matching-audit', { tall: true });
  });

  it('matches again from the training tab with progress, and keeps the settings at hand', async () => {
    await tab('train');
    await page.locator('[data-test="matching-settings"]').waitFor();
    expect(await page.locator('[data-test="matching-settings"]').innerText()).toContain('代发工资客户 → 理财');
    await page.locator('[data-test="matching-rescore"]').click();
    await page.locator('[data-test="inline-job"]').waitFor({ timeout: 30_000 });
    await settle();
    await wb.screenshot('33-matching-train', { tall: true });
    await page.locator('[data-test="jobs-panel"]').waitFor({ state: 'detached', timeout: LONG });
    await page.locator('.el-message', { hasText: '不适当推荐 0 条' }).waitFor({ timeout: 60_000 });
  });

  it("shows a customer's next step on the portrait: products, reasons, cautions, last contact and permission", async () => {
    await tab('product');
    const table = page.locator('[data-test="matching-table"]');
    await expect.poll(() => table.locator('.el-table__row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await table.locator('.el-table__row').first().click();
    const card = page.locator('[data-test="portrait-next-step"]');
    await card.waitFor({ timeout: 30_000 });
    await expect.poll(() => card.locator('.rec').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const text = await card.innerText();
    expect(text).toMatch(/可以联系|不宜营销联系/);
    expect(text).toMatch(/上次联系 \d+ 天前|近期没有联系记录/);
    expect(text).toMatch(/购买可能性 [\d.]+%/);
    await card.scrollIntoViewIfNeeded();
    await settle();
    await wb.screenshot('34-portrait-next-step');
  });

  it('made no request outside its own origin and broke no CSP rule', () => {
    expect(wb.requests.length).toBeGreaterThan(0);
    expect(foreignRequests(wb.requests, wb.origin)).toEqual([]);
    expect(wb.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(wb.consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    if (wb.consoleErrors.length > 0) console.log('console errors seen:', wb.consoleErrors);
  });
});
