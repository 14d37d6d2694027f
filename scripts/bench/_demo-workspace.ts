/**
 * The cached demo branch the analytics benchmarks share: bench/tmp/analytics-N.bpw, N customers, 24 months,
 * about 60 transactions a year each, generated through the CLI (the demo generator and the real importer)
 * in a child process so that the generator's memory is not counted against the benchmark. The same file and
 * the same rule as scripts/bench/analytics.ts, so a 200,000-customer branch (a few minutes to build, about
 * 3 GB) is generated once for both.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { ensureScratchDir } from './_util';

export const DEMO_TX_PER_YEAR = 60;
export const DEMO_MONTHS = 24;

export function cachedDemoWorkspace(customers: number, fresh = false): { path: string; generatedSeconds: number | null } {
  const path = join(ensureScratchDir(), `analytics-${customers}.bpw`);
  if (!fresh && existsSync(path)) {
    const db = new Database(path, { readonly: true });
    try {
      const n = (db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
      if (n === customers) return { path, generatedSeconds: null };
    } finally {
      db.close();
    }
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  console.log(`正在生成示范工作区：${customers.toLocaleString('zh-CN')} 位客户，${DEMO_MONTHS} 个月，每年约 ${DEMO_TX_PER_YEAR} 笔交易 → ${path}`);
  const started = performance.now();
  const cli = fileURLToPath(new URL('../../electron/cli.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', cli, 'demo', '--out', path, '--customers', String(customers), '--tx-per-year', String(DEMO_TX_PER_YEAR), '--skip-analysis'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`示范工作区生成失败（退出码 ${child.status}）`);
  return { path, generatedSeconds: (performance.now() - started) / 1000 };
}
