/**
 * The user's walk through the workbench in a real browser (Debian's Chromium), against a real engine:
 * 1. create the (analysed) demo workspace; 2. query the customer list, choose its columns and open a 360
 * portrait; 3. import a GBK CSV with two bad rows: the preview is masked, the check step finds both by row
 * number before running, and a rejected batch re-imports without them in one click; 4. switch to English
 * and back.
 * Screenshots of each screen go to test/e2e/screenshots/. No request may leave the page's origin.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, launchWorkbench, tmpRoot, type Workbench } from './harness';
import { choose as chooseOption, exportThroughDialog, nav as navigate, settle as settlePage } from './page-helpers';

const runDir = join(tmpRoot, `walk-${process.pid}-${Date.now()}`);
let wb: Workbench;
let page: Page;

const LONG = 240_000;
/** Creating the demo includes its analysis: customer analysis, churn model and the other demo steps. */
const DEMO = 480_000;

const choose = (select: Locator, option: string | RegExp) => chooseOption(page, select, option);
const nav = (path: string) => navigate(page, path);
const settle = () => settlePage(page);

describe('workbench walk', () => {
  beforeAll(async () => {
    mkdirSync(runDir, { recursive: true });
    wb = await launchWorkbench({ recentFile: join(runDir, 'recent.json') });
    page = wb.page;
    await page.goto(`${wb.origin}/index.html#/workspace`);
    await page.getByRole('heading', { name: '工作区' }).waitFor();
  });

  afterAll(async () => {
    await wb?.close();
    rmSync(runDir, { recursive: true, force: true });
  });

  it('1. creates the demo workspace in one click, analysed like the CLI\'s demo', async () => {
    await wb.screenshot('00-start');
    wb.dialogAnswers.push(join(runDir, '示范支行.bpw'));
    await page.locator('[data-test="demo-size"]').getByText('2,000').click();
    await page.locator('[data-test="demo-create"]').click();
    // An opened workspace lands on its overview (issue #11); the row counts stay on 工作区.
    await page.locator('[data-test="overview-view"]').waitFor({ timeout: DEMO });
    await nav('/workspace');
    await page.locator('[data-test="ws-stats"]').waitFor({ timeout: DEMO });
    await expect.poll(() => page.locator('[data-test="ws-stats"]').innerText()).toContain('2,000');
    await expect.poll(() => page.locator('[data-test="ws-tables"] .el-table__row').count()).toBeGreaterThan(5);
    await page.locator('[data-test="ws-recent"]').getByText('示范支行.bpw').first().waitFor();
    await page.locator('[data-test="jobs-panel"]').waitFor({ state: 'detached', timeout: DEMO });
    await settle();
    await wb.screenshot('01-workspace');
  }, DEMO + 60_000);

  it('2. queries the customer list with the labelled form, chooses columns and opens a 360 portrait', async () => {
    await nav('/customers');
    const total = page.locator('[data-test="customer-total"]');
    const count = async () => Number((await total.innerText()).match(/共 ([\d,]+) 位客户/)?.[1]?.replace(/,/g, '') ?? 'NaN');
    await expect.poll(() => total.innerText(), { timeout: 30_000 }).toContain('共 2,000 位客户');
    const table = page.locator('[data-test="customer-table"]');
    await table.locator('.el-table-v2__row').first().waitFor();

    // Money, tier, lifecycle and churn risk come right after the frozen 客户号 and 姓名; amounts say 万元;
    // 风险承受等级 is never the bare 风险等级; no header is cut.
    // Frozen columns live in the left table, the rest in the main one.
    const texts = (part: 'left' | 'main') => table.locator(`.el-table-v2__${part} .el-table-v2__header-cell`).allInnerTexts().then((h) => h.map((x) => x.trim()).filter((x) => x !== ''));
    const mainHeaders = () => texts('main');
    const headers = async () => [...(await texts('left')), ...(await mainHeaders())];
    expect((await headers()).slice(0, 7)).toEqual(['客户号', '客户姓名', '近3个月日均资产(万元)', '价值层级', '生命周期', '流失风险', '风险承受等级']);
    expect(await headers()).not.toContain('风险等级');
    expect(await texts('left')).toEqual(['客户号', '客户姓名']);
    const cut = await table.locator('.el-table-v2__header-cell-text').evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
    expect(cut).toEqual([]);

    // The query form: labelled dropdowns of the communities (with head counts) and the 风险承受等级.
    const form = page.locator('[data-test="customer-query"]');
    for (const label of ['客户号/姓名', '所属社区', '客户经理', '价值层级', '生命周期', '流失风险', '风险承受等级']) await form.locator('.el-form-item__label', { hasText: label }).first().waitFor();
    await form.locator('[data-test="query-community"]').click();
    const communityOptions = page.locator('.el-select-dropdown__item:visible');
    await expect.poll(() => communityOptions.count()).toBe(12);
    const picked = (await communityOptions.allInnerTexts()).slice(0, 2).map((text) => text.replace(/（.*$/, '').trim());
    expect((await communityOptions.first().innerText())).toMatch(/（[\d,]+ 人）/);
    for (const name of picked) await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click();
    await page.keyboard.press('Escape');
    await form.locator('[data-test="query-risk"]').click();
    for (const level of [/^C2 稳健型$/, /^C3 平衡型$/]) await page.locator('.el-select-dropdown__item:visible', { hasText: level }).first().click();
    await page.keyboard.press('Escape');
    // 更多条件: any field of the catalog, here 性别 = 女.
    await form.locator('[data-test="query-more"]').click();
    await page.locator('[data-test="filter-add"]').click();
    await choose(page.locator('[data-test="filter-field"]').last(), /^性别$/);
    await choose(page.locator('[data-test="filter-value"]').last(), /^女$/);
    await form.locator('[data-test="query-submit"]').click();
    await expect.poll(count, { timeout: 30_000 }).toBeLessThan(2000);
    const filtered = await count();
    expect(filtered).toBeGreaterThan(0);
    await table.locator('.el-table-v2__row').first().waitFor();

    // Every row is a woman of one of the two communities, assessed C2 or C3; names come masked.
    const main = await mainHeaders();
    const at = ['所属社区', '性别', '风险承受等级'].map((h) => main.indexOf(h));
    const cells = await table.locator('.el-table-v2__main .el-table-v2__row').evaluateAll(
      (rows, columns) => rows.map((r) => { const c = r.querySelectorAll('.el-table-v2__row-cell'); return columns.map((i) => c[i]?.textContent?.trim() ?? ''); }),
      at,
    );
    expect(cells.length).toBeGreaterThan(3);
    expect(cells.every(([community, gender, risk]) => picked.includes(community ?? '') && gender === '女' && /^C[23] /.test(risk ?? ''))).toBe(true);
    const names = await table.locator('.el-table-v2__left .el-table-v2__row').evaluateAll((rows) => rows.map((r) => r.querySelectorAll('.el-table-v2__row-cell')[1]?.textContent ?? ''));
    expect(names.some((name) => name.includes('*'))).toBe(true);
    // One paging style: a footer says how many of how many, with 加载更多 while more remain.
    expect(await page.locator('[data-test="list-footer"]').innerText()).toMatch(/已显示 [\d,]+ 条，共 [\d,]+ 条|共 [\d,]+ 条，已全部显示/);

    // The column chooser: 职业 joins, and is remembered when the screen opens again.
    await page.locator('[data-test="column-chooser"]').click();
    await page.locator('[data-test="column-chooser-panel"] [data-test="column-occupation"]').click();
    await page.keyboard.press('Escape');
    await expect.poll(headers).toContain('职业');
    await nav('/workspace');
    await nav('/customers');
    await table.locator('.el-table-v2__row').first().waitFor({ timeout: 30_000 });
    await expect.poll(headers).toContain('职业');
    // The query is the screen's own; back to the same question for the picture.
    await form.locator('[data-test="query-community"]').click();
    for (const name of picked) await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click();
    await page.keyboard.press('Escape');
    await form.locator('[data-test="query-submit"]').click();
    await expect.poll(count, { timeout: 30_000 }).toBeLessThan(2000);
    await table.locator('.el-table-v2__row').first().waitFor();
    await settle();
    await wb.screenshot('02-customers-filtered');

    // The list exports in one click: the columns on screen, amounts in 万元.
    const listPath = join(runDir, '客户列表_两个社区.xlsx');
    const listFile = await exportThroughDialog(wb, page.locator('[data-test="customers-view"] .page-actions [data-test="export-xlsx"]'), listPath);
    expect(listFile.subarray(0, 2).toString()).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(listPath);
    const exported = (workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1).map(String);
    expect(exported).toEqual(await headers());
    expect(exported).toContain('近3个月日均资产(万元)');
    expect(exported.some((h) => h.includes('(元)'))).toBe(false);
    await settle();

    await table.locator('.el-table-v2__main .el-table-v2__row').first().click();
    await page.locator('[data-test="portrait-name"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-test="portrait-view"] canvas').first().waitFor();
    await expect.poll(() => page.locator('[data-test="portrait-identity"]').innerText()).toContain('*');
    // The analysed demo: tier and lifecycle, not "尚未运行客户分析"; 风险承受等级 once, never bare 风险等级.
    const portrait = await page.locator('[data-test="portrait-view"]').innerText();
    expect(portrait).not.toContain('尚未运行客户分析');
    expect(portrait.split('风险承受等级').length - 1).toBe(1);
    expect(portrait.replace(/产品风险等级|风险承受等级/g, '')).not.toContain('风险等级');
    expect(portrait).toContain('近3个月日均资产(万元)');
    expect(portrait).toContain('只计客户主动发起的交易');
    await settle();
    await wb.screenshot('03-portrait', { tall: true });

    // Every chart saves as PNG.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="save-png"]').first().click()]);
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    const png = join(runDir, download.suggestedFilename());
    await download.saveAs(png);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');

    // Unmasking asks for a reason and is audited.
    await page.locator('[data-test="unmask"]').click();
    await page.locator('.el-message-box input').fill('客户临柜办理业务核实身份');
    await page.locator('.el-message-box .el-button--primary').click();
    await expect.poll(() => page.locator('[data-test="unmask"]').count()).toBe(0);
  });

  it('shows data quality per table with charts', async () => {
    await nav('/quality');
    await page.locator('[data-test="quality-run"]').click();
    await page.locator('[data-test="quality-overview"] .el-table__row').first().waitFor({ timeout: LONG });
    await page.locator('[data-test="quality-view"] canvas').first().waitFor();
    // Every share has its light in words, not colour alone; fields that may be empty are not judged.
    await expect.poll(() => page.locator('[data-test="quality-overview"]').innerText()).toMatch(/良好|需关注|需处理/);
    await settle();
    await wb.screenshot('04-quality', { tall: true });
  });

  it('3. imports a GBK CSV with two bad rows: masked preview, both found by row number before running, one-click re-import', async () => {
    const csv = [
      '客户号,客户姓名,性别,出生日期,手机号码,开户日期,风险等级',
      'E2E0001,王小明,男,1980-03-15,13800001111,2015-06-01,稳健型',
      'E2E0002,李晓红,女,1991-11-02,13900002222,2023/13/01,平衡型',
      'E2E0003,赵建国,男,1965-07-21,13700003333,2010-01-12,保守型',
      'E2E0001,王小明,男,1980-03-15,13800001111,2015-06-01,稳健型',
      'E2E0005,陈美玲,女,1988-09-09,13600005555,2019-04-30,成长型',
    ].join('\r\n');
    const file = join(runDir, '新客户名单_GBK.csv');
    writeFileSync(file, iconv.encode(`${csv}\r\n`, 'gbk'));

    await nav('/import');
    await page.locator('[data-test="import-step-file"]').waitFor();
    wb.dialogAnswers.push(file);
    await page.locator('[data-test="import-choose"]').click();
    await page.locator('[data-test="import-step-preview"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('[data-test="preview-encoding"]').innerText()).toMatch(/GBK|GB18030/i);
    await expect.poll(() => page.locator('[data-test="preview-delimiter"]').innerText()).toContain(',');
    await expect.poll(() => page.locator('[data-test="preview-table"] .el-table__row').count()).toBe(5);
    // Names and mobile numbers come masked, like everywhere else in the app (issue #14).
    const previewText = await page.locator('[data-test="preview-table"]').innerText();
    expect(previewText).toContain('李*红');
    expect(previewText).toContain('138****1111');
    expect(previewText).not.toContain('李晓红');
    expect(previewText).not.toContain('13800001111');
    await expect.poll(() => page.locator('[data-test="preview-masked"]').innerText()).toContain('客户姓名');
    await settle();
    await wb.screenshot('05-import-preview');

    await page.locator('[data-test="import-next"]').click();
    await page.locator('[data-test="mapping-table"]').waitFor();
    await expect.poll(() => page.locator('[data-test="missing-required"]').count()).toBe(0);
    expect(await page.locator('[data-test="mapping-table"]').innerText()).not.toContain('王小明');
    await settle();
    await wb.screenshot('06-import-mapping');

    // The mapping saves as a template and comes back in the template list.
    await page.locator('[data-test="save-template"]').click();
    await page.locator('.el-message-box input').fill('新客户名单模板');
    await page.locator('.el-message-box .el-button--primary').click();
    await page.locator('.el-message', { hasText: '新客户名单模板' }).waitFor();
    await page.locator('[data-test="template-select"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '新客户名单模板' }).first().waitFor();
    await page.keyboard.press('Escape');

    // The check step finds the bad date and the repeated key by the file's row numbers before anything is written.
    await page.locator('[data-test="import-next"]').click();
    await page.locator('[data-test="check-summary"]').waitFor({ timeout: LONG });
    const found = page.locator('[data-test="check-errors"]');
    await expect.poll(() => found.locator('.el-table__row').count()).toBe(2);
    expect(await found.innerText()).toMatch(/第 3 行[\s\S]*2023\/13\/01[\s\S]*第 5 行/);
    await page.locator('[data-test="import-step-policy"]').waitFor();
    await page.locator('[data-test="import-start"]').click();
    await page.locator('[data-test="import-result"]').waitFor({ timeout: LONG });
    const errors = page.locator('[data-test="import-errors"]');
    await expect.poll(() => errors.locator('.el-table__row').count()).toBe(2);
    const text = await errors.innerText();
    expect(text).toContain('第 3 行');
    expect(text).toContain('第 5 行');
    expect(text).toContain('2023/13/01');
    // A rejected batch keeps nothing, so it never says the first row was kept; 成功导入 0 is not green.
    expect(text).not.toContain('已保留第一次出现的行');
    expect(await page.locator('[data-test="rows-loaded"]').getAttribute('class')).toContain('bad');
    await page.locator('[data-test="retry-skip"]').waitFor();
    await settle();
    await wb.screenshot('07-import-result');

    // Export the error rows to XLSX through the engine.
    const out = await exportThroughDialog(wb, errors.locator('[data-test="export-xlsx"]'), join(runDir, '错误行.xlsx'));
    expect(out.subarray(0, 2).toString()).toBe('PK');

    // One click imports the good rows and skips the two problem rows.
    await page.locator('[data-test="retry-skip"]').click();
    await expect.poll(() => page.locator('[data-test="rows-loaded"]').innerText(), { timeout: LONG }).toBe('3');
    await expect.poll(() => page.locator('[data-test="retry-skip"]').count()).toBe(0);
  });

  it('shows the audit log with translated actions', async () => {
    await nav('/audit');
    const table = page.locator('[data-test="audit-table"]');
    await table.locator('.el-table__row').first().waitFor();
    await expect.poll(() => table.innerText()).toContain('查看敏感信息');
    await expect.poll(() => table.innerText()).toContain('客户临柜办理业务核实身份');
    await settle();
    await wb.screenshot('08-audit');

    const auditFile = await exportThroughDialog(wb, table.locator('[data-test="export-xlsx"]'), join(runDir, '审计日志.xlsx'));
    expect(auditFile.subarray(0, 2).toString()).toBe('PK');
    await settle();
  });

  it('4. switches the language to English and back', async () => {
    await nav('/settings');
    await page.locator('[data-test="settings-view"]').waitFor();
    await settle();
    await wb.screenshot('09-settings');

    await page.locator('[data-test="lang-en"]').click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await expect.poll(() => page.locator('.nav').innerText()).toContain('Customers');
    await settle();
    await wb.screenshot('10-settings-en');
    await nav('/customers');
    await expect.poll(() => page.locator('[data-test="customer-total"]').innerText(), { timeout: 30_000 }).toMatch(/[\d,]+ customers/);
    await settle();
    await wb.screenshot('11-customers-en');

    await nav('/settings');
    await page.locator('[data-test="lang-zh"]').click();
    await page.getByRole('heading', { name: '设置' }).waitFor();
    await expect.poll(() => page.locator('.nav').innerText()).toContain('客户列表');
    await nav('/workspace');
    await page.getByRole('heading', { name: '工作区' }).waitFor();
  });

  it('shows a long job with progress and cancels it', async () => {
    const path = join(runDir, '大型示范支行.bpw');
    wb.dialogAnswers.push(path);
    await page.locator('[data-test="demo-size"]').getByText('200,000').click();
    await page.locator('[data-test="demo-create"]').click();
    const panel = page.locator('[data-test="jobs-panel"]');
    await panel.waitFor({ timeout: 30_000 });
    await expect.poll(() => panel.innerText()).toContain('创建示范工作区');
    await page.waitForTimeout(1500);
    await wb.screenshot('12-job-progress');
    await panel.locator('[data-test="job-cancel"]').click();
    await page.locator('.el-message', { hasText: '任务已取消' }).waitFor({ timeout: 60_000 });
    await panel.waitFor({ state: 'detached' });
    expect(existsSync(path)).toBe(false);
    // Cancelling leaves the open workspace as it was.
    await expect.poll(() => page.locator('[data-test="ws-current"]').innerText()).toContain('当前工作区：示范支行.bpw');
  });

  it('made no request outside its own origin and broke no CSP rule', () => {
    expect(wb.requests.length).toBeGreaterThan(0);
    expect(foreignRequests(wb.requests, wb.origin)).toEqual([]);
    expect(wb.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    // No uncaught exception in the page during the whole walk.
    expect(wb.consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    if (wb.consoleErrors.length > 0) console.log('console errors seen:', wb.consoleErrors);
  });
});
