import { assertFinite, type Matrix } from './matrix';
import { NAMING_DEFAULTS, featureTerm, suggestClusterNames, type FeatureDescriptor, type NamingOptions } from './naming';
import { signedExpm1, standardizeValue, type Standardizer } from './standardize';

export interface DistinguishingFeature {
  key: string;
  label: string;
  /** Standardized difference of the cluster mean from the overall mean. */
  z: number;
  direction: 'high' | 'low';
  /** Naming term for this direction, or null when the direction is not worth naming. */
  term: string | null;
}

export interface ClusterProfile {
  cluster: number;
  size: number;
  /** size / all rows. */
  share: number;
  /** Arithmetic mean of each feature, in original units. */
  means: number[];
  /**
   * Typical value of each feature in original units: the standardized mean mapped back. For money this is
   * the back-transformed mean of logs, which a handful of very large balances cannot drag up.
   */
  typical: number[];
  /** Per feature, (cluster mean − overall mean) / overall SD in standardized space: the radar chart. */
  zScores: number[];
  /** Features with |z| ≥ minAbsZ, strongest first. */
  distinguishing: DistinguishingFeature[];
  /** Suggested Chinese name, unique among the clusters. */
  name: string;
}

export interface ClusterProfiles {
  features: FeatureDescriptor[];
  /** Overall arithmetic mean of each feature, in original units. */
  overallMeans: number[];
  clusters: ClusterProfile[];
}

/**
 * Sizes, means, z-scores, distinguishing features and names of the clusters.
 * `original` holds the rows in original units (the columns described by `features`); `scaler` is the
 * standardizer the clustering used, so z-scores are measured in the space the clusters were found in.
 */
export function profileClusters(
  original: Matrix,
  labels: ArrayLike<number>,
  k: number,
  scaler: Standardizer,
  features: ReadonlyArray<FeatureDescriptor>,
  options: NamingOptions = {},
): ClusterProfiles {
  const { rows: n, cols: d, data: x } = original;
  if (features.length !== d) throw new Error(`维度不匹配：${features.length} 个特征描述，数据有 ${d} 列`);
  if (scaler.cols !== d) throw new Error(`维度不匹配：标准化器按 ${scaler.cols} 列拟合，数据有 ${d} 列`);
  if (labels.length !== n) throw new Error(`标签数（${labels.length}）与数据行数（${n}）不一致`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`k 必须是正整数，收到 ${k}`);
  if (n < 1) throw new Error('画像至少需要一行数据');
  assertFinite(original);
  const minAbsZ = options.minAbsZ ?? NAMING_DEFAULTS.minAbsZ;

  const sizes = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const zSums = new Float64Array(k * d);
  const overallSums = new Float64Array(d);
  const overallZ = new Float64Array(d);
  const overallZSquares = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const c = labels[i] as number;
    if (!Number.isInteger(c) || c < 0 || c >= k) throw new Error(`第 ${i} 行的簇标签 ${c} 不在 0 到 ${k - 1} 之间`);
    sizes[c] = (sizes[c] as number) + 1;
    for (let f = 0; f < d; f++) {
      const value = x[i * d + f] as number;
      const z = standardizeValue(value, f, scaler);
      sums[c * d + f] = (sums[c * d + f] as number) + value;
      zSums[c * d + f] = (zSums[c * d + f] as number) + z;
      overallSums[f] = (overallSums[f] as number) + value;
      overallZ[f] = (overallZ[f] as number) + z;
      overallZSquares[f] = (overallZSquares[f] as number) + z * z;
    }
  }
  // With the scaler fitted on these rows the overall z mean is 0 and SD 1; computing them keeps the
  // profile right when it was fitted on other rows (a sample, an earlier month).
  const zMean = Array.from(overallZ, (total) => total / n);
  const zSd = Array.from(overallZSquares, (total, f) => Math.sqrt(Math.max(0, total / n - (zMean[f] as number) ** 2)));

  const clusters: ClusterProfile[] = [];
  for (let c = 0; c < k; c++) {
    const size = sizes[c] as number;
    const means: number[] = [];
    const typical: number[] = [];
    const zScores: number[] = [];
    for (let f = 0; f < d; f++) {
      if (size === 0) {
        means.push(0);
        typical.push(0);
        zScores.push(0);
        continue;
      }
      const zClusterMean = (zSums[c * d + f] as number) / size;
      means.push((sums[c * d + f] as number) / size);
      const scaled = zClusterMean * (scaler.sds[f] as number) + (scaler.means[f] as number);
      typical.push(scaler.logColumns[f] === 1 ? signedExpm1(scaled) : scaled);
      const sd = zSd[f] as number;
      zScores.push(sd > 1e-12 ? (zClusterMean - (zMean[f] as number)) / sd : 0);
    }
    const distinguishing = zScores
      .map((z, f): DistinguishingFeature => {
        const feature = features[f] as FeatureDescriptor;
        const direction = z > 0 ? 'high' : 'low';
        return { key: feature.key, label: feature.label, z, direction, term: featureTerm(feature, direction) };
      })
      .filter((item) => Math.abs(item.z) >= minAbsZ)
      .sort((p, q) => Math.abs(q.z) - Math.abs(p.z));
    clusters.push({ cluster: c, size, share: size / n, means, typical, zScores, distinguishing, name: '' });
  }

  const names = suggestClusterNames(
    clusters.map((cluster) => cluster.zScores),
    features,
    clusters.map((cluster) => cluster.size),
    options,
  );
  clusters.forEach((cluster, c) => (cluster.name = cluster.size === 0 ? `空簇${c + 1}` : (names[c] as string)));
  return {
    features: features.map((feature) => ({ ...feature })),
    overallMeans: Array.from(overallSums, (total) => total / n),
    clusters,
  };
}
