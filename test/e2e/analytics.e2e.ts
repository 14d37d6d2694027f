/**
 * The analyst's walk through the analytics screens (issues #4 and #5) in Debian's Chromium against a real
 * engine, on a 2,000-customer demo workspace:
 * run the customer analysis from the UI → tiers, the migration Sankey and the fallen high-value list →
 * the RFM heatmap → a nested rule in the visual builder with its live count, saved as a tag and as a
 * segment → K-means with k = 4, clusters saved → a group portrait → the churn model trained from the UI
 * with progress → the model card and its threshold slider → the risk list → a 360 portrait with the churn
 * waterfall and the customer's tags. Screenshots go to test/e2e/screenshots/2x-*.png; no request may leave
 * the page's origin.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, launchWorkbench, tmpRoot, type Workbench } from './harness';
import { choose as chooseOption, exportThroughDialog, nav as navigate, settle as settlePage } from './page-helpers';

const runDir = join(tmpRoot, `analytics-${process.pid}-${Date.now()}`);
let wb: Workbench;
let page: Page;

const LONG = 300_000;

const choose = (select: Locator, option: string | RegExp) => chooseOption(page, select, option);
const nav = (path: string) => navigate(page, path);
const settle = () => settlePage(page);

/** A number shown with thousands separators, e.g. '1,234' → 1234. */
const count = async (locator: Locator) => Number((await locator.innerText()).replace(/[^\d]/g, ''));

/** Waits until every job started from the page has finished. */
async function jobsDone(timeout = LONG): Promise<void> {
  await page.locator('[data-test="jobs-panel"]').waitFor({ state: 'detached', timeout });
}

