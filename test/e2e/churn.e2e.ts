/**
 * The churn warning as a branch analyst uses it on the analysed demo (issue #13 §1, #14): customers already
 * lost are not on the warning list but on a win-back list of their own (已流失 / 可挽回), each with what
 * happened and what to do; the portrait of such a customer says so; the risk list sorts by 预期流失资产; the
 * 流失风险高 threshold is one number in percent, adopted from the model card into the settings.
 * Screenshots 28-29; no request may leave the page's origin.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { analysedDemoWalk } from './analysed-walk';
import { foreignRequests, type Workbench } from './harness';
import { nav as navigate, settle as settlePage } from './page-helpers';

const walk = analysedDemoWalk('churn');
let wb: Workbench;
let page: Page;
beforeAll(() => {
  ({ wb, page } = walk);
});

const nav = (path: string) => navigate(page, path);
const settle = () => settlePage(page);
const number = (text: string) => Number(text.replace(/[^\d]/g, ''));

describe('churn walk', () => {
  it('sorts the risk list by 预期流失资产 and counts the lost customers apart', async () => {
    await nav('/churn');
    await page.locator('#tab-risk').click();
    const list = page.locator('[data-test="risk-list"]');
    await expect.poll(() => list.locator('[data-test="risk-table"] .el-table__row').count(), { timeout: 60_000 }).toBeGreaterThan(10);
    const lostCard = await list.locator('[data-test="risk-lost-card"]').innerText();
    expect(lostCard).toMatch(/已流失 [\d,]+ 位，可挽回 [\d,]+ 位/);
    const header = list.locator('[data-test="risk-table"] th', { hasText: '预期流失资产(万元)' });
    await header.locator('.caret-wrapper').click();
    await expect.poll(async () => {
      const values = await list.locator('[data-test="risk-table"] .el-table__body tr').evaluateAll((rows) => rows.slice(0, 10).map((r) => parseFloat(r.lastElementChild?.textContent?.replace(/,/g, '') ?? 'NaN')));
      return values.length === 10 && values.every((v, i) => i === 0 || v <= values[i - 1]!);
    }, { timeout: 30_000 }).toBe(true);
  });

  it('lists the lost customers apart, 已流失 and 可挽回, with what happened and what to do', async () => {
    await page.locator('[data-test="risk-lost-card"]').click();
    const lost = page.locator('[data-test="lost-list"]');
    await expect.poll(() => lost.locator('[data-test="lost-table"] .el-table__row').count(), { timeout: 30_000 }).toBeGreaterThan(10);
    const gone = number(await lost.locator('[data-test="lost-gone"] .stat-value').innerText());
    const recoverable = number(await lost.locator('[data-test="lost-recoverable"] .stat-value').innerText());
    expect(gone).toBeGreaterThan(0);
    expect(recoverable).toBeGreaterThan(0);
    expect(await lost.locator('[data-test="lost-total"]').innerText()).toContain(`/ ${(gone + recoverable).toLocaleString('en-US')} 位`);
    await lost.locator('[data-test="lost-recoverable"]').click();
    await expect.poll(() => lost.locator('[data-test="lost-total"]').innerText(), { timeout: 30_000 }).toContain(`/ ${recoverable.toLocaleString('en-US')} 位`);
    const first = lost.locator('[data-test="lost-table"] .el-table__row').first();
    expect(await first.innerText()).toMatch(/天没有主动交易/);
    expect(await first.innerText()).toContain('唤醒');
    // Names are masked.
    expect(await lost.locator('[data-test="lost-table"] .el-table__body').innerText()).toMatch(/\*/);
    await settle();
    await wb.screenshot('28-churn-lost', { tall: true });

    // The portrait of a lost customer says he is not in the warning, with the win-back action.
    await first.locator('td').nth(1).click();
    await page.locator('[data-test="portrait-churn-lost"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-test="portrait-churn-lost"]').innerText()).toContain('不在流失预警范围内');
  });

  it('adopts another 流失风险高 threshold from the model card, in percent, and the list follows', async () => {
    await nav('/churn');
    await page.locator('#tab-model').click();
    await page.locator('[data-test="model-card"]').waitFor({ timeout: 30_000 });
    const threshold = page.locator('[data-test="threshold-value"]');
    expect(await threshold.innerText()).toBe('50%');
    await page.locator('[data-test="threshold-slider"] .el-slider__button-wrapper').focus();
    for (let i = 0; i < 20; i += 1) await page.keyboard.press('ArrowLeft');
    await expect.poll(() => threshold.innerText()).toBe('30%');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('[data-test="model-advanced"] .el-collapse-item__header').click();
    await page.locator('[data-test="model-advanced"] canvas').nth(1).waitFor();
    await settle();
    await wb.screenshot('29-churn-threshold', { tall: true });

    await page.locator('[data-test="threshold-adopt"]').click();
    await page.locator('.el-message', { hasText: '已把“流失风险高”的门槛设为 30%' }).waitFor({ timeout: 120_000 });
    await expect.poll(() => page.locator('[data-test="model-cutoff"]').innerText()).toBe('30%');
    await page.locator('#tab-risk').click();
    await expect.poll(() => page.locator('[data-test="risk-band-high"]').innerText(), { timeout: 30_000 }).toContain('流失风险高（≥ 30%）');
    await nav('/settings');
    await expect.poll(() => page.locator('[data-test="settings-band-note"]').isVisible()).toBe(true);
    const high = await page.locator('.el-form-item', { hasText: '流失风险高：流失概率不低于' }).locator('input').inputValue();
    expect(Number(high)).toBe(30);
  });

  it('made no request outside its own origin and broke no CSP rule', () => {
    expect(wb.requests.length).toBeGreaterThan(0);
    expect(foreignRequests(wb.requests, wb.origin)).toEqual([]);
    expect(wb.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(wb.consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
