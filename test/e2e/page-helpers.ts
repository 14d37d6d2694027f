/** Steps both end-to-end walks take on Element Plus screens. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Workbench } from './harness';

/** Picks an option of an Element Plus select: opens it, then clicks the visible option with that text. */
export async function choose(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  // A dropdown still closing from the previous choice is visible for its transition and holds the same
  // options: wait until it has gone, so the click lands in this select's list.
  await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  await select.click();
  const item = page.locator('.el-select-dropdown__item:visible', { hasText: option }).first();
  await item.waitFor({ state: 'visible' });
  await item.click();
}

/** Opens a screen from the left navigation. */
export async function nav(page: Page, path: string): Promise<void> {
  await page.locator(`[data-nav="${path}"]`).click();
}

/**
 * Lets charts finish animating and clears toasts, notifications and hover tooltips, so screenshots show the
 * screen itself.
 */
export async function settle(page: Page): Promise<void> {
  for (const close of await page.locator('.el-notification__closeBtn').all()) await close.click().catch(() => undefined);
  await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => undefined);
  await page.locator('.el-notification').first().waitFor({ state: 'detached', timeout: 3_000 }).catch(() => undefined);
  await page.mouse.move(2, 2);
  await page.waitForTimeout(600);
}

/**
 * Clicks an "export to Excel" button, answers the save dialog with `file`, waits for the notification that
 * names the file, and returns what was written.
 */
export async function exportThroughDialog(wb: Workbench, button: Locator, file: string): Promise<Buffer> {
  wb.dialogAnswers.push(file);
  await button.click();
  await wb.page.locator('.el-notification', { hasText: basename(file) }).waitFor({ timeout: 60_000 });
  return readFileSync(file);
}

/** Opens a workspace file from the 工作区 screen through the open dialog, and waits for its overview (the home of an open workspace). */
export async function openWorkspaceFile(wb: Workbench, path: string): Promise<void> {
  await wb.page.goto(`${wb.origin}/index.html#/workspace`);
  await wb.page.getByRole('heading', { name: '工作区' }).waitFor();
  wb.dialogAnswers.push(path);
  await wb.page.locator('[data-test="ws-open"]').click();
  await wb.page.locator('[data-test="overview-view"]').waitFor({ timeout: 60_000 });
}
