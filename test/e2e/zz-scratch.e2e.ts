import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { axeViolations } from './axe';
import { copyAnalysedDemo } from './demo-fixture';
import { launchWorkbench, tmpRoot, type Workbench } from './harness';
import { nav, openWorkspaceFile, settle } from './page-helpers';

const runDir = join(tmpRoot, `scratch-${process.pid}`);
const shots = join(tmpRoot, 'scratch-shots');
let wb: Workbench;

describe('scratch', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    wb = await launchWorkbench({ recentFile: join(runDir, 'recent.json') });
    await openWorkspaceFile(wb, copyAnalysedDemo(runDir));
  });
  afterAll(async () => wb?.close());

  it('looks', async () => {
    const page = wb.page;
    await nav(page, '/customers');
    await page.locator('[data-test="customer-table"] .el-table-v2__row').first().waitFor({ timeout: 60_000 });
    await settle(page);
    await page.screenshot({ path: join(shots, 'customers.png') });
    console.log(JSON.stringify(await axeViolations(page), null, 1));
    await page.locator('[data-test="customer-table"] .el-table-v2__row').first().click();
    await page.locator('[data-test="portrait-name"]').waitFor({ timeout: 30_000 });
    await settle(page);
    await page.screenshot({ path: join(shots, 'portrait.png'), fullPage: true });
    console.log(JSON.stringify(await axeViolations(page), null, 1));
  });
});
