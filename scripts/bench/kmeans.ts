/**
 * K-means on 1,000,000 × 8 standardized customer-like features, k = 8, against scikit-learn (Lloyd and
 * Elkan, single-threaded) and ml-kmeans on the same data, in the same run.
 *
 * Like with like:
 *   - same float64 data (written once to bench/tmp and read by NumPy with np.fromfile);
 *   - same k, n_init = 1, k-means++ (greedy, 2 + ⌊ln k⌋ candidates on both sides), max_iter = 300,
 *     tol = 1e-4 with scikit-learn's meaning (summed squared centre shift ≤ tol × mean feature variance);
 *   - only the fit is timed on either side; both sides warm up on a 100,000-row slice first (JIT on ours,
 *     first-call overheads on scikit-learn's), and a cold first call of ours is recorded separately;
 *   - scikit-learn runs with OMP/OpenBLAS/MKL threads = 1 plus threadpool_limits(1);
 *   - the two seeds' RNGs differ, so each side's k-means++ picks different starts and needs a different
 *     number of rounds. Five seeds per side, interleaved to spread machine noise, compared by median, and a
 *     second comparison from identical starting centres (ours exported to scikit-learn and ml-kmeans) where
 *     the iteration counts must agree and only the engines differ.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { kmeans as mlKMeans } from 'ml-kmeans';
import { Random } from '../../shared/random';
import {
  adjustedRandIndex,
  createMatrix,
  fitStandardize,
  kmeans,
  kmeansPlusPlus,
  selectRows,
  suggestK,
  type KMeansAlgorithm,
  type KMeansResult,
  type Matrix,
} from '../../electron/engine/analytics/kmeans';
import { ensureScratchDir, peakRssMb, writeResult } from './_util';

const ROWS = 1_000_000;
const COLS = 8;
const K = 8;
const DATA_SEED = 20240501;
const SEEDS = [1, 2, 3, 4, 5];
const MAX_ITERATIONS = 300;
const TOLERANCE = 1e-4;
const WARM_UP_ROWS = 100_000;
const TARGET_RATIO = 2;
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const SINGLE_THREAD_ENV = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', VECLIB_MAXIMUM_THREADS: '1', NUMEXPR_NUM_THREADS: '1' };

interface Timed {
  wallMs: number;
  cpuMs: number;
  iterations: number;
  inertia: number;
}

interface SklearnRun extends Timed {
  algorithm: 'lloyd' | 'elkan';
  seed: number | null;
  labelsFile: string;
}

/**
 * Eight segments in z-space with per-segment, per-feature spreads, unequal sizes and 3% uniform noise,
 * then z-scored column-wise, so it looks like what the app clusters: standardized customer features.
 */
function syntheticStandardizedCustomers(seed: number): { data: Matrix; truth: Int32Array } {
  const random = new Random(seed);
  const weights = [0.24, 0.2, 0.15, 0.12, 0.1, 0.08, 0.06, 0.05];
  const centres = Array.from({ length: K }, () => Array.from({ length: COLS }, () => random.normal(0, 1.2)));
  const spreads = Array.from({ length: K }, () => Array.from({ length: COLS }, () => random.uniform(0.4, 0.9)));
  const raw = createMatrix(ROWS, COLS);
  const truth = new Int32Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    const base = i * COLS;
    if (random.next() < 0.03) {
      truth[i] = -1;
      for (let f = 0; f < COLS; f++) raw.data[base + f] = random.uniform(-3.5, 3.5);
      continue;
    }
    const c = random.weightedIndex(weights);
    truth[i] = c;
    const centre = centres[c] as number[];
    const spread = spreads[c] as number[];
    for (let f = 0; f < COLS; f++) raw.data[base + f] = random.normal(centre[f] as number, spread[f] as number);
  }
  return { data: fitStandardize(raw).standardized, truth };
}

