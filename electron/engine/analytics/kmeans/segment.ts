import { Random } from '../../../../shared/random';
import { kmeans, type KMeansAlgorithm } from './kmeans';
import { createMatrix, type Matrix } from './matrix';
import type { FeatureDescriptor, NamingOptions } from './naming';
import { profileClusters, type ClusterProfiles } from './profile';
import { silhouetteScore } from './silhouette';
import { fitStandardize, unstandardize, type Standardizer } from './standardize';
import { suggestK, type SuggestKResult } from './suggest';

export interface SegmentOptions {
  /** One descriptor per column of the data, in column order; `money` columns are log-transformed. */
  features: ReadonlyArray<FeatureDescriptor>;
  /** Number of segments, or 'auto' for the silhouette suggestion. Default 'auto'. */
  k?: number | 'auto';
  /** Default 0. */
  seed?: number | string;
  /** Default 1. */
  nInit?: number;
  maxIterations?: number;
  tolerance?: number;
  algorithm?: KMeansAlgorithm;
  /** Range and sample of the k suggestion. Defaults as suggestK: 2 … 10 on 20,000 rows. */
  suggest?: { kMin?: number; kMax?: number; sampleSize?: number };
  /** Rows sampled for the final model's silhouette; 0 skips it. Default 20,000. */
  silhouetteSampleSize?: number;
  naming?: NamingOptions;
}

export interface SegmentationResult {
  k: number;
  /** Segment of each row; segments are numbered by size, 0 the largest. */
  labels: Int32Array;
  sizes: Int32Array;
  /** k × d, standardized space. */
  centroids: Matrix;
  /** k × d, original units (money columns back-transformed from logs). */
  centroidsOriginal: Matrix;
  inertia: number;
  iterations: number;
  converged: boolean;
  /** Mean silhouette of the final segmentation on a sample, or null when skipped. */
  silhouette: number | null;
  /** The silhouette curve when k was 'auto'. */
  suggestion: SuggestKResult | null;
  scaler: Standardizer;
  profiles: ClusterProfiles;
}

/**
 * The whole segmentation of DESIGN §4: standardize (log1p on money), pick k by silhouette unless given,
 * fit k-means on all rows, then profile and name the segments. `original` holds the chosen feature
 * columns in original units.
 */
export function segmentCustomers(original: Matrix, options: SegmentOptions): SegmentationResult {
  const { features } = options;
  if (features.length !== original.cols) throw new Error(`维度不匹配：${features.length} 个特征描述，数据有 ${original.cols} 列`);
  const seed = options.seed ?? 0;
  const random = new Random(seed);
  const { scaler, standardized } = fitStandardize(original, { logColumns: features.map((feature) => feature.money === true) });

  const requestedK = options.k ?? 'auto';
  let suggestion: SuggestKResult | null = null;
  let k: number;
  if (requestedK === 'auto') {
    suggestion = suggestK(standardized, {
      ...options.suggest,
      seed: random.fork('suggest').nextUint32(),
      maxIterations: options.maxIterations,
      tolerance: options.tolerance,
      algorithm: options.algorithm,
    });
    k = suggestion.bestK;
  } else {
    k = requestedK;
  }

  const fit = kmeans(standardized, {
    k,
    seed: random.fork('fit').nextUint32(),
    nInit: options.nInit,
    maxIterations: options.maxIterations,
    tolerance: options.tolerance,
    algorithm: options.algorithm,
  });

  // Number segments by size so "segment 0" means the same thing across reruns and in reports.
  const bySize = Array.from({ length: k }, (_, c) => c).sort((p, q) => (fit.sizes[q] as number) - (fit.sizes[p] as number) || p - q);
  const rank = new Int32Array(k);
  bySize.forEach((c, r) => (rank[c] = r));
  const labels = fit.labels.map((label) => rank[label] as number);
  const sizes = Int32Array.from(bySize, (c) => fit.sizes[c] as number);
  const d = original.cols;
  const centroids = createMatrix(k, d);
  bySize.forEach((c, r) => centroids.data.set(fit.centroids.data.subarray(c * d, c * d + d), r * d));

  const silhouetteSampleSize = options.silhouetteSampleSize ?? 20_000;
  const silhouette =
    silhouetteSampleSize > 0 && original.rows > k
      ? silhouetteScore(standardized, labels, { sampleSize: Math.max(silhouetteSampleSize, k + 1), seed: random.fork('silhouette').nextUint32() })
      : null;

  return {
    k,
    labels,
    sizes,
    centroids,
    centroidsOriginal: unstandardize(centroids, scaler),
    inertia: fit.inertia,
    iterations: fit.iterations,
    converged: fit.converged,
    silhouette,
    suggestion,
    scaler,
    profiles: profileClusters(original, labels, k, scaler, features, options.naming),
  };
}
