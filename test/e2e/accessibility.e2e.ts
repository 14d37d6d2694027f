/**
 * Accessibility and density over every screen of the workbench (issue #14), on the analysed demo:
 * axe-core (WCAG 2 A/AA: contrast, labels, names, roles) finds no serious or critical violation; the base
 * text is 14px and no visible text is under 12px; every query form field has a visible label.
 * No request may leave the page's origin.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { analysedDemoWalk } from './analysed-walk';
import { axeViolations, type AxeViolation } from './axe';
import { foreignRequests, type Workbench } from './harness';
import { settle as settlePage } from './page-helpers';

const walk = analysedDemoWalk('accessibility');
let wb: Workbench;
let page: Page;
beforeAll(() => {
  ({ wb, page } = walk);
});
const settle = () => settlePage(page);

/** What each screen showed axe, by screen. */
const found: Record<string, AxeViolation[]> = {};

/** Text under 12px that a person would read: visible elements with their own text. */
async function smallText(): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!own) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none' || el.getClientRects().length === 0) continue;
      if (parseFloat(style.fontSize) < 12) out.push(`${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').trim().slice(0, 30)} (${style.fontSize})`);
    }
    return out.slice(0, 20);
  });
}

/** Runs the checks on the screen as it stands and remembers what axe found. */
async function check(screen: string): Promise<void> {
  await settle();
  found[screen] = await axeViolations(page);
  expect.soft(await smallText(), `${screen}: text under 12px`).toEqual([]);
}

/** Opens a screen from the navigation and waits for its title. */
async function open(path: string): Promise<void> {
  await page.locator(`[data-nav="${path}"]`).click();
  await page.locator('.page-title, [data-test="page-title"]').first().waitFor({ timeout: 30_000 });
  await page.waitForLoadState('networkidle').catch(() => undefined);
}

describe('accessibility walk', () => {
  it('sets the base text at 14px', async () => {
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('14px');
  });

  it('passes axe-core on every screen of the navigation', async () => {
    const paths = await page.locator('nav [data-nav]').evaluateAll((links) => links.map((a) => a.getAttribute('data-nav') ?? ''));
    expect(paths.length).toBeGreaterThan(12);
    for (const path of paths) {
      await open(path);
      // Lists and charts fill in after the title.
      await page.locator('.el-table__row, .el-table-v2__row, canvas, .el-empty, .el-result').first().waitFor({ timeout: 30_000 }).catch(() => undefined);
      await check(path);
    }
  });

  it('passes axe-core on the tabs, the query form opened up and the portrait', async () => {
    await open('/tiers');
    for (const tab of ['#tab-migration', '#tab-rfm']) {
      if ((await page.locator(tab).count()) === 0) continue;
      await page.locator(tab).click();
      await page.locator('canvas').first().waitFor({ timeout: 30_000 });
      await check(`/tiers ${tab}`);
    }
    await open('/churn');
    for (const tab of ['#tab-risk', '#tab-lost', '#tab-train']) {
      await page.locator(tab).click();
      await page.waitForTimeout(800);
      await check(`/churn ${tab}`);
    }
    await open('/tags');
    if ((await page.locator('#tab-builder').count()) > 0) {
      await page.locator('#tab-builder').click();
      await check('/tags #tab-builder');
    }
    await open('/customers');
    await page.locator('[data-test="customer-table"] .el-table-v2__row').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-test="query-more"]').click();
    await page.locator('[data-test="filter-add"]').click();
    await check('/customers 更多条件');
    // Every field of the query form carries a visible label.
    const unlabelled = await page.locator('[data-test="customer-query"] .el-form-item').evaluateAll((items) =>
      items.filter((i) => i.querySelector('input') && !(i.querySelector('.el-form-item__label')?.textContent ?? '').trim()).length,
    );
    expect(unlabelled).toBe(0);
    await page.locator('[data-test="customer-table"] .el-table-v2__main .el-table-v2__row').first().click();
    await page.locator('[data-test="portrait-name"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-test="portrait-view"] canvas').first().waitFor();
    await check('portrait');
  });

  it('finds no serious or critical violation anywhere', () => {
    const report = Object.entries(found)
      .filter(([, violations]) => violations.length > 0)
      .map(([screen, violations]) => `${screen}: ${violations.map((v) => `${v.id} (${v.impact}) ${v.nodes.map((n) => n.target).join(' | ')}`).join('; ')}`);
    expect(Object.keys(found).length).toBeGreaterThan(15);
    expect(report).toEqual([]);
  });

  it('made no request outside its own origin', () => {
    expect(foreignRequests(wb.requests, wb.origin)).toEqual([]);
    expect(wb.consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
