/**
 * The analyst's walk through campaigns (issue #10) in Debian's Chromium against a real engine, on a copy of
 * the analysed 2,000-customer demo: the churn risk list with its contact columns and 勿扰 tags → 加入营销活动
 * → the wizard (source, exclusions waterfall, control group, allocation per manager) → create → export the
 * call lists through the save dialog → fill in 跟进结果 as managers would → import the responses → the
 * evaluation with its verdict → the campaign list with the universal control group. Screenshots go to
 * test/e2e/screenshots/4x-*.png; no request may leave the page's origin.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { analysedDemoWalk } from './analysed-walk';
import { foreignRequests, type Workbench } from './harness';
import { nav, settle } from './page-helpers';

const walk = analysedDemoWalk('campaigns');
const { runDir } = walk;
const LONG = 180_000;
let wb: Workbench;
let page: Page;
beforeAll(() => {
  ({ wb, page } = walk);
});
let campaignId = '';
let workbook = '';

describe('campaigns walk', () => {
  it('shows contact columns and 勿扰 on the risk list, and hands high-risk customers to the wizard', async () => {
    await nav(page, '/churn');
    await page.locator('#tab-risk').click();
    const list = page.locator('[data-test="risk-list"]');
    await expect.poll(() => list.locator('[data-test="risk-table"] .el-table__row').count(), { timeout: 60_000 }).toBeGreaterThan(10);
    const header = await list.locator('.el-table__header').innerText();
    for (const column of ['手机号', '同意营销', '上次接触']) expect(header).toContain(column);
    await expect.poll(() => list.locator('[data-test="risk-dnc"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await settle(page);
    await wb.screenshot('40-risk-list-contact', { tall: true });

    // High and medium risk: the bands filtered on go to the wizard.
    await list.locator('[data-test="risk-band"]').click();
    for (const band of [/^高$/, /^中$/]) await page.locator('.el-select-dropdown__item:visible', { hasText: band }).first().click();
    await page.keyboard.press('Escape');
    const bandCount = async (band: string) => Number((await list.locator(`.band-stat.${band} .stat-value`).innerText()).replace(/\D/g, ''));
    const expected = (await bandCount('high')) + (await bandCount('medium'));
    const shown = async () => Number(((await list.locator('[data-test="risk-total"]').innerText()).match(/\/ ([\d,]+)/)?.[1] ?? '0').replace(/,/g, ''));
    await expect.poll(shown, { timeout: 30_000 }).toBe(expected);
    await page.locator('[data-test="risk-to-campaign"]').click();
    await page.locator('[data-test="campaign-wizard"]').waitFor();
    expect(await page.locator('[data-test="campaign-offered"]').innerText()).toContain('流失风险高、中的客户');
    await page.locator('input[data-test="campaign-name"]').fill('高风险客户挽留（12月）');
    await page.locator('[data-test="campaign-goal"]').getByText('挽留').click();
    await page.locator('[data-test="campaign-cost"] input').fill('15');
    await settle(page);
    await wb.screenshot('41-campaign-wizard-source', { tall: true });
  });

  it('shows the exclusions as a waterfall, then the control group and the lists per manager', async () => {
    await page.locator('[data-test="campaign-next"]').click();
    await page.locator('[data-test="campaign-waterfall"] canvas').waitFor({ timeout: LONG });
    const audience = Number((await page.locator('[data-test="campaign-audience"]').innerText()).replace(/\D/g, ''));
    expect(audience).toBeGreaterThan(0);
    await settle(page);
    await wb.screenshot('42-campaign-waterfall', { tall: true });

    await page.locator('[data-test="campaign-next"]').click();
    await page.locator('[data-test="campaign-control"] input').fill('20');
    await page.locator('[data-test="campaign-preview"]').click();
    await page.locator('[data-test="campaign-universal"]').waitFor({ timeout: LONG });
    await expect.poll(async () => Number((await page.locator('[data-test="campaign-control-count"]').innerText()).replace(/\D/g, '')), { timeout: LONG }).toBeGreaterThan(0);
    await settle(page);
    await wb.screenshot('43-campaign-control', { tall: true });

    await page.locator('[data-test="campaign-next"]').click();
    const allocation = page.locator('[data-test="campaign-allocation"]');
    await expect.poll(() => allocation.locator('.el-table__row').count(), { timeout: 30_000 }).toBeGreaterThan(2);
    expect(await allocation.innerText()).toContain('合计');
    await settle(page);
    await wb.screenshot('44-campaign-allocation', { tall: true });
  });

  it('creates the campaign and exports one sheet per manager through the save dialog, masked', async () => {
    await page.locator('[data-test="campaign-next"]').click();
    await page.locator('[data-test="campaign-create"]').click();
    const result = page.locator('[data-test="campaign-create-step"] .el-result__title');
    await result.waitFor({ timeout: LONG });
    campaignId = (await result.innerText()).match(/CMP\d{8}-\d{2}/)![0];

    await page.locator('[data-test="campaign-export"]').click();
    const dialog = page.locator('[data-test="campaign-export-dialog"]');
    await dialog.waitFor();
    // The full names need a stated purpose: the confirm button waits for one.
    await dialog.getByText('导出完整姓名和手机号').click();
    await page.locator('input[data-test="campaign-export-purpose"]').fill('回访');
    expect(await page.locator('[data-test="campaign-export-confirm"]').isDisabled()).toBe(true);
    await page.locator('input[data-test="campaign-export-purpose"]').fill('客户经理电话回访使用');
    await settle(page);
    await wb.screenshot('45-campaign-export');
    await dialog.getByText('脱敏导出').click();
    workbook = join(runDir, '挽留名单.xlsx');
    wb.dialogAnswers.push(workbook);
    await page.locator('[data-test="campaign-export-confirm"]').click();
    await page.locator('.el-notification', { hasText: '挽留名单.xlsx' }).waitFor({ timeout: LONG });
    expect(existsSync(workbook)).toBe(true);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(workbook);
    expect(book.worksheets[0]!.name).toBe('汇总');
    expect(book.worksheets.length).toBeGreaterThan(2);
    expect(String(book.worksheets[1]!.getRow(2).getCell(3).value)).toMatch(/^\d{3}\*{4}\d{4}$/);
  });

  it('imports the filled-in lists and shows the evaluation against the control group', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(workbook);
    let i = 0;
    for (const sheet of book.worksheets.slice(1)) {
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        i++;
        row.getCell(9).value = i % 3 === 0 ? '已成交' : i % 3 === 1 ? '已触达' : '有响应';
        if (i % 3 === 0) row.getCell(11).value = 20;
      });
    }
    const filled = join(runDir, '挽留名单-回执.xlsx');
    await book.xlsx.writeFile(filled);

    await page.locator('[data-test="campaign-open"]').click();
    await page.locator('[data-test="campaign-detail"]').waitFor();
    wb.dialogAnswers.push(filled);
    await page.locator('[data-test="campaign-import"]').click();
    const verdict = page.locator('[data-test="campaign-verdict"]');
    await verdict.waitFor({ timeout: LONG });
    expect(await verdict.innerText()).toMatch(/转化率比对照组高 \d+\.\d 个百分点（95% 置信区间 -?\d+\.\d 至 \d+\.\d）/);
    await page.locator('[data-test="campaign-groups"] .el-table__row').nth(1).waitFor();
    await settle(page);
    await wb.screenshot('46-campaign-evaluation', { tall: true });
  });

  it('lists the campaign with its result next to the past campaigns and the universal control group', async () => {
    await nav(page, '/campaigns');
    const list = page.locator('[data-test="campaign-list"]');
    await expect.poll(() => list.innerText(), { timeout: 30_000 }).toContain(campaignId);
    expect(await list.innerText()).toContain('历史活动');
    expect(await page.locator('[data-test="universal-control"]').innerText()).toMatch(/\d+ 位客户（5\.0%）/);
    await page.locator('[data-test="universal-effect"]').click();
    await expect.poll(() => page.locator('[data-test="universal-effect-result"]').innerText(), { timeout: LONG }).toContain('暂无法比较');
    await settle(page);
    await wb.screenshot('47-campaign-list', { tall: true });
  });

  it('made no request outside its own origin and broke no CSP rule', () => {
    expect(foreignRequests(wb.requests, wb.origin)).toEqual([]);
    expect(wb.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(wb.consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
