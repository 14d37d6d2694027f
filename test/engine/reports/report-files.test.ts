/**
 * Every report kind exported through the EngineHost (the same job the app and the CLI run), printed by
 * the installed Chromium, and read back with the tools a reader has: the PDF's text holds the workspace's
 * own figures, every font is embedded, every page has ink; the PPTX holds its slides and native charts;
 * the XLSX its sheets and chart pictures; each file has its audit row with its SHA-256.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatWan } from '../../../shared/glossary';
import { maskName } from '../../../shared/masking';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { EngineHost } from '../../../electron/engine/host';
import { ChromiumPrinter, chromiumExecutable } from '../../../electron/engine/reports/render/chromium-printer';
import { tempDir } from '../../support/temp';
import { createAnalysedDemo } from './support/analysed-demo';
import { pageInk, pdfFonts, pdfText, pptxParts, sha256, xlsxSheets } from './support/files';

const dir = tempDir('bpw-report-files-');
let host: EngineHost;
let db: Db;
let analysisRun: number;

const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;
const file = (name: string) => join(dir, name);

function expectPrintable(path: string): string {
  const fonts = pdfFonts(path);
  expect(fonts.length).toBeGreaterThan(0);
  expect(fonts.filter((f) => !f.embedded), 'fonts not embedded').toEqual([]);
  const ink = pageInk(path);
  expect(ink.length).toBeGreaterThan(0);
  ink.forEach((share, page) => expect(share, `page ${page + 1} is blank`).toBeGreaterThan(0.002));
  // pdftotext breaks lines where the layout does; figures are compared within lines, squeezed of spaces.
  return pdfText(path).replace(/[ \t]+/g, ' ');
}

describe.runIf(existsSync(chromiumExecutable()))('report files', () => {
  beforeAll(async () => {
    const path = await createAnalysedDemo(dir);
    db = openWorkspace(path, {});
    analysisRun = one<{ id: number }>("SELECT max(run_id) AS id FROM analysis_runs WHERE kind = 'customer_analysis' AND status = 'succeeded'").id;
    host = new EngineHost({ log: () => {}, printer: new ChromiumPrinter() });
    await host.call('workspace.open', { path });
  });
  afterAll(async () => {
    db?.close();
    await host?.close();
  });

  it('makes the Monday one-pager as PDF, XLSX and PPTX with the workspace figures, audited by SHA-256', async () => {
    const result = await host.runJob('reports.export', { spec: { kind: 'branch', variant: 'weekly' }, pdf: file('周报.pdf'), xlsx: file('周报.xlsx'), pptx: file('周报.pptx') });
    expect(result.files.map((f) => f.format)).toEqual(['pdf', 'xlsx', 'pptx']);
    const [pdf, xlsx, pptx] = result.files;
    expect(pdf!.pages).toBe(1);

    const text = expectPrintable(pdf!.path);
    const churned = one<{ n: number }>("SELECT count(*) AS n FROM customer_scores WHERE run_id = ? AND lifecycle_stage = 'churned'", analysisRun).n;
    const onBook = one<{ n: number }>('SELECT count(*) AS n FROM customers').n - churned;
    const aum = one<{ aum: number }>('SELECT total(aum_avg_3m) AS aum FROM customer_features WHERE run_id = ?', analysisRun).aum;
    const score = JSON.parse(one<{ m: string }>("SELECT metrics_json AS m FROM analysis_runs WHERE kind = 'churn_score' ORDER BY run_id DESC LIMIT 1").m) as { counts: { high: number }; aumAtRisk: number };
    expect(text).toContain(`在册客户 ${formatCount(onBook)} 人`);
    expect(text).toContain(`资产总额（近3个月日均）${formatWan(aum)} 万元`);
    expect(text).toContain(`流失高风险客户 ${formatCount(score.counts.high)} 人，在险资产 ${formatWan(score.aumAtRisk)} 万元`);
    expect(text).toContain('内部资料 注意保密');
    expect(text).toMatch(/第 ?1 ?页 ?\/ ?共 ?1 ?页/);

    const sheets = await xlsxSheets(xlsx!.path);
    expect(sheets.map((s) => s.name)).toEqual(xlsx!.sheets);
    expect(sheets.map((s) => s.name)).toEqual(['报告说明', '客户经理', '图表']);
    expect(sheets.find((s) => s.name === '图表')!.images).toBe(2);
    expect(sheets.find((s) => s.name === '客户经理')!.rows).toBeGreaterThan(5);

    const parts = await pptxParts(pptx!.path);
    expect(parts.slides).toHaveLength(pptx!.slides!);
    expect(pptx!.slides).toBe(5); // title, summary, three sections
    expect(parts.charts).toHaveLength(2);

    const audits = db.prepare("SELECT output_sha256 AS sha, params_json AS params FROM audit_log WHERE action = 'report.export' ORDER BY id").all() as { sha: string; params: string }[];
    expect(audits.map((a) => a.sha)).toEqual(result.files.map((f) => sha256(f.path)));
    expect(JSON.parse(audits[0]!.params)).toMatchObject({ kind: 'branch', format: 'pdf', pages: 1, masked: true });
    const history = await host.call('reports.history', {});
    expect(history.slice(0, 3).map((h) => [h.format, h.sha256, h.exists])).toEqual(result.files.map((f) => [f.format, f.sha256, true]).reverse());
  });

  it('makes the monthly report with every section, the full XLSX appendix and a slide per section', async () => {
    const result = await host.runJob('reports.export', { spec: { kind: 'branch' }, pdf: file('月报.pdf'), xlsx: file('月报.xlsx'), pptx: file('月报.pptx') });
    const text = expectPrintable(result.files[0]!.path);
    for (const title of ['核心指标', '客户与资产趋势', '客户经理', '客户分层与迁移', '经营指标', '社区覆盖与渗透', '客户价值', '口径说明']) expect(text).toContain(title);
    expect(result.files[1]!.sheets).toEqual(['报告说明', '客户经理', '价值层级', '经营指标', '社区', '价值_层级', '价值_客群', '图表']);
    const parts = await pptxParts(result.files[2]!.path);
    expect(parts.slides).toHaveLength(2 + 7);
    expect(parts.charts.length).toBeGreaterThanOrEqual(6);
  });

  it('prints a group portrait with its one-page comparison table and TGI', async () => {
    const rule = { field: 'value_tier', op: 'in', value: ['wealth', 'private'] } as const;
    const size = one<{ n: number }>("SELECT count(*) AS n FROM customer_scores WHERE run_id = ? AND value_tier IN ('wealth', 'private')", analysisRun).n;
    const result = await host.runJob('reports.export', { spec: { kind: 'group', rule, title: '财富及私行客户' }, pdf: file('群体.pdf'), xlsx: file('群体.xlsx') });
    const text = expectPrintable(result.files[0]!.path);
    expect(result.title).toBe('财富及私行客户');
    expect(text).toContain(`本群体 ${formatCount(size)} 人`);
    expect(text).toContain('TGI');
    expect(result.files[1]!.sheets).toContain('对比表');
  });

  it('prints the churn warning with the top at-risk customers masked as on screen', async () => {
    const result = await host.runJob('reports.export', { spec: { kind: 'churn' }, pdf: file('流失.pdf'), pptx: file('流失.pptx') });
    const text = expectPrintable(result.files[0]!.path);
    const high = one<{ n: number }>("SELECT count(*) AS n FROM customer_scores WHERE churn_band = 'high' AND churn_prob IS NOT NULL AND run_id = ?", analysisRun).n;
    expect(text).toContain(`高风险客户 ${formatCount(high)} 人`);
    const [top] = (await host.call('churn.riskList', { limit: 1 })).rows;
    const raw = one<{ name: string }>('SELECT name FROM customers WHERE customer_id = ?', top!.customer_id).name;
    expect(text).toContain(top!.customer_id);
    expect(text).toContain(maskName(raw));
    expect(text).not.toContain(raw);
    expect((await pptxParts(result.files[1]!.path)).charts.length).toBeGreaterThanOrEqual(2);
  });

  it('prints one community against the branch, and all communities ranked', async () => {
    const community = one<{ id: string; name: string; households: number }>('SELECT community_id AS id, name, households FROM communities ORDER BY community_id LIMIT 1');
    const single = await host.runJob('reports.export', { spec: { kind: 'community', id: community.id }, pdf: file('社区.pdf') });
    const text = expectPrintable(single.files[0]!.path);
    expect(text).toContain(community.name);
    expect(text).toContain(`住户 ${formatCount(community.households)} 户`);
    const all = await host.runJob('reports.preview', { spec: { kind: 'community' } });
    expect(all.html).toContain('按全行渗透率可增客户');
  });

  it('prints the campaigns the demo ran, one and all', async () => {
    const campaign = one<{ id: string; n: number; converted: number }>("SELECT campaign_id AS id, count(*) AS n, sum(outcome = 'converted') AS converted FROM campaign_responses GROUP BY 1 ORDER BY 1 LIMIT 1");
    const single = await host.runJob('reports.export', { spec: { kind: 'campaign', id: campaign.id }, pdf: file('活动.pdf') });
    const text = expectPrintable(single.files[0]!.path);
    expect(text).toContain(`名单 ${formatCount(campaign.n)} 人`);
    expect(text).toContain(`转化 ${formatCount(campaign.converted)} 人`);
    const all = await host.runJob('reports.preview', { spec: { kind: 'campaign' } });
    expect(all.sections).toEqual(['各活动结果']);
  });

  it('refuses what it cannot make with a message that says what to do, and writes nothing', async () => {
    await expect(host.runJob('reports.export', { spec: { kind: 'group' }, pdf: file('x.pdf') })).rejects.toThrow(/客群、一个标签或一条筛选规则/);
    await expect(host.runJob('reports.export', { spec: { kind: 'campaign', id: '不存在' }, pdf: file('x.pdf') })).rejects.toThrow(/找不到营销活动/);
    await expect(host.runJob('reports.export', { spec: { kind: 'branch' }, pdf: file('y.xlsx') })).rejects.toThrow(/扩展名/);
    await expect(host.runJob('reports.export', { spec: { kind: 'branch' }, pdf: file('z.pdf'), xlsx: file('no-such-folder/z.xlsx') })).rejects.toThrow(/找不到文件夹/);
    expect(existsSync(file('x.pdf'))).toBe(false);
    expect(existsSync(file('z.pdf'))).toBe(false);
  });

  it('previews the same HTML it prints, self-contained', async () => {
    const preview = await host.runJob('reports.preview', { spec: { kind: 'churn' } });
    expect(preview.html).toMatch(/^<!doctype html>/);
    expect(preview.html).not.toMatch(/(src|href)=["']?(https?:|file:|\/\/)/i);
    expect(preview.html).toContain('@font-face');
    expect(preview.sections).toEqual(['风险概况', '风险分布与原因', '重点客户名单', '按客户经理']);
  });
});
