/**
 * Tags, group portraits and K-means segmentation (issue #4) on a demo branch of 200,000 customers:
 * - all system tags of one run (computeTags) in a few seconds (target 5 s);
 * - a group portrait in at most a few hundred ms per dimension (target 300 ms × dimensions);
 * - K-means with k given and with k suggested over 2..10 on a 20,000-customer sample.
 *
 *   npm run bench tags-segments [-- --customers=20000] [--runs=3]
 *
 * The demo workspace is cached in bench/tmp/tags-segments-N.bpw (a file of its own, so that it never
 * competes with another benchmark's), and a customer analysis is run in it first when it has none. Tags and portraits are timed in this process on their
 * own connection, as the job and query workers run them; the clustering runs through an EngineHost.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupPortrait } from '../../electron/engine/analytics/group-portrait';
import { evaluateTags } from '../../electron/engine/analytics/tags/compute-tags';
import { openWorkspace } from '../../electron/engine/db/workspace';
import { EngineHost } from '../../electron/engine/host';
import type { RuleNode } from '../../shared/rules';
import { ensureScratchDir, peakRssMb, writeResult } from './_util';

const TARGET_TAG_SECONDS = 5;
const TARGET_MS_PER_DIMENSION = 300;

const option = (name: string, fallback: number): number => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3).replace(/[,_]/g, '')) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} 应为正整数，收到 ${arg}`);
  return value;
};

const best = (values: number[]) => Math.min(...values);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] as number;

function timed<T>(work: () => T): { value: T; seconds: number } {
  const started = performance.now();
  const value = work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

export default async function run(): Promise<void> {
  const customers = option('customers', 200_000);
  const runs = option('runs', 3);
  const path = join(ensureScratchDir(), `tags-segments-${customers}.bpw`);
  if (!existsSync(path)) {
    console.log(`正在生成示范工作区：${customers.toLocaleString('zh-CN')} 位客户 → ${path}`);
    const cli = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', cli, 'demo', '--out', path, '--customers', String(customers), '--tx-per-year', '60', '--skip-analysis'], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`示范工作区生成失败（退出码 ${child.status}）`);
  }

  const host = new EngineHost({ log: () => {} });
  let clusterFixed: number;
  let clusterAuto: number;
  let suggestedK: number;
  try {
    await host.call('workspace.open', { path });
    const runsNow = await host.call('analysis.runs', {});
    if (!runsNow.some((r) => r.kind === 'customer_analysis' && r.status === 'succeeded')) {
      console.log('工作区还没有客户分析，先运行一次 …');
      await host.runJob('analysis.run', {});
    }
    const features = ['aum_avg_3m', 'txn_count_90d', 'age', 'product_count', 'mobile_share', 'tenure_months'] as const;
    const fixed = await host.runJob('segments.cluster', { features: [...features], k: 5, seed: 1 });
    clusterFixed = fixed.seconds;
    const auto = await host.runJob('segments.cluster', { features: [...features], seed: 1 });
    clusterAuto = auto.seconds;
    suggestedK = auto.k;
    console.log(`K-means：k=5 用时 ${clusterFixed.toFixed(2)} 秒；推荐 k（2–10，样本 ≤ 20,000）用时 ${clusterAuto.toFixed(2)} 秒，推荐 k=${suggestedK}`);
  } finally {
    await host.close();
  }

  const db = openWorkspace(path);
  try {
    const run = db.prepare("SELECT run_id, as_of FROM analysis_runs WHERE kind = 'customer_analysis' AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1").get() as { run_id: number; as_of: string };
    const tagSeconds: number[] = [];
    let tagRows = 0;
    let tagCount = 0;
    for (let i = 0; i < runs; i++) {
      const { value, seconds } = timed(() => evaluateTags(db, run.run_id, run.as_of));
      tagSeconds.push(seconds);
      tagRows = Object.values(value.counts).reduce((a, b) => a + b, 0);
      tagCount = Object.keys(value.counts).length;
    }
    console.log(`标签：${tagCount} 个，写入 ${tagRows.toLocaleString('zh-CN')} 行，最快 ${best(tagSeconds).toFixed(2)} 秒（目标 ${TARGET_TAG_SECONDS} 秒）`);

    const filters: Record<string, RuleNode> = {
      tag: { field: 'tag', op: 'has_tag', value: 'sys.senior' },
      rule: { all: [{ field: 'age', op: '<', value: 40 }, { field: 'value_tier', op: 'in', value: ['wealth', 'private'] }] },
      all: { all: [] },
    };
    const portraits: Record<string, { seconds: number; dimensions: number; msPerDimension: number }> = {};
    for (const [name, filter] of Object.entries(filters)) {
      const seconds: number[] = [];
      let dimensions = 0;
      for (let i = 0; i < runs; i++) {
        const result = timed(() => groupPortrait(db, { filter }));
        seconds.push(result.seconds);
        dimensions = result.value.dimensions.length;
      }
      portraits[name] = { seconds: median(seconds), dimensions, msPerDimension: (median(seconds) * 1000) / dimensions };
      console.log(`群体画像（${name}）：${dimensions} 个维度，中位 ${median(seconds).toFixed(2)} 秒，每维度 ${portraits[name]!.msPerDimension.toFixed(0)} ms`);
    }

    const ok = best(tagSeconds) <= TARGET_TAG_SECONDS && Object.values(portraits).every((p) => p.msPerDimension <= TARGET_MS_PER_DIMENSION);
    writeResult('tags-segments', {
      customers,
      loadAverage: loadavg(),
      targets: { tagSeconds: TARGET_TAG_SECONDS, msPerDimension: TARGET_MS_PER_DIMENSION },
      tags: { count: tagCount, rows: tagRows, seconds: tagSeconds, best: best(tagSeconds) },
      portraits,
      kmeans: { fixedK5Seconds: clusterFixed, suggestedSeconds: clusterAuto, suggestedK },
      peakRssMb: peakRssMb(),
      ok,
    });
    if (!ok) console.log('未达到目标（机器繁忙时会偏慢，请在空闲机器上复测）');
  } finally {
    db.close();
  }
}
