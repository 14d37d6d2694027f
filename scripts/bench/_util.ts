import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const resultsDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
export const scratchDir = fileURLToPath(new URL('../../bench/tmp/', import.meta.url));

/**
 * A file of the public datasets beside the repository (../shared/datasets), or one level further up for a
 * checkout in a git worktree under /work/wt/.
 */
export function datasetFile(relative: string): string {
  const candidates = ['../../../shared/datasets/', '../../../../shared/datasets/'].map((base) => fileURLToPath(new URL(base + relative, import.meta.url)));
  return candidates.find((file) => existsSync(file)) ?? candidates[0]!;
}

/** Writes bench/results/<name>.json, stamped with the machine it ran on. */
export function writeResult(name: string, result: Record<string, unknown>): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = `${resultsDir}${name}.json`;
  const stamped = {
    benchmark: name,
    ranAt: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: cpuCount() },
    ...result,
  };
  writeFileSync(file, `${JSON.stringify(stamped, null, 2)}\n`);
  console.log(`结果已写入 ${file}`);
  return file;
}

/** An earlier result file, or null when that benchmark has not run here. */
export function readResult(name: string): Record<string, unknown> | null {
  const file = `${resultsDir}${name}.json`;
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : null;
}

/** Sets one key of another benchmark's result file, when that file exists; the rest is kept as it was. */
export function attachToResult(name: string, key: string, value: unknown): void {
  const existing = readResult(name);
  if (!existing) return;
  writeFileSync(`${resultsDir}${name}.json`, `${JSON.stringify({ ...existing, [key]: value }, null, 2)}\n`);
}

function cpuCount(): number {
  try {
    return Number(execFileSync('nproc').toString().trim());
  } catch {
    return 0;
  }
}

export function ensureScratchDir(): string {
  mkdirSync(scratchDir, { recursive: true });
  return scratchDir;
}

/** Installs a Debian package when its command is missing; benchmarks need reference tools the tests do not. */
export function ensureAptPackage(command: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return;
  } catch {
    // fall through and install
  }
  console.log(`正在安装 ${pkg} 作为基准参照 …`);
  execFileSync('sh', ['-c', `(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`], {
    stdio: 'inherit',
  });
}

/** Peak resident set size of this process so far, in MB (Linux reports ru_maxrss in KB). */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
