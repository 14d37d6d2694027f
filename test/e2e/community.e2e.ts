/**
 * The analyst's walk through community marketing (issue #12) in Debian's Chromium against a real engine,
 * on a copy of the analysed 2,000-customer demo (its analysis includes the community snapshot):
 * the ranking of all twelve communities with the components of the score → the grid map coloured by
 * penetration → three communities compared → the manager view → a community's portrait with its gaps,
 * suggestions and history, and a suggestion handed to the campaign wizard → next month's plan previewed with
 * its reasons, then saved → a past event's evaluation against a goal set on it → the capacity changed in
 * the settings and the plan following it. Screenshots go to test/e2e/screenshots/5x-*.png; no request may
 * leave the page's origin.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { analysedDemoWalk } from './analysed-walk';
import { foreignRequests, type Workbench } from './harness';
import { choose as chooseOption, nav as navigate, settle as settlePage } from './page-helpers';

const walk = analysedDemoWalk('community');
let wb: Workbench;
let page: Page;
beforeAll(() => {
  ({ wb, page } = walk);
});

const LONG = 120_000;
const choose = (select: Locator, option: string | RegExp) => chooseOption(page, select, option);
const settle = () => settlePage(page);
const tab = (name: string) => page.locator(`#tab-${name}`).click();

/** Waits until every job started from the page has finished. */
async function jobsDone(timeout = LONG): Promise<void> {
  await page.locator('[data-test="jobs-panel"]').waitFor({ state: 'detached', timeout });
}

