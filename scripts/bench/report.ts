/**
 * `npm run bench report`: the branch report of a 200,000-customer branch (issue #11: under 10 s, PDF
 * included), through the EngineHost as the app and the CLI run it, printed by the installed Chromium.
 *
 * On the cached demo of the analytics benchmarks (_demo-workspace.ts), analysed and churn-scored once (the
 * overview reads the latest scores), it measures:
 * - the weekly one-pager to PDF from scratch: the overview computed inside the report, Chromium starting;
 * - the overview job alone (one pass over customers, balances and holdings);
 * - the weekly one-pager again, reusing the overview the screen keeps (the usual path: the overview opens
 *   first), and once more computing the overview with Chromium warm;
 * - the monthly report to PDF, XLSX and PPTX together;
 * and, as the baseline of the same run, one plain SQL scan of the balances: the least a monthly figure
 * costs to read. A change of settings between steps makes the overview stale where a step must compute it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { EngineHost } from '../../electron/engine/host';
import { ChromiumPrinter } from '../../electron/engine/reports/render/chromium-printer';
import { cachedDemoWorkspace } from './_demo-workspace';
import { ensureScratchDir, writeResult } from './_util';

const CUSTOMERS = Number(process.env.BENCH_REPORT_CUSTOMERS ?? 200_000);
const LIMIT_SECONDS = 10;

async function timed<T>(action: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await action();
  return { seconds: Math.round((performance.now() - started) / 10) / 100, result };
}

function count(path: string, sql: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Customer analysis and a churn model with scores, once per cached workspace. */
async function ensureAnalysed(host: EngineHost, path: string): Promise<Record<string, number>> {
  const prepared: Record<string, number> = {};
  if (count(path, "SELECT count(*) AS n FROM analysis_runs WHERE kind = 'customer_analysis' AND status = 'succeeded'") === 0) {
    console.log('正在运行客户分析（仅首次）…');
    prepared.analysis_s = (await timed(() => host.runJob('analysis.run', {}))).seconds;
  }
  if (count(path, "SELECT count(*) AS n FROM analysis_runs WHERE kind = 'churn_score' AND status = 'succeeded'") === 0) {
    console.log('正在训练流失模型并打分（仅首次）…');
    prepared.churn_train_s = (await timed(() => host.runJob('churn.train', { trees: 60, laterPeriod: false }))).seconds;
    prepared.churn_score_s = (await timed(() => host.runJob('churn.score', {}))).seconds;
  }
  return prepared;
}

export default async function run(): Promise<void> {
  const { path, generatedSeconds } = cachedDemoWorkspace(CUSTOMERS);
  const out = ensureScratchDir();
  const files = (name: string) => ({ pdf: join(out, `report-${name}.pdf`), xlsx: join(out, `report-${name}.xlsx`), pptx: join(out, `report-${name}.pptx`) });

  const baseline = (() => {
    const db = new Database(path, { readonly: true });
    try {
      const started = performance.now();
      db.prepare('SELECT count(*), total(aum) FROM balances NOT INDEXED').get();
      return Math.round((performance.now() - started) / 10) / 100;
    } finally {
      db.close();
    }
  })();

  const host = new EngineHost({ printer: new ChromiumPrinter() });
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  try {
    await host.call('workspace.open', { path });
    const prepared = await ensureAnalysed(host, path);

    let flips = 0;
    const invalidate = () => host.call('settings.set', { patch: { reports: { branchName: `基准测试支行${++flips}` } } });
    const weekly = (name: string) => host.runJob('reports.export', { spec: { kind: 'branch', variant: 'weekly' }, pdf: files(name).pdf });

    await invalidate();
    console.log('一页纸周报 PDF，从头计算（含计算经营概览、启动 Chromium）…');
    const weeklyCold = await timed(() => weekly('weekly-cold'));
    console.log(`  ${weeklyCold.seconds} 秒`);
    await invalidate();
    console.log('经营概览 …');
    const overview = await timed(() => host.runJob('reports.refreshOverview', {}));
    console.log(`  ${overview.seconds} 秒`);
    console.log('一页纸周报 PDF（沿用经营概览）…');
    const weeklyWarm = await timed(() => weekly('weekly'));
    console.log(`  ${weeklyWarm.seconds} 秒`);
    await invalidate();
    console.log('一页纸周报 PDF（重新计算经营概览，Chromium 已启动）…');
    const weeklyRecompute = await timed(() => weekly('weekly-recompute'));
    console.log(`  ${weeklyRecompute.seconds} 秒`);
    console.log('月报 PDF + Excel + PPT …');
    const monthly = await timed(() => host.runJob('reports.export', { spec: { kind: 'branch', variant: 'monthly' }, ...files('monthly') }));
    console.log(`  ${monthly.seconds} 秒`);
    await host.call('settings.set', { patch: { reports: { branchName: '' } } });

    writeResult('report', {
      customers: CUSTOMERS,
      workspace: { path, generatedSeconds, ...prepared },
      limitSeconds: LIMIT_SECONDS,
      baseline: { balancesScanSeconds: baseline, what: 'SELECT count(*), total(aum) FROM balances NOT INDEXED' },
      overviewSeconds: overview.seconds,
      weeklyPdf: {
        fromScratchSeconds: weeklyCold.seconds,
        withOverviewKeptSeconds: weeklyWarm.seconds,
        recomputingOverviewSeconds: weeklyRecompute.seconds,
        pages: weeklyWarm.result.files[0]?.pages,
        bytes: weeklyWarm.result.files[0]?.bytes,
      },
      monthlyAllFormats: { seconds: monthly.seconds, files: monthly.result.files.map((f) => ({ format: f.format, bytes: f.bytes, pages: f.pages ?? f.slides ?? f.sheets?.length })) },
      withinLimit: weeklyCold.seconds < LIMIT_SECONDS,
      peakRssMb: Math.round(peakRss / 1024 / 1024),
      note: 'Measured on a shared, busy machine: indicative only; re-run quietly for the README.',
    });
  } finally {
    clearInterval(sampler);
    await host.close();
    for (const name of ['weekly-cold', 'weekly', 'weekly-recompute', 'monthly']) for (const f of Object.values(files(name))) rmSync(f, { force: true });
  }
}
