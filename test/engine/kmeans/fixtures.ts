import { Random } from '../../../shared/random';
import { createMatrix, type Matrix } from '../../../electron/engine/analytics/kmeans';

export interface BlobSpec {
  centre: number[];
  /** One SD for all dimensions, or one per dimension. */
  sd: number | number[];
  size: number;
}

/** Seeded Gaussian blobs; rows are shuffled so cluster membership is not given away by position. */
export function gaussianBlobs(specs: BlobSpec[], seed: number): { data: Matrix; truth: Int32Array } {
  const random = new Random(seed);
  const d = (specs[0] as BlobSpec).centre.length;
  const rows: { values: number[]; label: number }[] = [];
  specs.forEach((spec, label) => {
    for (let i = 0; i < spec.size; i++) {
      const values = spec.centre.map((mean, f) => random.normal(mean, Array.isArray(spec.sd) ? (spec.sd[f] as number) : spec.sd));
      rows.push({ values, label });
    }
  });
  random.shuffle(rows);
  const data = createMatrix(rows.length, d);
  const truth = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    data.data.set(row.values, i * d);
    truth[i] = row.label;
  });
  return { data, truth };
}

/** k random centres in d dimensions, at least `separation` apart (rejection sampling, seeded). */
export function separatedCentres(k: number, d: number, separation: number, spread: number, seed: number): number[][] {
  const random = new Random(seed);
  const centres: number[][] = [];
  while (centres.length < k) {
    const candidate = Array.from({ length: d }, () => random.uniform(-spread, spread));
    if (centres.every((c) => Math.hypot(...c.map((v, f) => v - (candidate[f] as number))) >= separation)) centres.push(candidate);
  }
  return centres;
}

export interface NaiveLloydResult {
  labels: Int32Array;
  centroids: Float64Array;
  iterations: number;
}

/**
 * Textbook Lloyd, written independently of the engine as the reference: every distance computed every
 * round, the same stopping rule as scikit-learn (labels unchanged, or summed squared centre shift ≤ tol
 * × mean feature variance, then one final assignment), and the same empty-cluster rule (the row farthest
 * from its centre, among clusters with more than one row, moves to the empty cluster).
 */
export function naiveLloyd(data: Matrix, initial: Float64Array, k: number, maxIterations = 300, tolerance = 1e-4): NaiveLloydResult {
  const { rows: n, cols: d, data: x } = data;
  const centres = Float64Array.from(initial);
  const distance2 = (i: number, c: number) => {
    let s = 0;
    for (let f = 0; f < d; f++) s += (x[i * d + f]! - centres[c * d + f]!) ** 2;
    return s;
  };
  const assign = (labels: Int32Array) => {
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (distance2(i, c) < distance2(i, best)) best = c;
      labels[i] = best;
    }
  };
  const means = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) means[f]! += x[i * d + f]! / n;
  let variance = 0;
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) variance += (x[i * d + f]! - means[f]!) ** 2 / n;
  const shiftTolerance = (tolerance * variance) / d;

  const labels = new Int32Array(n);
  const previous = new Int32Array(n).fill(-1);
  let iterations = 0;
  let strict = false;
  for (let it = 0; it < maxIterations; it++) {
    iterations = it + 1;
    assign(labels);
    if (labels.every((label, i) => label === previous[i])) {
      strict = true;
      break;
    }
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) counts[labels[i]!]!++;
    for (let empty = 0; empty < k; empty++) {
      if (counts[empty] !== 0) continue;
      let far = -1;
      for (let i = 0; i < n; i++) {
        if (counts[labels[i]!]! > 1 && (far < 0 || distance2(i, labels[i]!) > distance2(far, labels[far]!))) far = i;
      }
      counts[labels[far]!]!--;
      labels[far] = empty;
      counts[empty] = 1;
    }
    const next = new Float64Array(k * d);
    for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) next[labels[i]! * d + f]! += x[i * d + f]!;
    let shift = 0;
    for (let c = 0; c < k; c++) {
      for (let f = 0; f < d; f++) {
        next[c * d + f]! /= counts[c]!;
        shift += (next[c * d + f]! - centres[c * d + f]!) ** 2;
      }
    }
    centres.set(next);
    previous.set(labels);
    if (shift <= shiftTolerance) break;
  }
  if (!strict) assign(labels);
  return { labels, centroids: centres, iterations };
}

/** Index of the nearest centroid of each row, by brute force. */
export function nearestCentroids(data: Matrix, centroids: Matrix): Int32Array {
  const { rows: n, cols: d, data: x } = data;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let c = 0; c < centroids.rows; c++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += (x[i * d + f]! - centroids.data[c * d + f]!) ** 2;
      if (s < bestDistance) {
        bestDistance = s;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}
