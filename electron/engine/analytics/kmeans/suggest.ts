import { Random } from '../../../../shared/random';
import { kmeans, type KMeansAlgorithm } from './kmeans';
import { assertFinite, selectRows, type Matrix } from './matrix';
import { sampleIndices } from './sampling';
import { silhouetteScores } from './silhouette';

export interface SuggestKOptions {
  /** Default 2. */
  kMin?: number;
  /** Default 10; lowered to the sample's rows − 1 when the data is that small. */
  kMax?: number;
  /** Rows drawn (seeded) for both fitting and scoring; the silhouette is O(s²). Default 20,000. */
  sampleSize?: number;
  /** Default 0. */
  seed?: number | string;
  /**
   * K-means runs per k; the lowest inertia wins. Default 3: one unlucky start at some k would put a dent
   * in the silhouette curve and could move the suggestion, and on a 20,000-row sample extra runs are cheap.
   */
  nInit?: number;
  maxIterations?: number;
  tolerance?: number;
  algorithm?: KMeansAlgorithm;
}

export const SUGGEST_K_DEFAULTS = { kMin: 2, kMax: 10, sampleSize: 20_000, seed: 0, nInit: 3 } as const;

export interface SuggestKPoint {
  k: number;
  /** Mean silhouette on the sample; higher is better separated. */
  silhouette: number;
  /** K-means inertia on the sample, for an elbow plot. */
  inertia: number;
  iterations: number;
  converged: boolean;
}

export interface SuggestKResult {
  /** The k with the highest silhouette (the smaller k on a tie). */
  bestK: number;
  curve: SuggestKPoint[];
  /** Rows the curve was computed on. */
  sampleSize: number;
  kMin: number;
  /** kMax actually used. */
  kMax: number;
}

/**
 * Suggests k by the silhouette: on one seeded sample, fits k-means for every k in [kMin, kMax] and scores
 * each labeling. The data should already be standardized (see standardize.ts).
 */
export function suggestK(data: Matrix, options: SuggestKOptions = {}): SuggestKResult {
  const kMin = options.kMin ?? SUGGEST_K_DEFAULTS.kMin;
  const requestedKMax = options.kMax ?? SUGGEST_K_DEFAULTS.kMax;
  const sampleSize = options.sampleSize ?? SUGGEST_K_DEFAULTS.sampleSize;
  const seed = options.seed ?? SUGGEST_K_DEFAULTS.seed;
  if (!Number.isInteger(kMin) || kMin < 2) throw new Error(`kMin 必须是不小于 2 的整数，收到 ${kMin}`);
  if (!Number.isInteger(requestedKMax) || requestedKMax < kMin) throw new Error(`kMax（${requestedKMax}）必须是不小于 kMin（${kMin}）的整数`);
  if (!Number.isInteger(sampleSize) || sampleSize < 3) throw new Error(`sampleSize 必须是不小于 3 的整数，收到 ${sampleSize}`);
  if (data.data.length !== data.rows * data.cols) {
    throw new Error(`维度不匹配：${data.rows} 行 × ${data.cols} 列需要 ${data.rows * data.cols} 个值，实际 ${data.data.length} 个`);
  }
  assertFinite(data);

  const random = new Random(seed);
  const sample = data.rows > sampleSize ? selectRows(data, sampleIndices(data.rows, sampleSize, random.fork('sample'))) : data;
  // The silhouette needs at least one cluster with two rows and k ≤ rows − 1.
  const kMax = Math.min(requestedKMax, sample.rows - 1);
  if (kMax < kMin) throw new Error(`数据只有 ${sample.rows} 行，无法评估 k ≥ ${kMin}（至少需要 ${kMin + 1} 行）`);

  const fits = [];
  for (let k = kMin; k <= kMax; k++) {
    fits.push({
      k,
      result: kmeans(sample, {
        k,
        seed: random.fork(k).nextUint32(),
        nInit: options.nInit ?? SUGGEST_K_DEFAULTS.nInit,
        maxIterations: options.maxIterations,
        tolerance: options.tolerance,
        algorithm: options.algorithm,
      }),
    });
  }
  const scores = silhouetteScores(
    sample,
    fits.map(({ result }) => result.labels),
  );
  const curve = fits.map(({ k, result }, i): SuggestKPoint => ({
    k,
    silhouette: scores[i] as number,
    inertia: result.inertia,
    iterations: result.iterations,
    converged: result.converged,
  }));
  let best = curve[0] as SuggestKPoint;
  for (const point of curve) if (point.silhouette > best.silhouette) best = point;
  return { bestK: best.k, curve, sampleSize: sample.rows, kMin, kMax };
}