describe('analytics walk', () => {
  beforeAll(async () => {
    mkdirSync(runDir, { recursive: true });
    wb = await launchWorkbench({ recentFile: join(runDir, 'recent.json') });
    page = wb.page;
    await page.goto(`${wb.origin}/index.html#/workspace`);
    await page.getByRole('heading', { name: '工作区' }).waitFor();
  });

  // A failed step leaves a picture of the screen it failed on, for whoever reads the log.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !page) return;
    const dir = join(tmpRoot, 'failures');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${ctx.task.name.slice(0, 40).replace(/[^\w\u4e00-\u9fff]+/g, '_')}.png`) }).catch(() => undefined);
  });

  afterAll(async () => {
    await wb?.close();
    rmSync(runDir, { recursive: true, force: true });
  });

  it('creates a 2,000-customer demo workspace, analysed like the CLI demo', async () => {
    wb.dialogAnswers.push(join(runDir, '分析示范支行.bpw'));
    await page.locator('[data-test="demo-size"]').getByText('2,000').click();
    await page.locator('[data-test="demo-create"]').click();
    // An opened workspace lands on its overview (issue #11); the row counts stay on 工作区.
    await page.locator('[data-test="overview-view"]').waitFor({ timeout: LONG });
    await nav('/workspace');
    await page.locator('[data-test="ws-stats"]').waitFor({ timeout: LONG });
    await expect.poll(() => page.locator('[data-test="ws-stats"]').innerText(), { timeout: 30_000 }).toContain('2,000');
    await jobsDone();
  });

  it('runs the customer analysis from the tiers screen and shows tiers, migration and the fallen list', async () => {
    await nav('/tiers');
    const panel = page.locator('[data-test="analysis-panel"]');
    // The app's demo comes analysed (issue #14): the panel shows its run, and running again is one click.
    await expect.poll(() => panel.innerText(), { timeout: 30_000 }).not.toContain('尚未运行客户分析');
    await panel.locator('[data-test="analysis-asof"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-test="analysis-run"]').click();
    await page.locator('[data-test="inline-job"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-test="analysis-asof"]').waitFor({ timeout: LONG });
    await jobsDone();
    await expect.poll(() => page.locator('[data-test="analysis-settings"]').innerText()).toContain('金卡');
    await page.locator('[data-test="tier-overview"] canvas').first().waitFor();
    await expect.poll(() => page.locator('[data-test="tier-table"] .el-table__row').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-test="tier-table"]').innerText()).toContain('大众');
    // The lifecycle is labelled bars beside a table that says how each stage is defined.
    await page.locator('[data-test="lifecycle-chart"] canvas').waitFor();
    const lifecycle = await page.locator('[data-test="lifecycle-table"]').innerText();
    expect(lifecycle).toContain('沉睡');
    expect(lifecycle).toMatch(/180 天以上没有本人发起的交易/);
    const tierCounts = await page.locator('[data-test="tier-table"] .el-table__row').evaluateAll((rows) =>
      Object.fromEntries(rows.map((r) => [r.querySelectorAll('td')[0]?.textContent?.trim() ?? '', Number((r.querySelectorAll('td')[1]?.textContent ?? '').replace(/[^\d]/g, ''))])),
    );
    await settle();
    await wb.screenshot('20-tiers', { tall: true });

    await page.locator('#tab-migration').click();
    const migration = page.locator('[data-test="tier-migration"]');
    await migration.locator('canvas').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => count(migration.locator('[data-test="fallen-total"]')), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => migration.locator('[data-test="fallen-table"] .el-table__row').count()).toBeGreaterThan(0);
    // Four tiers and 新增/无记录, every customer counted once.
    await expect.poll(() => migration.locator('[data-test="migration-matrix"] .el-table__row').count()).toBe(5);
    expect(await migration.locator('[data-test="migration-matrix"]').innerText()).toContain('新增/无记录');
    // The end month is the analysis month, and its column totals are the tiers tab's counts.
    expect(await migration.locator('[data-test="migration-basis"]').innerText()).toContain('与“价值分层”页一致');
    const columnTotals = await migration.locator('[data-test="migration-matrix"] .el-table__row').evaluateAll((rows) => {
      const cells = rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number((td.textContent ?? '').replace(/[^\d]/g, ''))));
      return cells[0]!.slice(1, -1).map((_, j) => cells.reduce((sum, row) => sum + row[j + 1]!, 0));
    });
    expect(columnTotals.slice(0, 4)).toEqual([tierCounts['大众'], tierCounts['金卡'], tierCounts['财富'], tierCounts['私行']]);
    expect(await migration.locator('[data-test="upgraded"]').innerText()).toMatch(/^▲/);
    expect(await migration.locator('[data-test="downgraded"]').innerText()).toMatch(/^▼/);
    expect(await migration.locator('[data-test="fallen-aum-loss"]').innerText()).toMatch(/^▼ [\d,]+\.\d\d$/);
    await settle();
    await wb.screenshot('20-tiers-migration', { tall: true });

    // The fallen list exports to XLSX and opens a portrait.
    const file = await exportThroughDialog(wb, migration.locator('[data-test="fallen-table"] [data-test="export-xlsx"]'), join(runDir, '降级高价值客户.xlsx'));
    expect(file.subarray(0, 2).toString()).toBe('PK');
    await settle();
    await migration.locator('[data-test="fallen-table"] .el-table__row').first().click();
    await page.locator('[data-test="portrait-name"]').waitFor({ timeout: 30_000 });
    await page.goBack();
    await page.locator('[data-test="tier-migration"]').waitFor();
  });

  it('shows the RFM heatmap and the eight classes with actions', async () => {
    await page.locator('#tab-rfm').click();
    const rfm = page.locator('[data-test="rfm-view"]');
    await rfm.locator('canvas').first().waitFor();
    await expect.poll(() => rfm.locator('[data-test="rfm-classes"] .el-table__row').count()).toBeGreaterThanOrEqual(4);
    const table = await rfm.locator('[data-test="rfm-classes"]').innerText();
    expect(table).toMatch(/重要(价值|发展|保持|挽留)/);
    // The cut points of the run: each measure against its own mean.
    const cuts = await rfm.locator('[data-test="rfm-cuts"]').innerText();
    expect(cuts).toContain('各项原始值的全行均值');
    expect(cuts).toMatch(/R 近：距最近一次主动交易少于 [\d.]+ 天/);
    expect(cuts).toMatch(/M 高：近 3 个月日均资产高于 [\d,.]+ 万元/);
    await settle();
    await wb.screenshot('21-rfm', { tall: true });
  });

  let ruleCount = 0;

  it('builds a nested rule in the visual builder with a live count, and saves it as a tag and a segment', async () => {
    await nav('/tags');
    await expect.poll(() => page.locator('[data-test="tag-category"]').count(), { timeout: 30_000 }).toBeGreaterThan(3);
    await page.locator('#tab-builder').click();
    const builder = page.locator('[data-test="rule-builder"]');
    const counter = page.locator('[data-test="rule-count"]');
    await builder.waitFor();

    // 1. 年龄 ≥ 40
    const first = builder.locator('[data-test="rule-condition"]').first();
    await choose(first.locator('[data-test="rule-field"]'), /^年龄\(岁\)$/);
    await choose(first.locator('[data-test="rule-op"]'), /^大于等于$/);
    await first.locator('input[data-test="rule-text"]').fill('40');
    await page.locator('[data-test="rule-count"][data-counting="no"]').waitFor({ timeout: 30_000 });
    const afterAge = await count(counter);
    expect(afterAge).toBeGreaterThan(0);
    expect(afterAge).toBeLessThan(2000);

    // 2. （价值层级 属于 金卡、财富、私行 或 手机银行交易占比 ≥ 50%）
    await builder.locator('[data-test="rule-add-group"]').first().click();
    const group = builder.locator('[data-test="rule-group"] [data-test="rule-group"]').first();
    const tierRow = group.locator('[data-test="rule-condition"]').first();
    await choose(tierRow.locator('[data-test="rule-field"]'), /^价值层级$/);
    await choose(tierRow.locator('[data-test="rule-op"]'), /^属于$/);
    for (const tier of ['金卡', '财富', '私行']) await choose(tierRow.locator('[data-test="rule-values"]'), new RegExp(`^${tier}$`));
    await page.keyboard.press('Escape');
    await group.locator('[data-test="rule-add-condition"]').click();
    const mobileRow = group.locator('[data-test="rule-condition"]').nth(1);
    await choose(mobileRow.locator('[data-test="rule-field"]'), /^手机银行交易占比\(%\)$/);
    await choose(mobileRow.locator('[data-test="rule-op"]'), /^大于等于$/);
    await mobileRow.locator('input[data-test="rule-text"]').fill('50');

    // 3. 不满足：生命周期阶段 = 流失
    await builder.locator('[data-test="rule-add-condition"]').first().click();
    const last = builder.locator(':scope > [data-test="rule-group"] > .child > [data-test="rule-condition"]').last();
    await last.locator('[data-test="rule-negate"]').click();
    await choose(last.locator('[data-test="rule-field"]'), /^生命周期阶段$/);
    await choose(last.locator('[data-test="rule-enum"]'), /^流失$/);

    await expect.poll(() => page.locator('[data-test="rule-description"]').innerText(), { timeout: 30_000 }).toContain('生命周期阶段 ≠ 流失');
    await page.locator('[data-test="rule-count"][data-counting="no"]').waitFor({ timeout: 30_000 });
    ruleCount = await count(counter);
    expect(ruleCount).toBeLessThan(afterAge);
    expect(ruleCount).toBeGreaterThan(0);
    const description = await page.locator('[data-test="rule-description"]').innerText();
    expect(description).toContain('年龄 ≥ 40');
    expect(description).toMatch(/价值层级 属于 金卡、财富、私行 或 手机银行交易占比 ≥ 50%/);
    await settle();
    await wb.screenshot('22-rule-builder', { tall: true });

    // Save as a tag: it shows in the library with the same count.
    await page.locator('[data-test="rule-save-tag"]').click();
    await page.locator('input[data-test="save-rule-name"]').fill('中年以上活跃价值客户');
    await page.locator('[data-test="save-rule-confirm"]').click();
    const tagSaved = page.locator('.el-message--success', { hasText: '标签“中年以上活跃价值客户”已保存' });
    await tagSaved.waitFor({ timeout: 60_000 });
    // The tag is evaluated as of the analysis date (ages on that day, customers on the books then), the
    // live count as of today: the two agree up to the few customers whose age or status changed between.
    const tagged = Number((await tagSaved.innerText()).match(/覆盖 ([\d,]+) 位客户/)![1]!.replace(/,/g, ''));
    expect(Math.abs(tagged - ruleCount)).toBeLessThanOrEqual(20);
    await settle();

    // Save as a segment.
    await page.locator('[data-test="rule-save-segment"]').click();
    await page.locator('input[data-test="save-rule-name"]').fill('中年以上活跃价值客群');
    await page.locator('[data-test="save-rule-confirm"]').click();
    await page.locator('.el-message--success', { hasText: '客群“中年以上活跃价值客群”已保存' }).waitFor({ timeout: 60_000 });
    await settle();

    // The same audience opens in the customer list, the rule carried in the link.
    await page.locator('[data-test="rule-open-list"]').click();
    await page.locator('[data-test="route-rule"]').waitFor();
    expect(await page.locator('[data-test="route-rule"]').innerText()).toContain('生命周期阶段 ≠ 流失');
    await expect.poll(() => page.locator('[data-test="customer-total"]').innerText(), { timeout: 30_000 }).toContain(`共 ${ruleCount.toLocaleString('en-US')} 位客户`);
    await page.goBack();
    await page.locator('[data-test="rule-builder"]').waitFor();

    await page.locator('#tab-library').click();
    const row = page.locator('[data-test="tag-row"]', { hasText: '中年以上活跃价值客户' });
    await row.waitFor();
    expect(await count(row.locator('.cov-n'))).toBe(tagged);
  });

  it('runs K-means with k = 4, shows the profiles and saves the clusters', async () => {
    await nav('/segments');
    const setup = page.locator('[data-test="cluster-setup"]');
    await setup.waitFor();
    const profile = page.locator('[data-test="cluster-profile"]');

    // First let silhouette suggest k over 2..10: the curve shows with the suggestion marked.
    await setup.locator('[data-test="cluster-run"]').click();
    await expect.poll(() => profile.locator('.el-table__row').count(), { timeout: LONG }).toBeGreaterThanOrEqual(2);
    await jobsDone();
    await page.locator('[data-test="segments-view"] canvas').nth(1).waitFor();
    // The strength of separation in words, and the clusters beside the branch in a table.
    expect(await page.locator('[data-test="cluster-separation"]').innerText()).toMatch(/区分度\s*(很弱|弱|中等|强)/);
    expect(await page.locator('[data-test="separation-meaning"]').innerText()).toMatch(/^区分度/);
    await expect.poll(() => page.locator('[data-test="cluster-means"] .el-table__row').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-test="cluster-means"]').innerText()).toContain('全行');
    await settle();
    await wb.screenshot('23-segments-suggested', { tall: true });

    // Then k = 4 as the analyst decides.
    await setup.locator('[data-test="k-mode"]').getByText('指定').click();
    await setup.locator('[data-test="k-input"] input').fill('4');
    await setup.locator('[data-test="k-input"] input').press('Tab');
    await setup.locator('[data-test="cluster-run"]').click();
    await page.locator('[data-test="no-curve"]').waitFor({ timeout: LONG });
    await expect.poll(() => page.locator('[data-test="cluster-k"]').innerText()).toBe('4');
    await expect.poll(() => profile.locator('.el-table__row').count(), { timeout: LONG }).toBe(4);
    await jobsDone();
    await expect.poll(() => page.locator('[data-test="cluster-k"]').innerText()).toBe('4');
    await page.locator('[data-test="cluster-detail"] canvas').first().waitFor();
    // Each cluster described in words; days since the last transaction marked as bad news when high.
    const profiles = await profile.innerText();
    expect(profiles).toMatch(/以.+客户为主|客户最多/);
    const idle = profile.locator('.el-tag', { hasText: /距最近主动交易天数 (明显)?偏高/ });
    if ((await idle.count()) > 0) expect(await idle.first().getAttribute('class')).toContain('el-tag--danger');
    await settle();
    await wb.screenshot('23-segments', { tall: true });

    await profile.locator('.el-table__body input[data-test="cluster-name"]').first().fill('第一群·重点维护');
    await page.locator('[data-test="clusters-save"]').click();
    await page.locator('.el-message', { hasText: '已保存 4 个客群' }).waitFor({ timeout: 60_000 });
    const saved = page.locator('[data-test="saved-segments"]');
    await expect.poll(() => saved.locator('.el-table__row').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
    expect(await saved.innerText()).toContain('第一群·重点维护');
    expect(await saved.innerText()).toContain('中年以上活跃价值客群');
    await settle();
  });

  it('opens the group portrait of a segment beside the branch', async () => {
    const saved = page.locator('[data-test="saved-segments"]');
    await saved.locator('.el-table__row', { hasText: '中年以上活跃价值客群' }).locator('[data-test="segment-portrait"]').click();
    const view = page.locator('[data-test="group-portrait-view"]');
    await view.waitFor();
    await expect.poll(() => view.locator('[data-test="group-dimension"]').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(6);
    await expect.poll(() => page.locator('[data-test="group-title"]').innerText()).toContain(ruleCount.toLocaleString('en-US'));
    await view.locator('[data-test="group-dimension"] canvas').first().waitFor();
    // Headlines only for real differences and never for a rest bucket; TGI in the side-by-side table.
    for (const headline of await view.locator('[data-test="group-headline"]').allInnerTexts()) {
      expect(headline).not.toMatch(/差异最大：(其他|未知|未填写)/);
      const gap = Number(headline.match(/([\d.]+) 个百分点/)?.[1]);
      expect(gap).toBeGreaterThanOrEqual(3);
      expect(headline).toMatch(/TGI \d+/);
    }
    const table = await view.locator('[data-test="group-table"]').innerText();
    expect(table).toContain('TGI');
    expect(table).not.toMatch(/所属社区\s+其他/);
    await settle();
    await wb.screenshot('24-group-portrait', { tall: true });

    // Each chart saves as PNG; the whole portrait exports to one workbook.
    const [download] = await Promise.all([page.waitForEvent('download'), view.locator('[data-test="group-dimension"] [data-test="save-png"]').first().click()]);
    expect(download.suggestedFilename()).toMatch(/\.png$/);
    const file = await exportThroughDialog(wb, view.locator('.page-actions [data-test="export-xlsx"]'), join(runDir, '群体画像.xlsx'));
    expect(file.subarray(0, 2).toString()).toBe('PK');
    await settle();
  });

  it('trains the churn model from the UI with progress, then shows the model card and moves the threshold', async () => {
    await nav('/churn');
    // The demo's own model is there already; the analyst retrains with fewer trees.
    await page.locator('[data-test="model-card"]').waitFor({ timeout: 30_000 });
    await page.locator('#tab-train').click();
    const trees = page.locator('[data-test="train-trees"] input');
    await trees.fill('50');
    await trees.press('Tab');
    await page.locator('[data-test="train-start"]').click();
    const progress = page.locator('[data-test="retrain"] [data-test="inline-job"]');
    await progress.waitFor({ timeout: 30_000 });
    await expect.poll(() => progress.innerText(), { timeout: LONG }).toMatch(/训练流失预警模型/);
    await wb.screenshot('25-churn-training');
    await page.locator('[data-test="model-card"]').waitFor({ timeout: LONG });
    await jobsDone();
    // A plain verdict first, in the branch's terms; the statistics wait under 高级.
    expect(await page.locator('[data-test="model-verdict"]').innerText()).toMatch(/名单前10%覆盖\d+(\.\d)?%的流失客户；检验样本/);
    expect(await page.locator('[data-test="model-facts"]').innerText()).toContain('未来 3 个月');
    expect(await page.locator('[data-test="model-advanced"] .el-collapse-item__content').isVisible()).toBe(false);
    await page.locator('[data-test="model-card"] canvas').nth(1).waitFor();

    // One threshold, in percent: the card's cut-off is the settings' 流失风险高 threshold.
    expect(await page.locator('[data-test="model-cutoff"]').innerText()).toBe('50%');
    const threshold = page.locator('[data-test="threshold-value"]');
    expect(await threshold.innerText()).toBe('50%');
    const recallBefore = await page.locator('[data-test="recall"]').innerText();
    await page.locator('[data-test="threshold-slider"] .el-slider__button-wrapper').focus();
    for (let i = 0; i < 10; i += 1) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => threshold.innerText()).toBe('40%');
    const recallAfter = await page.locator('[data-test="recall"]').innerText();
    expect(parseFloat(recallAfter)).toBeGreaterThanOrEqual(parseFloat(recallBefore));
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('[data-test="confusion"]').getByRole('button', { name: '回到当前门槛' }).click();
    await expect.poll(() => threshold.innerText()).toBe('50%');
    await settle();
    await wb.screenshot('25-churn-model', { tall: true });

    await page.locator('[data-test="model-advanced"] .el-collapse-item__header').click();
    await expect.poll(() => page.locator('[data-test="model-auc"]').innerText()).toMatch(/^0\.\d{3}$/);
    expect(Number(await page.locator('[data-test="model-auc"]').innerText())).toBeGreaterThan(0.5);
    await page.locator('[data-test="model-advanced"] canvas').nth(1).waitFor();
    await page.locator('[data-test="model-advanced"] .el-collapse-item__header').click();
  });

  it('lists customers at risk, filters them and saves a selection as a segment', async () => {
    await page.locator('#tab-risk').click();
    const list = page.locator('[data-test="risk-list"]');
    await expect.poll(() => list.locator('[data-test="risk-table"] .el-table__row').count(), { timeout: 60_000 }).toBeGreaterThan(10);
    const probabilities = await list.locator('[data-test="risk-table"] .el-table__body td.col-prob').evaluateAll((cells) => cells.slice(0, 20).map((c) => parseFloat(c.textContent?.replace(/[^\d.]/g, '') ?? 'NaN')));
    expect(probabilities.every((p, i) => i === 0 || p <= probabilities[i - 1]!)).toBe(true);
    // Probabilities read as 99.9%, never 100%; the churn band is 流失风险, never 风险等级.
    expect(probabilities.every((p) => p < 100)).toBe(true);
    const text = await list.innerText();
    expect(text).toContain('流失风险');
    expect(text).not.toContain('风险等级');
    // 在险资产 says what it sums; the footnote says the assets are the 3-month average.
    expect(await list.locator('[data-test="risk-aum-at-risk"]').innerText()).toMatch(/流失风险为高的 [\d,]+ 位客户近3个月日均资产之和/);
    expect(await list.locator('[data-test="risk-footnote"]').innerText()).toContain('近3个月日均资产');
    expect(await list.locator('[data-test="risk-lost-card"]').innerText()).toMatch(/已流失 [\d,]+ 位，可挽回 [\d,]+ 位/);
    await settle();
    await wb.screenshot('26-risk-list', { tall: true });

    const total = async () => Number(((await list.locator('[data-test="risk-total"]').innerText()).match(/\/ ([\d,]+)/)?.[1] ?? 'NaN').replace(/,/g, ''));
    const all = await total();
    await choose(list.locator('[data-test="risk-tier"]'), /^大众$/);
    await page.keyboard.press('Escape');
    await expect.poll(total, { timeout: 30_000 }).toBeLessThan(all);

    const checkboxes = list.locator('[data-test="risk-table"] .el-table__body .el-checkbox');
    await checkboxes.nth(0).click();
    await checkboxes.nth(1).click();
    await checkboxes.nth(2).click();
    await page.locator('[data-test="risk-save-segment"]').click();
    await page.locator('input[data-test="risk-segment-name"]').fill('流失预警跟进（大众三人）');
    await page.locator('[data-test="risk-segment-confirm"]').click();
    await page.locator('.el-message', { hasText: '共 3 位客户' }).waitFor({ timeout: 60_000 });
    await settle();
  });

  it('opens a portrait with the churn waterfall and the tags', async () => {
    const list = page.locator('[data-test="risk-list"]');
    await list.locator('[data-test="risk-table"] .el-table__row td:nth-child(2)').first().click();
    await page.locator('[data-test="portrait-name"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-test="portrait-churn"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-test="churn-waterfall"] canvas').waitFor();
    expect(await page.locator('[data-test="portrait-churn-prob"]').innerText()).toMatch(/^\d{1,2}\.\d%$/);
    // Reasons worded as risks, each with a suggested action.
    const reasons = page.locator('[data-test="portrait-churn-reasons"] li');
    expect(await reasons.count()).toBeGreaterThan(0);
    expect(await reasons.first().innerText()).toContain('建议：');
    await page.locator('[data-test="badge-rfm"]').waitFor();
    await settle();
    await wb.screenshot('27-portrait-churn', { tall: true });
    // The customer's tags by category (the analysis computes them with the scores).
    await page.locator('[data-test="portrait-tags"] .el-tag').first().waitFor({ timeout: 10_000 });
  });

  it('made no request outside its own origin and broke no CSP rule', () => {
    expect(wb.requests.length).toBeGreaterThan(0);
    expect(foreignRequests(wb.requests, wb.origin)).toEqual([]);
    expect(wb.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(wb.consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    if (wb.consoleErrors.length > 0) console.log('console errors seen:', wb.consoleErrors);
  });
});
