import { Random } from '../../../../shared/random';
import { elkanKMeans } from './elkan';
import { hamerlyKMeans } from './hamerly';
import { defaultLocalTrials, kmeansPlusPlus, randomRowsInit } from './init';
import { NARROW_WIDTH, padCentres, squaredDistancesNarrow, squaredDistancesToCentres } from './kernels';
import { inertiaOf, meanFeatureVariance, type FirstAssignment, type LloydOutcome, type LloydProblem } from './lloyd';
import { assertFinite, createMatrix, type Matrix } from './matrix';

/** 'hamerly' is the default: measured faster than 'elkan' for the k ≤ 10, d ≈ 8 problems this app solves. */
export type KMeansAlgorithm = 'hamerly' | 'elkan';

/** How to choose the starting centres: a method, or k × d starting centres. */
export type KMeansInit = 'k-means++' | 'random' | Matrix;

export interface KMeansOptions {
  /** Number of clusters, 2 ≤ k ≤ rows. */
  k: number;
  /** Cap on assignment-and-update rounds per run. Default 300 (scikit-learn's max_iter). */
  maxIterations?: number;
  /**
   * Stop when the summed squared centre movement of one round is at most tolerance × the mean per-feature
   * variance of the data (scikit-learn's `tol` semantics). Default 1e-4.
   */
  tolerance?: number;
  /** Independent runs from different seeds; the lowest inertia wins. Default 1. */
  nInit?: number;
  /** Seed of the shared PRNG; one seed gives one result. Default 0. */
  seed?: number | string;
  /** Default 'k-means++' (greedy, as scikit-learn). Explicit centres make nInit meaningless, so it must be 1. */
  init?: KMeansInit;
  /** Default 'hamerly'. Both give plain Lloyd's result. */
  algorithm?: KMeansAlgorithm;
  /** Candidates per new centre in greedy k-means++. Default 2 + ⌊ln k⌋. */
  localTrials?: number;
}

export interface KMeansResult {
  /** k × d, in the units of the input data. */
  centroids: Matrix;
  /** Cluster of each row, 0 ≤ label < k. */
  labels: Int32Array;
  /** Rows per cluster. */
  sizes: Int32Array;
  /** Sum of squared distances of rows to their centroid. */
  inertia: number;
  /** Rounds of the winning run, counted as scikit-learn's n_iter_. */
  iterations: number;
  /** Whether the winning run stopped by tolerance or unchanged labels rather than by maxIterations. */
  converged: boolean;
}

export const KMEANS_DEFAULTS = {
  maxIterations: 300,
  tolerance: 1e-4,
  nInit: 1,
  seed: 0,
  init: 'k-means++',
  algorithm: 'hamerly',
} as const satisfies Omit<Required<KMeansOptions>, 'k' | 'localTrials'>;

