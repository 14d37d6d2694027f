/**
 * The analyst's Monday (issue #11) in Debian's Chromium against a real engine that prints with Chromium:
 * a fresh workspace opens on the overview's checklist; the analysed demo opens on the overview with its
 * KPIs; 生成周报 makes the one-pager as PDF, XLSX and PPTX in three clicks; the report screen previews
 * the monthly report, a group portrait (reached from the group portrait screen) and the churn warning
 * (from the churn screen); the history lists the files. The page images of every kind go to
 * test/e2e/screenshots/reports/, the screens to 60-66; no request may leave the page's origin.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReportSpec } from '../../shared/reports';
import { EngineHost } from '../../electron/engine/host';
import { ChromiumPrinter } from '../../electron/engine/reports/render/chromium-printer';
import { copyAnalysedDemo } from './demo-fixture';
import { foreignRequests, launchWorkbench, screenshotDir, tmpRoot, type Workbench } from './harness';
import { nav as navigate, openWorkspaceFile, settle as settlePage } from './page-helpers';

const runDir = join(tmpRoot, `reports-${process.pid}-${Date.now()}`);
const pagesDir = join(screenshotDir, 'reports');
let wb: Workbench;
let page: Page;
let host: EngineHost;
let demo: string;

const LONG = 300_000;
const nav = (path: string) => navigate(page, path);
const settle = () => settlePage(page);

/** Saves each page of a PDF as reports/<name>-<n>.png (60 dpi, enough to read a page in the README). */
function pageImages(pdf: string, name: string): string[] {
  mkdirSync(pagesDir, { recursive: true });
  for (const old of readdirSync(pagesDir).filter((f) => f.startsWith(`${name}-`))) rmSync(join(pagesDir, old));
  execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(pagesDir, name)]);
  // pdftoppm numbers pages with as many digits as the last page needs; keep them plain (branch-1.png).
  const made = readdirSync(pagesDir).filter((f) => f.startsWith(`${name}-`)).sort();
  return made.map((f) => {
    const plain = f.replace(/-0+(\d)/, '-$1');
    if (plain !== f) renameSync(join(pagesDir, f), join(pagesDir, plain));
    return join(pagesDir, plain);
  });
}

async function waitJobs(): Promise<void> {
  await page.locator('[data-test="jobs-panel"]').waitFor({ state: 'detached', timeout: LONG });
}