describe('community marketing walk', () => {
  it('ranks all twelve communities with the components of the score and their suggestions', async () => {
    await navigate(page, '/community');
    await page.locator('[data-test="community-asof"]').waitFor({ timeout: LONG });
    expect(await page.locator('[data-test="community-asof"]').innerText()).toContain('2026-10-31');
    const table = page.locator('[data-test="community-table"]');
    await expect.poll(() => table.locator('.el-table__body-wrapper .el-table__row').count()).toBe(12);
    const text = await table.innerText();
    for (const name of ['东门老街社区', '南湖大学城社区', '中山路商圈社区', '石岗村社区']) expect(text).toContain(name);
    expect(text).not.toContain('其他');
    expect(text).toContain('拓户机会');
    expect(text).toMatch(/养老金融讲座|反诈宣传讲座/);
    expect(text).toContain('校园金融课与青年信用卡');
    await settle();
    await wb.screenshot('50-community-ranking', { tall: true });
  });

  it('draws the grid map from the coordinates, coloured by the chosen measure', async () => {
    await tab('map');
    const map = page.locator('[data-test="community-map"]');
    await expect.poll(() => map.locator('[data-community]').count()).toBe(12);
    await choose(map.locator('[data-test="map-metric"]'), '渗透率');
    await expect.poll(() => map.locator('[data-test="map-legend"]').innerText()).toContain('渗透率');
    expect(await map.locator('.grid-name').allTextContents()).toEqual(expect.arrayContaining(['东门网格', '高新网格', '文华网格']));
    await settle();
    await wb.screenshot('51-community-map');
  });

  it('compares three communities on a radar and side by side with the branch', async () => {
    await tab('compare');
    const compare = page.locator('[data-test="community-compare"]');
    await compare.locator('canvas').first().waitFor();
    const table = compare.locator('[data-test="compare-table"]');
    await expect.poll(() => table.locator('thead th').count()).toBe(5);
    expect(await table.innerText()).toContain('全行');
    await settle();
    await wb.screenshot('52-community-compare', { tall: true });
  });

  it('shows the same measures per relationship manager and per grid', async () => {
    await tab('managers');
    const rollup = page.locator('[data-test="community-rollup"]');
    await expect.poll(() => rollup.locator('.el-table__body-wrapper .el-table__row').count()).toBeGreaterThanOrEqual(20);
    expect(await rollup.innerText()).toContain('刘建华');
    await settle();
    await wb.screenshot('53-community-managers');
    await rollup.locator('[data-test="rollup-scope"]').getByText('按网格').click();
    await expect.poll(() => rollup.locator('.el-table__body-wrapper .el-table__row').count()).toBe(6);
  });

  it('opens a community portrait with its gaps, suggestions and history, and hands a suggestion to campaigns', async () => {
    await tab('map');
    await page.locator('[data-community="SQ001"]').click();
    await expect.poll(() => page.locator('[data-test="community-portrait-name"]').innerText(), { timeout: 30_000 }).toBe('东门老街社区');
    const suggestions = page.locator('[data-test="suggestion"]');
    await expect.poll(() => suggestions.count()).toBeGreaterThanOrEqual(3);
    const reasons = await page.locator('[data-test="suggestion-reason"]').allInnerTexts();
    expect(reasons.join('\n')).toMatch(/60岁以上客户占比 \d+\.\d%，全行 \d+\.\d%；个人养老金持有率 \d+\.\d%，全行 \d+\.\d%/);
    expect(await page.locator('[data-test="opportunity-card"]').innerText()).toContain('未覆盖住户');
    await expect.poll(() => page.locator('[data-test="gaps-table"] .el-table__row').count()).toBeGreaterThan(5);
    await expect.poll(() => page.locator('[data-test="portrait-activities"] .el-table__body-wrapper .el-table__row').count()).toBeGreaterThan(5);
    expect(await page.locator('[data-test="portrait-activities"]').innerText()).toContain('接触记录');
    await settle();
    await wb.screenshot('54-community-portrait', { tall: true });

    await suggestions.first().locator('[data-test="suggestion-campaign"]').click();
    await expect.poll(() => page.url()).toContain('#/campaigns');
    await page.goBack();
    await page.locator('[data-test="community-portrait"]').waitFor();
  });

  it('previews next month’s plan with its reasons, then saves it into the calendar', async () => {
    await navigate(page, '/community');
    await tab('plan');
    const plan = page.locator('[data-test="community-plan"]');
    await plan.locator('[data-test="plan-preview"]').click();
    await jobsDone();
    const draft = plan.locator('[data-test="plan-draft"]');
    await expect.poll(() => draft.locator('.el-table__row').count()).toBeGreaterThan(3);
    expect(await draft.innerText()).toContain('2026-11');
    expect(await plan.locator('[data-test="plan-skipped"]').innerText()).toMatch(/不足 45 天|已满/);
    expect(await plan.locator('.entry.preview').count()).toBeGreaterThan(3);
    await settle();
    await wb.screenshot('55-community-plan-preview', { tall: true });

    await plan.locator('[data-test="plan-save"]').click();
    await jobsDone();
    const saved = plan.locator('[data-test="plan-activities"]');
    await expect.poll(() => saved.locator('.el-table__body-wrapper .el-table__row').count()).toBeGreaterThan(3);
    expect(await saved.innerText()).toContain('月度计划');
    expect(await plan.locator('.entry.planned').count()).toBeGreaterThan(3);
    await settle();
    await wb.screenshot('56-community-plan', { tall: true });
  });

  it('evaluates a past event against a goal set on it', async () => {
    const plan = page.locator('[data-test="community-plan"]');
    const month = plan.locator('.el-date-editor input').first();
    await month.fill('2026-09');
    await month.press('Enter');
    const list = plan.locator('[data-test="plan-activities"]');
    await expect.poll(() => list.innerText(), { timeout: 30_000 }).toContain('2026-09');
    await list.locator('[data-test="activity-edit"]').first().click();
    const dialog = page.locator('[data-test="activity-dialog"]');
    await dialog.locator('[data-test="dialog-goal-signups"] input').fill('12');
    await dialog.locator('[data-test="dialog-goal-accounts"] input').fill('3');
    await dialog.locator('[data-test="dialog-save"]').click();
    await expect.poll(() => list.locator('[data-test="activity-evaluation"]').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/参加 \d+ 人（目标 12 人）/)]));
    await settle();
    await wb.screenshot('57-community-evaluation', { tall: true });
  });

  it('follows a capacity changed in the settings', async () => {
    await tab('settings');
    const settings = page.locator('[data-test="community-settings"]');
    await settings.locator('[data-test="settings-capacity"] input').fill('1');
    await settings.locator('[data-test="settings-capacity"] input').press('Tab');
    await expect.poll(() => settings.locator('[data-test="rule-table"] .el-table__row').count()).toBeGreaterThanOrEqual(12);
    await settle();
    await wb.screenshot('58-community-settings', { tall: true });
    await settings.locator('[data-test="settings-save"]').click();
    await page.locator('.el-message', { hasText: '已保存' }).waitFor();

    await tab('plan');
    const plan = page.locator('[data-test="community-plan"]');
    const month = plan.locator('.el-date-editor input').first();
    await month.fill('2026-12');
    await month.press('Enter');
    await plan.locator('[data-test="plan-preview"]').click();
    await jobsDone();
    const loads = await plan.locator('[data-test="plan-capacity"] .el-tag').allInnerTexts();
    expect(loads.length).toBeGreaterThan(0);
    for (const load of loads) expect(load).toMatch(/ 1\/1 场$/);
    await settle();
    await wb.screenshot('59-community-plan-capacity');
  });

  it('made no request outside its own origin and broke no CSP rule', () => {
    expect(wb.requests.length).toBeGreaterThan(0);
    expect(foreignRequests(wb.requests, wb.origin)).toEqual([]);
    expect(wb.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(wb.consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    if (wb.consoleErrors.length > 0) console.log('console errors seen:', wb.consoleErrors);
  });
});