function timed<T>(run: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const value = run();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function runOurs(data: Matrix, algorithm: KMeansAlgorithm, seed: number, init?: Matrix): Timed & { result: KMeansResult } {
  const { value, wallMs, cpuMs } = timed(() =>
    kmeans(data, { k: K, seed, algorithm, maxIterations: MAX_ITERATIONS, tolerance: TOLERANCE, ...(init ? { init } : {}) }),
  );
  return { wallMs, cpuMs, iterations: value.iterations, inertia: value.inertia, result: value };
}

const SKLEARN_SCRIPT = String.raw`
import json, sys, time
import numpy as np
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_info, threadpool_limits

args = json.loads(sys.argv[1])
X = np.fromfile(args['data'], dtype='<f8').reshape(-1, args['cols'])
runs = []
with threadpool_limits(limits=1):
    KMeans(n_clusters=args['k'], n_init=1, random_state=0).fit(X[: args['warmUpRows']])
    for run in args['runs']:
        init = 'k-means++'
        if run.get('init'):
            init = np.fromfile(run['init'], dtype='<f8').reshape(args['k'], args['cols'])
        model = KMeans(n_clusters=args['k'], n_init=1, init=init, algorithm=run['algorithm'],
                       random_state=run.get('seed'), max_iter=args['maxIterations'], tol=args['tolerance'])
        wall = time.perf_counter()
        cpu = time.process_time()
        model.fit(X)
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
        model.labels_.astype('<i4').tofile(run['labelsFile'])
        runs.append(dict(run, wallMs=wall * 1000, cpuMs=cpu * 1000, iterations=int(model.n_iter_), inertia=float(model.inertia_)))
    pools = [dict(api=p.get('internal_api'), threads=p.get('num_threads')) for p in threadpool_info()]
print(json.dumps(dict(versions=dict(sklearn=sklearn.__version__, numpy=np.__version__, python=sys.version.split()[0]), threadpools=pools, runs=runs)))
`;

function runSklearn(
  scriptFile: string,
  dataFile: string,
  runs: Array<{ algorithm: 'lloyd' | 'elkan'; seed: number | null; labelsFile: string; init?: string }>,
): { versions: Record<string, string>; threadpools: unknown; runs: SklearnRun[] } {
  let output: Buffer;
  try {
    output = execFileSync(
      PYTHON,
      [scriptFile, JSON.stringify({ data: dataFile, cols: COLS, k: K, warmUpRows: WARM_UP_ROWS, maxIterations: MAX_ITERATIONS, tolerance: TOLERANCE, runs })],
      { env: { ...process.env, ...SINGLE_THREAD_ENV }, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    throw new Error(`scikit-learn 参照运行失败（${PYTHON}）：需要装有 scikit-learn 与 threadpoolctl 的 Python，可用环境变量 BENCH_PYTHON 指定。${String(error)}`);
  }
  return JSON.parse(output.toString()) as { versions: Record<string, string>; threadpools: unknown; runs: SklearnRun[] };
}

/** Reads and removes a labels file the Python side wrote. */
function readLabels(file: string): Int32Array {
  const bytes = readFileSync(file);
  rmSync(file);
  return new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function summary(runs: Timed[]): Record<string, number> {
  return {
    medianWallMs: round(median(runs.map((r) => r.wallMs))),
    medianCpuMs: round(median(runs.map((r) => r.cpuMs))),
    medianIterations: median(runs.map((r) => r.iterations)),
    medianInertia: round(median(runs.map((r) => r.inertia))),
    minInertia: round(Math.min(...runs.map((r) => r.inertia))),
    medianMsPerIteration: round(median(runs.map((r) => r.wallMs / r.iterations))),
  };
}

function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function meanFeatureVariance(data: Matrix): number {
  let total = 0;
  for (let f = 0; f < data.cols; f++) {
    let mean = 0;
    for (let i = 0; i < data.rows; i++) mean += data.data[i * data.cols + f] as number;
    mean /= data.rows;
    let squares = 0;
    for (let i = 0; i < data.rows; i++) squares += ((data.data[i * data.cols + f] as number) - mean) ** 2;
    total += squares / data.rows;
  }
  return total / data.cols;
}

/** ml-kmeans wants rows as arrays; its tolerance bounds each centre's squared move, so it gets tol × variance. */
function runMlKMeans(rows: number[][], seed: number, initialization: 'kmeans++' | number[][], tolerance: number): Timed {
  const { value, wallMs, cpuMs } = timed(() => mlKMeans(rows, K, { seed, initialization, maxIterations: MAX_ITERATIONS, tolerance }));
  let inertia = 0;
  value.clusters.forEach((cluster, i) => {
    const centre = value.centroids[cluster] as number[];
    const row = rows[i] as number[];
    for (let f = 0; f < COLS; f++) inertia += ((row[f] as number) - (centre[f] as number)) ** 2;
  });
  return { wallMs, cpuMs, iterations: value.iterations, inertia };
}

export default async function run(): Promise<void> {
  const scratch = ensureScratchDir();
  const dataFile = `${scratch}kmeans-${ROWS}x${COLS}.f64`;
  const initFile = `${scratch}kmeans-init-${K}x${COLS}.f64`;
  const scriptFile = `${scratch}kmeans_sklearn.py`;
  writeFileSync(scriptFile, SKLEARN_SCRIPT);

  console.log(`生成 ${ROWS.toLocaleString()} × ${COLS} 合成数据（${K} 个预置客群 + 3% 噪声，已标准化）…`);
  const generation = timed(() => syntheticStandardizedCustomers(DATA_SEED));
  const { data, truth } = generation.value;
  writeFileSync(dataFile, new Uint8Array(data.data.buffer, data.data.byteOffset, data.data.byteLength));
  const plantedRows = Array.from(truth.keys()).filter((i) => (truth[i] as number) >= 0);
  const plantedTruth = Int32Array.from(plantedRows, (i) => truth[i] as number);
  const ariOnPlanted = (labels: Int32Array) => round(adjustedRandIndex(Int32Array.from(plantedRows, (i) => labels[i] as number), plantedTruth), 4);

  const cold = runOurs(data, 'hamerly', 0);
  console.log(`本实现（冷启动首次调用）: ${cold.wallMs.toFixed(0)} ms, ${cold.iterations} 轮`);
  const warmUp = selectRows(data, Int32Array.from({ length: WARM_UP_ROWS }, (_, i) => i));
  for (const algorithm of ['hamerly', 'elkan'] as const) kmeans(warmUp, { k: K, seed: 0, algorithm });

  const ours: Record<KMeansAlgorithm, Array<Timed & { seed: number; ari: number }>> = { hamerly: [], elkan: [] };
  const sklearn: Record<'lloyd' | 'elkan', Array<SklearnRun & { ari: number }>> = { lloyd: [], elkan: [] };
  let versions: Record<string, string> = {};
  let threadpools: unknown = null;
  for (const seed of SEEDS) {
    const reply = runSklearn(
      scriptFile,
      dataFile,
      (['lloyd', 'elkan'] as const).map((algorithm) => ({ algorithm, seed, labelsFile: `${scratch}kmeans-sklearn-${algorithm}-${seed}.i32` })),
    );
    versions = reply.versions;
    threadpools = reply.threadpools;
    for (const r of reply.runs) sklearn[r.algorithm].push({ ...r, ari: ariOnPlanted(readLabels(r.labelsFile)) });
    for (const algorithm of ['hamerly', 'elkan'] as const) {
      const r = runOurs(data, algorithm, seed);
      ours[algorithm].push({ seed, wallMs: r.wallMs, cpuMs: r.cpuMs, iterations: r.iterations, inertia: r.inertia, ari: ariOnPlanted(r.result.labels) });
    }
    const line = (label: string, r: Timed) => `${label} ${r.wallMs.toFixed(0)} ms/${r.iterations} 轮`;
    console.log(
      `seed ${seed}: ${line('本实现 hamerly', ours.hamerly.at(-1) as Timed)}, ${line('elkan', ours.elkan.at(-1) as Timed)} | ` +
        `${line('sklearn lloyd', sklearn.lloyd.at(-1) as Timed)}, ${line('elkan', sklearn.elkan.at(-1) as Timed)}`,
    );
  }

  // Identical start: ours k-means++ centres for seed 1, handed to every engine.
  const start = kmeansPlusPlus(data, K, new Random(SEEDS[0]).fork(0)).centres;
  writeFileSync(initFile, new Uint8Array(start.buffer, start.byteOffset, start.byteLength));
  const startMatrix = () => createMatrix(K, COLS, start.slice());
  const sameStartSklearn = runSklearn(
    scriptFile,
    dataFile,
    (['lloyd', 'elkan'] as const).map((algorithm) => ({ algorithm, seed: null, init: initFile, labelsFile: `${scratch}kmeans-sklearn-${algorithm}-init.i32` })),
  ).runs;
  const sameStartOurs = (['hamerly', 'elkan'] as const).map((algorithm) => {
    const r = runOurs(data, algorithm, 0, startMatrix());
    return { algorithm, wallMs: r.wallMs, cpuMs: r.cpuMs, iterations: r.iterations, inertia: r.inertia, labels: r.result.labels };
  });
  const [sklearnLloydSameLabels, sklearnElkanSameLabels] = sameStartSklearn.map((r) => readLabels(r.labelsFile));
  const sameStartAgreement = round(
    Math.min(adjustedRandIndex(sameStartOurs[0]!.labels, sklearnLloydSameLabels!), adjustedRandIndex(sameStartOurs[1]!.labels, sklearnElkanSameLabels!)),
    6,
  );
  console.log(
    `相同初始中心: 本实现 hamerly ${sameStartOurs[0]!.wallMs.toFixed(0)} ms/${sameStartOurs[0]!.iterations} 轮, ` +
      `sklearn lloyd ${sameStartSklearn[0]!.wallMs.toFixed(0)} ms/${sameStartSklearn[0]!.iterations} 轮, 标签一致度 ARI ${sameStartAgreement}`,
  );

  console.log('ml-kmeans（转换为 number[][]，较慢）…');
  const rows: number[][] = Array.from({ length: ROWS }, (_, i) => Array.from(data.data.subarray(i * COLS, (i + 1) * COLS)));
  const mlTolerance = TOLERANCE * meanFeatureVariance(data);
  const mlOwnInit = runMlKMeans(rows, SEEDS[0] as number, 'kmeans++', mlTolerance);
  const startRows = Array.from({ length: K }, (_, c) => Array.from(start.subarray(c * COLS, (c + 1) * COLS)));
  const mlSameStart = runMlKMeans(rows, SEEDS[0] as number, startRows, mlTolerance);
  console.log(`ml-kmeans: 自带 k-means++ ${mlOwnInit.wallMs.toFixed(0)} ms/${mlOwnInit.iterations} 轮, 相同初始中心 ${mlSameStart.wallMs.toFixed(0)} ms/${mlSameStart.iterations} 轮`);

  console.log('suggestK：k = 2 … 10，20,000 行样本上的轮廓系数 …');
  const suggestion = timed(() => suggestK(data, { seed: 1 }));
  console.log(`suggestK: ${suggestion.wallMs.toFixed(0)} ms（CPU ${suggestion.cpuMs.toFixed(0)} ms），建议 k = ${suggestion.value.bestK}`);

  const oursSummary = summary(ours.hamerly);
  const lloydSummary = summary(sklearn.lloyd);
  const elkanSummary = summary(sklearn.elkan);
  const fastestSklearnMs = Math.min(lloydSummary.medianWallMs as number, elkanSummary.medianWallMs as number);
  const ratio = (oursSummary.medianWallMs as number) / fastestSklearnMs;
  const sameStartRatio = sameStartOurs[0]!.wallMs / Math.min(sameStartSklearn[0]!.wallMs, sameStartSklearn[1]!.wallMs);
  const targetMet = ratio <= TARGET_RATIO;
  console.log(
    `中位数: 本实现 ${oursSummary.medianWallMs} ms vs sklearn lloyd ${lloydSummary.medianWallMs} ms / elkan ${elkanSummary.medianWallMs} ms → ` +
      `倍数 ${ratio.toFixed(2)}（目标 ≤ ${TARGET_RATIO}，${targetMet ? '达成' : '未达成'}）`,
  );

  const strip = <T extends Timed>(runs: T[]) =>
    runs.map(({ wallMs, cpuMs, iterations, inertia, ...rest }) => ({
      ...Object.fromEntries(Object.entries(rest).filter(([key]) => key !== 'labelsFile' && key !== 'labels' && key !== 'init')),
      wallMs: round(wallMs),
      cpuMs: round(cpuMs),
      iterations,
      inertia: round(inertia),
    }));
  writeResult('kmeans', {
    task: `k-means, k = ${K}, on ${ROWS.toLocaleString('en')} × ${COLS} standardized synthetic customer features (${K} planted segments + 3% noise)`,
    settings: {
      rows: ROWS,
      cols: COLS,
      k: K,
      nInit: 1,
      init: 'greedy k-means++ (2 + floor(ln k) candidates) on both sides',
      maxIterations: MAX_ITERATIONS,
      tolerance: `${TOLERANCE} × mean feature variance on the summed squared centre shift (scikit-learn semantics, both sides)`,
      seeds: SEEDS,
      warmUp: `both sides fit a ${WARM_UP_ROWS.toLocaleString('en')}-row slice first; only fit() is timed`,
      sklearnThreads: SINGLE_THREAD_ENV,
      dataGenerationMs: round(generation.wallMs),
    },
    versions: { node: process.version, ...versions },
    threadpools,
    ours: {
      algorithm: 'hamerly',
      coldFirstCall: { wallMs: round(cold.wallMs), iterations: cold.iterations, inertia: round(cold.inertia) },
      summary: oursSummary,
      runs: strip(ours.hamerly),
    },
    oursElkan: { summary: summary(ours.elkan), runs: strip(ours.elkan) },
    sklearnLloyd: { summary: lloydSummary, runs: strip(sklearn.lloyd) },
    sklearnElkan: { summary: elkanSummary, runs: strip(sklearn.elkan) },
    mlKMeans: {
      note: 'ml-kmeans 7.0.1 on number[][] rows; tolerance bounds each centre’s squared move (set to tol × mean variance)',
      ownKMeansPlusPlus: { wallMs: round(mlOwnInit.wallMs), cpuMs: round(mlOwnInit.cpuMs), iterations: mlOwnInit.iterations, inertia: round(mlOwnInit.inertia) },
      sameStart: { wallMs: round(mlSameStart.wallMs), cpuMs: round(mlSameStart.cpuMs), iterations: mlSameStart.iterations, inertia: round(mlSameStart.inertia) },
    },
    suggestK: {
      note: 'k-means (nInit 3) for k = 2 … 10 on one seeded 20,000-row sample, silhouette of all nine labelings on that sample',
      wallMs: round(suggestion.wallMs),
      cpuMs: round(suggestion.cpuMs),
      bestK: suggestion.value.bestK,
      curve: suggestion.value.curve.map((p) => ({ k: p.k, silhouette: round(p.silhouette, 4), iterations: p.iterations })),
    },
    sameStart: {
      note: 'all engines start from the same k-means++ centres (ours, seed 1); Lloyd iteration counts must agree',
      ours: sameStartOurs.map(({ algorithm, wallMs, cpuMs, iterations, inertia }) => ({ algorithm, wallMs: round(wallMs), cpuMs: round(cpuMs), iterations, inertia: round(inertia) })),
      sklearn: strip(sameStartSklearn),
      labelAgreementAri: sameStartAgreement,
      labelAgreementNote: 'lower of ARI(ours hamerly, sklearn lloyd) and ARI(ours elkan, sklearn elkan); 1 means identical partitions',
      ratioVsFastestSklearn: round(sameStartRatio, 2),
    },
    comparison: {
      oursMedianWallMs: oursSummary.medianWallMs,
      sklearnLloydMedianWallMs: lloydSummary.medianWallMs,
      sklearnElkanMedianWallMs: elkanSummary.medianWallMs,
      mlKMeansWallMs: round(mlOwnInit.wallMs),
      ratioVsSklearnLloyd: round((oursSummary.medianWallMs as number) / (lloydSummary.medianWallMs as number), 2),
      ratioVsSklearnElkan: round((oursSummary.medianWallMs as number) / (elkanSummary.medianWallMs as number), 2),
      ratioVsFastestSklearn: round(ratio, 2),
      cpuRatioVsFastestSklearn: round(
        (oursSummary.medianCpuMs as number) / Math.min(lloydSummary.medianCpuMs as number, elkanSummary.medianCpuMs as number),
        2,
      ),
      speedupVsMlKMeans: round(mlOwnInit.wallMs / (oursSummary.medianWallMs as number), 1),
      target: `ours ≤ ${TARGET_RATIO}× the faster scikit-learn variant (median wall time over ${SEEDS.length} seeds)`,
      targetMet,
    },
    peakRssMb: peakRssMb(),
  });
}