describe('reports walk', () => {
  beforeAll(async () => {
    mkdirSync(runDir, { recursive: true });
    demo = copyAnalysedDemo(runDir);
    host = new EngineHost({ printer: new ChromiumPrinter() });
    wb = await launchWorkbench({ recentFile: join(runDir, 'recent.json'), engine: host });
    page = wb.page;
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !page) return;
    const dir = join(tmpRoot, 'failures');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `reports-${ctx.task.name.slice(0, 40).replace(/[^\w\u4e00-\u9fff]+/g, '_')}.png`) }).catch(() => undefined);
  });

  afterAll(async () => {
    await wb?.close();
    rmSync(runDir, { recursive: true, force: true });
  });

  it('opens a fresh workspace on the overview with its first steps', async () => {
    await page.goto(`${wb.origin}/index.html#/workspace`);
    await page.getByRole('heading', { name: '工作区' }).waitFor();
    wb.dialogAnswers.push(join(runDir, '新支行.bpw'));
    await page.locator('[data-test="ws-create"]').click();
    await page.locator('[data-test="overview-view"]').waitFor({ timeout: 60_000 });
    const checklist = page.locator('[data-test="overview-checklist"]');
    await expect.poll(() => checklist.innerText()).toContain('导入数据');
    expect(await checklist.innerText()).toMatch(/导入数据[\s\S]*运行客户分析[\s\S]*训练流失模型[\s\S]*流失打分[\s\S]*产品匹配/);
    expect(await checklist.locator('li.done').count()).toBe(0);
    await settle();
    await wb.screenshot('60-overview-new');
  });

  it('opens the analysed demo on the overview with its KPIs, trends and managers', async () => {
    await openWorkspaceFile(wb, demo);
    await page.locator('[data-kpi="customers"]').waitFor({ timeout: LONG });
    await waitJobs();
    const db = new Database(demo, { readonly: true });
    const churned = (db.prepare("SELECT count(*) AS n FROM customer_scores s WHERE s.run_id = (SELECT max(run_id) FROM analysis_runs WHERE kind = 'customer_analysis') AND lifecycle_stage = 'churned'").get() as { n: number }).n;
    db.close();
    const onBook = (2000 - churned).toLocaleString('zh-CN');
    await expect.poll(() => page.locator('[data-kpi="customers"] .kpi-value').innerText()).toBe(onBook);
    expect(await page.locator('[data-test="overview-population"]').innerText()).toContain('客户总数 2,000 人');
    expect(await page.locator('[data-kpi="aum_total"]').innerText()).toContain('资产总额(万元)');
    expect(await page.locator('[data-kpi="customers"]').innerText()).toMatch(/较上月 [▲▼]?[+−]?\d/);
    await expect.poll(() => page.locator('[data-kpi="customers"] canvas').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-test="overview-managers"] .el-table__row').count()).toBeGreaterThan(5);
    // The checklist shows while a step is left (product matching is another screen's work).
    await settle();
    await wb.screenshot('61-overview', { tall: true });
  });

  it('makes the Monday one-pager as PDF, Excel and slides in three clicks', async () => {
    const pdf = join(runDir, '示范支行一页纸周报.pdf');
    await page.locator('[data-test="overview-weekly"]').click(); // 1
    const dialog = page.locator('[data-test="report-export-dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('.el-checkbox.is-checked').count()).toBe(3);
    await settle();
    await wb.screenshot('62-report-export');
    wb.dialogAnswers.push(pdf);
    await page.locator('[data-test="report-export-run"]').click(); // 2, and 3 is the save dialog
    await page.locator('[data-test="report-exported"]').waitFor({ timeout: LONG });
    expect(await page.locator('[data-test="report-exported"]').innerText()).toContain('已导出 3 个文件');
    for (const ext of ['pdf', 'xlsx', 'pptx']) expect(existsSync(pdf.replace(/pdf$/, ext)), ext).toBe(true);
    const saveRequest = wb.dialogRequests.find((r) => r.channel === 'app.saveFileDialog' && JSON.stringify(r.payload).includes('一页纸周报'));
    expect(saveRequest).toBeDefined();
    expect(pageImages(pdf, 'branch-weekly')).toHaveLength(1);
  });

  it('previews the monthly report in the window and lists it once exported', async () => {
    await nav('/reports');
    await page.locator('[data-test="reports-view"]').waitFor();
    await page.locator('[data-kind="branch"]').click();
    await page.locator('[data-test="report-variant"]').getByText('月报').click();
    await page.locator('[data-test="report-preview-run"]').click();
    const frame = page.frameLocator('[data-test="report-frame"]');
    await frame.locator('h1').waitFor({ timeout: LONG });
    expect(await frame.locator('h1').innerText()).toContain('支行经营月报');
    expect(await frame.locator('section[data-section="managers"]').count()).toBe(1);
    await settle();
    await wb.screenshot('63-reports-preview');
  });

  it('makes a group report from the group portrait screen', async () => {
    const db = new Database(demo, { readonly: true });
    const tag = db.prepare("SELECT t.tag_id AS id, t.name FROM tags t JOIN customer_tags c ON c.tag_id = t.tag_id GROUP BY t.tag_id ORDER BY count(*) DESC LIMIT 1").get() as { id: string; name: string };
    db.close();
    await page.goto(`${wb.origin}/index.html#/groups?tag=${encodeURIComponent(tag.id)}`);
    await page.locator('[data-test="group-make-report"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-test="group-make-report"]').click();
    const frame = page.frameLocator('[data-test="report-frame"]');
    await frame.locator('h1').waitFor({ timeout: LONG });
    expect(await frame.locator('h1').innerText()).toContain(tag.name);
    expect(await frame.locator('table[data-table="comparison"]').innerText()).toContain('TGI');
    await settle();
    await wb.screenshot('64-reports-group');
  });

  it('makes the churn warning report from the churn screen', async () => {
    await nav('/churn');
    await page.locator('[data-test="churn-make-report"]').click();
    const frame = page.frameLocator('[data-test="report-frame"]');
    await frame.locator('h1').waitFor({ timeout: LONG });
    expect(await frame.locator('h1').innerText()).toBe('流失预警报告');
    expect(await frame.locator('table[data-table="risk-list"] tbody tr').count()).toBeGreaterThan(5);
    await settle();
    await wb.screenshot('65-reports-churn');
  });

  it('lists every exported file in the history, with its fingerprint and folder', async () => {
    await page.getByRole('tab', { name: '报告历史' }).click();
    const history = page.locator('[data-test="report-history"]');
    await expect.poll(() => history.locator('.el-table__row').count()).toBe(3);
    expect(await history.innerText()).toContain('一页纸周报');
    await history.locator('[data-test="report-reveal"]').first().click();
    await settle();
    await wb.screenshot('66-reports-history');
  });

  it('prints every kind; the page images go to screenshots/reports', async () => {
    const db = new Database(demo, { readonly: true });
    const community = (db.prepare('SELECT community_id AS id FROM communities ORDER BY households DESC LIMIT 1').get() as { id: string }).id;
    const campaign = (db.prepare('SELECT campaign_id AS id FROM campaign_responses GROUP BY 1 ORDER BY count(*) DESC LIMIT 1').get() as { id: string }).id;
    db.close();
    const kinds: [string, ReportSpec][] = [
      ['branch-monthly', { kind: 'branch', variant: 'monthly' }],
      ['group', { kind: 'group', rule: { field: 'value_tier', op: 'in', value: ['wealth', 'private'] }, title: '财富及私行客户' }],
      ['community', { kind: 'community', id: community }],
      ['campaign', { kind: 'campaign', id: campaign }],
      ['churn', { kind: 'churn' }],
    ];
    for (const [name, spec] of kinds) {
      const result = await host.runJob('reports.export', { spec, pdf: join(runDir, `${name}.pdf`) });
      const images = pageImages(result.files[0]!.path, name);
      expect(images.length, name).toBe(result.files[0]!.pages);
    }
  });

  it('made no request outside its own origin and broke no CSP rule', () => {
    expect(foreignRequests(wb.requests, wb.origin)).toEqual([]);
    expect(wb.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(wb.consoleErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
