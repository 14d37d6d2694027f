/**
 * The campaign commands as an analyst runs them on the demo: create → export → responses → evaluate, each a
 * separate process with one JSON object as the last line of stdout and exit codes 0 / 2.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp';
import { analysedDemo } from './support';
import { runCli } from '../../support/run-cli';



describe('campaign commands', () => {
  const dir = tempDir('bpw-campaign-cli-');
  let workspace: string;
  let campaignId: string;
  let workbook: string;

  beforeAll(async () => {
    workspace = await analysedDemo(dir);
  }, 300_000);

  it('creates a retention campaign from the churn warning list and reports the waterfall', async () => {
    const run = await runCli(['campaign', 'create', '--workspace', workspace, '--name', '流失挽留', '--churn-band', 'high,medium', '--goal', '挽留', '--start', '2026-12-07', '--control', '0.2', '--per-manager', '200']);
    expect(run.code, run.stderr).toBe(0);
    campaignId = String(run.json.campaign_id);
    expect(campaignId).toMatch(/^CMP\d{8}-\d{2}$/);
    const excluded = run.json.excluded as Record<string, number>;
    expect(excluded.do_not_contact).toBeGreaterThan(0);
    expect(excluded.no_consent).toBeGreaterThan(0);
    expect(Number(run.json.audience) - Object.values(excluded).reduce((s, n) => s + n, 0)).toBe(Number(run.json.target) + Number(run.json.control) + Number(run.json.over_cap));
    expect(run.stderr).toContain('排除勿扰');
  });

  it('exports the per-manager workbook, masked, with its hash', async () => {
    const run = await runCli(['campaign', 'export', '--workspace', workspace, '--campaign', campaignId, '--out', join(dir, '名单.xlsx')]);
    expect(run.code, run.stderr).toBe(0);
    workbook = String(run.json.file);
    expect(run.json).toMatchObject({ masked: true, rows: expect.any(Number) });
    expect(String(run.json.sha256)).toMatch(/^[0-9a-f]{64}$/);
    expect((run.json.sheets as string[]).length).toBeGreaterThan(1);
  });

  it('imports the filled-in workbook and evaluates the campaign against its control group', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(workbook);
    let i = 0;
    for (const sheet of book.worksheets.slice(1)) {
      sheet.eachRow((row, n) => {
        if (n > 1) row.getCell(9).value = i++ % 2 === 0 ? '已成交' : '有响应';
      });
    }
    const filled = join(dir, '回执.xlsx');
    await book.xlsx.writeFile(filled);
    const imported = await runCli(['campaign', 'responses', '--workspace', workspace, '--campaign', campaignId, '--file', filled]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json.rows_loaded).toBe(i);

    const run = await runCli(['campaign', 'evaluate', '--workspace', workspace, '--campaign', campaignId]);
    expect(run.code, run.stderr).toBe(0);
    const target = run.json.target as { n: number; converted: number; rate: number };
    const control = run.json.control as { n: number; converted: number; rate: number };
    expect(target.n).toBe(i);
    expect(target.converted).toBe(Math.ceil(i / 2));
    expect(control.converted).toBe(0);
    expect(run.json.uplift).toBeCloseTo(target.rate, 10);
    expect((run.json.ci95 as number[])[0]).toBeGreaterThan(0);
    expect(String(run.json.verdict)).toContain('效果显著');
  });

  it('rejects an audience given twice with exit code 2 and says what to do', async () => {
    const run = await runCli(['campaign', 'create', '--workspace', workspace, '--name', 'x', '--tag', 'a', '--community', 'b']);
    expect(run.code).toBe(2);
    expect(String((run.json.error as { message: string }).message)).toContain('请用且只用一个参数指定受众');
  });
});
