/**
 * Reports on the real Berka data (PKDD'99) through the command line, as an analyst runs it: a separate
 * process, one JSON object as the last line of stdout, exit 0 or 2. Berka has clients, accounts, loans and
 * cards but no balances, transactions, churn model or campaigns here, so the branch, group and community
 * (district) reports are made and the churn and campaign reports are refused with what to do first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../../electron/engine/host';
import { ChromiumPrinter, chromiumExecutable } from '../../../electron/engine/reports/render/chromium-printer';
import { tempDir } from '../../support/temp';
import { datasetsDir } from './support/analysed-demo';
import { pageInk, pdfFonts, pdfText, sha256 } from './support/files';
import { runCli } from '../../support/run-cli';

const berka = join(datasetsDir(), 'berka-pkdd99');
const dir = tempDir('bpw-berka-reports-');
const workspace = join(dir, 'berka.bpw');


let host: EngineHost;

describe.runIf(existsSync(join(berka, 'client.asc')) && existsSync(chromiumExecutable()))('reports on Berka', () => {
  beforeAll(async () => {
    host = new EngineHost({ log: () => {}, printer: new ChromiumPrinter() });
    await host.call('workspace.create', { path: workspace });
    await host.runJob('import.recipe', { recipe: 'berka', dir: berka });
    await host.runJob('analysis.run', {});
  });
  afterAll(async () => {
    await host?.close();
  });

  it('makes the district report and a group portrait, with no balances, in the engine', async () => {
    const district = await host.runJob('reports.export', { spec: { kind: 'community', id: '1' }, pdf: join(dir, 'praha.pdf') });
    expect(pdfText(district.files[0]!.path)).toContain('Praha');
    expect(pdfFonts(district.files[0]!.path).every((f) => f.embedded)).toBe(true);
    const group = await host.runJob('reports.export', { spec: { kind: 'group', rule: { field: 'gender', op: '=', value: 'F' }, title: '女性客户' }, xlsx: join(dir, 'women.xlsx') });
    expect(group.files[0]!.sheets).toContain('对比表');
  });

  it('makes the branch report from the command line and says the files it wrote', async () => {
    const branch = await runCli(['report', '--workspace', workspace, '--kind', 'branch', '--out', join(dir, 'berka.pdf'), '--pptx', join(dir, 'berka.pptx')]);
    expect(branch.code, branch.stderr).toBe(0);
    const files = branch.json.files as { format: string; path: string; sha256: string; pages?: number; slides?: number }[];
    expect(files.map((f) => f.format)).toEqual(['pdf', 'pptx']);
    expect(files[0]!.sha256).toBe(sha256(files[0]!.path));
    expect(files[0]!.pages).toBeGreaterThanOrEqual(2);
    expect(pdfFonts(files[0]!.path).every((f) => f.embedded)).toBe(true);
    expect(pageInk(files[0]!.path).every((ink) => ink > 0.002)).toBe(true);
    expect(pdfText(files[0]!.path).replace(/\s+/g, ' ')).toContain('在册客户 5,3');
  }, 300_000);

  it('refuses the churn report from the command line with exit code 2 and what to run first', async () => {
    const churn = await runCli(['report', '--workspace', workspace, '--kind', 'churn', '--out', join(dir, 'churn.pdf')]);
    expect(churn.code).toBe(2);
    expect(churn.json).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(churn.stderr).toContain('请先在“流失预警”中训练模型并为客户打分');
    expect(existsSync(join(dir, 'churn.pdf'))).toBe(false);
    await expect(host.runJob('reports.export', { spec: { kind: 'campaign' }, pdf: join(dir, 'campaign.pdf') })).rejects.toThrow(/还没有营销活动/);
  }, 300_000);
});
