/**
 * `npm run bench soak` (issue #15 §4): import, analyse, export and reopen one workspace for many cycles
 * (SOAK_CYCLES, 200 by default) and sample, after every cycle, the process's resident memory (both engine
 * threads live in it), its open file handles (/proc/self/fd) and the workspace's size. A leak shows as a
 * slope: the result gives the first and last ten cycles' means and a least-squares slope per 100 cycles
 * after a warm-up. Not part of `npm test`: it takes tens of minutes, and timings on a shared machine are
 * only indicative. SOAK_CUSTOMERS (1,000) sets the branch size; SOAK_PASSPHRASE runs it encrypted.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EngineHost } from '../../electron/engine/host';
import { generateDemoFiles } from '../../electron/engine/demo/index';
import { ensureScratchDir, writeResult } from './_util';

const CYCLES = Number(process.env.SOAK_CYCLES ?? 200);
const CUSTOMERS = Number(process.env.SOAK_CUSTOMERS ?? 1_000);
const PASSPHRASE = process.env.SOAK_PASSPHRASE || undefined;
const WARM_UP = Math.min(20, Math.floor(CYCLES / 5));

interface Sample {
  cycle: number;
  rssMb: number;
  heapMb: number;
  openFiles: number;
  workspaceMb: number;
  seconds: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function openFiles(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1; // not Linux
  }
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
}

/** Least-squares slope of `key` over the samples, per 100 cycles. */
function slopePer100(samples: Sample[], key: keyof Sample): number {
  const n = samples.length;
  if (n < 2) return 0;
  const xs = samples.map((s) => s.cycle);
  const ys = samples.map((s) => s[key] as number);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return Math.round((num / den) * 100 * 100) / 100;
}

export default async function soak(): Promise<void> {
  const dir = join(ensureScratchDir(), `soak-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const workspace = join(dir, 'soak.bpw');
  const host = new EngineHost({ log: () => {} });
  const withKey = PASSPHRASE ? { passphrase: PASSPHRASE } : {};
  try {
    console.log(`准备示范数据：${CUSTOMERS.toLocaleString('zh-CN')} 位客户${PASSPHRASE ? '，加密工作区' : ''} …`);
    await host.runJob('demo.create', { path: workspace, customers: CUSTOMERS, txPerYear: 20, analyze: false, overwrite: true, ...withKey });
    const { files } = await generateDemoFiles({ dir: join(dir, 'files'), customers: CUSTOMERS, seed: 20240601, txPerYear: 20, months: 24, dirty: false, encoding: 'utf-8' });
    const customers = files.find((f) => f.entity === 'customers')!.path;
    const transactions = files.find((f) => f.entity === 'transactions')!.path;
    await host.call('workspace.open', { path: workspace, ...withKey });

    const samples: Sample[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const started = performance.now();
      await host.runJob('import.run', { file: customers, entity: 'customers', policy: 'reject' });
      await host.runJob('import.run', { file: transactions, entity: 'transactions', policy: 'reject' });
      await host.runJob('analysis.run', {});
      await host.runJob('export.table', { kind: 'customers', path: join(dir, 'export.xlsx'), format: 'xlsx' });
      await host.call('workspace.close', {});
      await host.call('workspace.open', { path: workspace, ...withKey });
      const memory = process.memoryUsage();
      samples.push({
        cycle,
        rssMb: mb(memory.rss),
        heapMb: mb(memory.heapUsed),
        openFiles: openFiles(),
        workspaceMb: mb(statSync(workspace).size),
        seconds: Math.round((performance.now() - started) / 10) / 100,
      });
      if (cycle === 1 || cycle % 10 === 0) {
        const s = samples.at(-1)!;
        console.log(`  第 ${cycle} 轮：RSS ${s.rssMb} MB，打开的文件 ${s.openFiles}，工作区 ${s.workspaceMb} MB，${s.seconds} 秒`);
      }
    }

    const steady = samples.filter((s) => s.cycle > WARM_UP);
    const first = samples.slice(WARM_UP, WARM_UP + 10);
    const last = samples.slice(-10);
    const summary = {
      rssMb: { first10AfterWarmUp: mean(first.map((s) => s.rssMb)), last10: mean(last.map((s) => s.rssMb)), max: Math.max(...samples.map((s) => s.rssMb)), slopePer100Cycles: slopePer100(steady, 'rssMb') },
      heapMb: { first10AfterWarmUp: mean(first.map((s) => s.heapMb)), last10: mean(last.map((s) => s.heapMb)), slopePer100Cycles: slopePer100(steady, 'heapMb') },
      openFiles: { first10AfterWarmUp: mean(first.map((s) => s.openFiles)), last10: mean(last.map((s) => s.openFiles)), max: Math.max(...samples.map((s) => s.openFiles)), slopePer100Cycles: slopePer100(steady, 'openFiles') },
      workspaceMb: { first: samples[0]!.workspaceMb, last: samples.at(-1)!.workspaceMb },
      secondsPerCycle: { first10AfterWarmUp: mean(first.map((s) => s.seconds)), last10: mean(last.map((s) => s.seconds)) },
    };
    // "Flat": open files end where they started; memory grows by less than 10% after the warm-up.
    const flat = {
      openFiles: summary.openFiles.last10 <= summary.openFiles.first10AfterWarmUp + 1,
      rss: summary.rssMb.last10 <= summary.rssMb.first10AfterWarmUp * 1.1,
    };
    console.log(`RSS：${summary.rssMb.first10AfterWarmUp} → ${summary.rssMb.last10} MB（每 100 轮 ${summary.rssMb.slopePer100Cycles} MB）；打开的文件：${summary.openFiles.first10AfterWarmUp} → ${summary.openFiles.last10}`);
    console.log(flat.openFiles && flat.rss ? '结论：内存与文件句柄保持平稳。' : '结论：有增长，请查看 bench/results/soak.json 中的逐轮数据。');
    writeResult('soak', {
      note: '200 轮“导入→分析→导出→重新打开”后进程内存与文件句柄的变化；共用机器上的耗时仅供参考。',
      cycles: CYCLES,
      customers: CUSTOMERS,
      encrypted: PASSPHRASE !== undefined,
      warmUpCycles: WARM_UP,
      summary,
      flat,
      samples,
    });
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