/** K-means clustering of the rows of `data`. */
export function kmeans(data: Matrix, options: KMeansOptions): KMeansResult {
  const k = options.k;
  const maxIterations = options.maxIterations ?? KMEANS_DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? KMEANS_DEFAULTS.tolerance;
  const nInit = options.nInit ?? KMEANS_DEFAULTS.nInit;
  const seed = options.seed ?? KMEANS_DEFAULTS.seed;
  const init = options.init ?? KMEANS_DEFAULTS.init;
  const algorithm = options.algorithm ?? KMEANS_DEFAULTS.algorithm;
  const localTrials = options.localTrials ?? defaultLocalTrials(Math.max(k, 1));

  validateData(data);
  const { rows: n, cols: d } = data;
  if (!Number.isInteger(k)) throw new Error(`k 必须是整数，收到 ${k}`);
  if (k < 2) throw new Error(`k 必须至少为 2（收到 ${k}）：一个簇无法区分客户`);
  if (k > n) throw new Error(`k（${k}）不能大于数据行数（${n}）`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new Error(`maxIterations 必须是正整数，收到 ${maxIterations}`);
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new Error(`tolerance 必须是非负有限数，收到 ${tolerance}`);
  if (!Number.isInteger(nInit) || nInit < 1) throw new Error(`nInit 必须是正整数，收到 ${nInit}`);
  if (!Number.isInteger(localTrials) || localTrials < 1) throw new Error(`localTrials 必须是正整数，收到 ${localTrials}`);
  if (algorithm !== 'hamerly' && algorithm !== 'elkan') throw new Error(`未知的 algorithm：${String(algorithm)}（可选 hamerly、elkan）`);
  if (typeof init === 'string' && init !== 'k-means++' && init !== 'random') {
    throw new Error(`未知的 init：${init}（可选 k-means++、random 或 k × d 的初始中心矩阵）`);
  }
  if (typeof init !== 'string') {
    if (init.cols !== d) throw new Error(`维度不匹配：初始中心有 ${init.cols} 列，数据有 ${d} 列`);
    if (init.rows !== k) throw new Error(`初始中心有 ${init.rows} 行，应等于 k（${k}）`);
    if (init.data.length !== k * d) throw new Error(`维度不匹配：初始中心数据长度 ${init.data.length}，应为 ${k * d}`);
    assertFinite(init, '初始中心');
    if (nInit !== 1) throw new Error('给定初始中心时 nInit 必须为 1：每次运行都会得到同一结果');
  }

  const shiftTolerance = tolerance * meanFeatureVariance(data.data, n, d);
  const random = new Random(seed);
  let best: { outcome: LloydOutcome; centres: Float64Array; inertia: number } | null = null;
  for (let run = 0; run < nInit; run++) {
    // Each run draws from its own stream so run r starts the same whatever nInit is.
    const runRandom = random.fork(run);
    let centres: Float64Array;
    let firstAssignment: FirstAssignment | undefined;
    if (typeof init !== 'string') centres = init.data.slice();
    else if (init === 'random') centres = randomRowsInit(data, k, runRandom);
    else {
      const seeding = kmeansPlusPlus(data, k, runRandom, localTrials);
      centres = seeding.centres;
      firstAssignment = seeding;
    }
    const problem: LloydProblem = { x: data.data, n, d, k, centres, maxIterations, shiftTolerance, firstAssignment };
    const outcome = algorithm === 'elkan' ? elkanKMeans(problem) : hamerlyKMeans(problem);
    const inertia = inertiaOf(data.data, n, d, centres, outcome.labels);
    if (best === null || inertia < best.inertia) best = { outcome, centres, inertia };
  }
  if (best === null) throw new Error('unreachable: nInit ≥ 1');

  const sizes = new Int32Array(k);
  for (const label of best.outcome.labels) sizes[label] = (sizes[label] as number) + 1;
  return {
    centroids: createMatrix(k, d, best.centres),
    labels: best.outcome.labels,
    sizes,
    inertia: best.inertia,
    iterations: best.outcome.iterations,
    converged: best.outcome.converged,
  };
}

/** Nearest centroid of each row (e.g. to place rows that were not in the fitted sample). */
export function assignToCentroids(data: Matrix, centroids: Matrix): { labels: Int32Array; squaredDistances: Float64Array } {
  validateData(data);
  if (centroids.cols !== data.cols) throw new Error(`维度不匹配：中心有 ${centroids.cols} 列，数据有 ${data.cols} 列`);
  if (centroids.rows < 1) throw new Error('至少需要一个中心');
  const { rows: n, cols: d, data: x } = data;
  const k = centroids.rows;
  const c = centroids.data;
  const labels = new Int32Array(n);
  const squaredDistances = new Float64Array(n);
  const distances = new Float64Array(k);
  const padded = d <= NARROW_WIDTH ? padCentres(c, k, d) : null;
  for (let i = 0; i < n; i++) {
    if (padded) squaredDistancesNarrow(x, i * d, d, padded, k, distances);
    else squaredDistancesToCentres(x, i * d, c, k, d, distances);
    let best = Infinity;
    let bestCentre = 0;
    for (let j = 0; j < k; j++) {
      if ((distances[j] as number) < best) {
        best = distances[j] as number;
        bestCentre = j;
      }
    }
    labels[i] = bestCentre;
    squaredDistances[i] = best;
  }
  return { labels, squaredDistances };
}

function validateData(data: Matrix): void {
  if (!data || !(data.data instanceof Float64Array)) throw new Error('数据必须是 Float64Array 行主序矩阵（Matrix）');
  if (!Number.isInteger(data.cols) || data.cols < 1) throw new Error(`数据列数必须是正整数，收到 ${data.cols}`);
  if (!Number.isInteger(data.rows) || data.rows < 1) throw new Error(`数据至少需要一行，收到 ${data.rows} 行`);
  if (data.data.length !== data.rows * data.cols) {
    throw new Error(`维度不匹配：${data.rows} 行 × ${data.cols} 列需要 ${data.rows * data.cols} 个值，实际 ${data.data.length} 个`);
  }
  assertFinite(data);
}
