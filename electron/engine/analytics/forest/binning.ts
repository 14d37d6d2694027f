import type { ColumnMatrix } from './matrix';

/**
 * Quantile bins per feature, fitted once per forest so that every tree splits on small integer codes.
 *
 * Real values of feature f fall into bins 0 .. binCounts[f]-1: value v is in bin b when
 * edges[b-1] < v <= edges[b] (the last bin is open above). NaN always gets the extra code binCounts[f],
 * its own "missing" bin, so trees can learn which side missing values belong to.
 *
 * The edges are midpoints between neighbouring distinct values, like scikit-learn's split thresholds, so
 * a split "bin <= b" is the same as "value <= edges[b]" and scoring never needs to bin.
 */
export interface Binning {
  readonly nFeatures: number;
  readonly binCounts: Int32Array;
  /** Edges of feature f are edges[edgeOffsets[f] .. edgeOffsets[f + 1]), binCounts[f] - 1 of them. */
  readonly edgeOffsets: Int32Array;
  readonly edges: Float64Array;
}

/** Bin codes are bytes; one code per feature is kept back for missing values. */
export const MAX_BINS = 255;

/**
 * Fits the bin edges of every column.
 *
 * @param maxBins at most this many codes per feature, the missing bin included (2..255).
 * @param sampleRows when given, edges are fitted on these rows only (quantiles of a large sample are as
 *   good as exact ones and much cheaper to sort).
 */
export function fitBinning(matrix: ColumnMatrix, maxBins: number, sampleRows: ArrayLike<number> | null = null): Binning {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS) {
    throw new Error(`maxBins must be an integer from 2 to ${MAX_BINS}, got ${maxBins}.`);
  }
  const maxRealBins = maxBins - 1;
  const { rows, columns, data } = matrix;
  const sampleSize = sampleRows ? sampleRows.length : rows;
  const values = new Float64Array(sampleSize);
  const binCounts = new Int32Array(columns);
  const edgeOffsets = new Int32Array(columns + 1);
  const perFeature: Float64Array[] = [];

  for (let c = 0; c < columns; c++) {
    const base = c * rows;
    let present = 0;
    for (let i = 0; i < sampleSize; i++) {
      const v = data[base + (sampleRows ? sampleRows[i] : i)];
      if (v === v) values[present++] = v;
    }
    const sorted = values.subarray(0, present).sort();
    const featureEdges = edgesOfSorted(sorted, maxRealBins);
    perFeature.push(featureEdges);
    binCounts[c] = featureEdges.length + 1;
    edgeOffsets[c + 1] = edgeOffsets[c] + featureEdges.length;
  }

  const edges = new Float64Array(edgeOffsets[columns]);
  for (let c = 0; c < columns; c++) edges.set(perFeature[c] as Float64Array, edgeOffsets[c]);
  return { nFeatures: columns, binCounts, edgeOffsets, edges };
}

/**
 * Edges for one sorted, NaN-free column: every gap between distinct values when there are few of them,
 * otherwise gaps at evenly spaced quantiles (ties keep a value inside one bin).
 */
function edgesOfSorted(sorted: Float64Array, maxRealBins: number): Float64Array {
  const n = sorted.length;
  if (n === 0) return new Float64Array(0);
  let distinct = 1;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) distinct++;

  if (distinct <= maxRealBins) {
    const edges = new Float64Array(distinct - 1);
    let k = 0;
    for (let i = 1; i < n; i++) {
      const lower = sorted[i - 1];
      const upper = sorted[i];
      if (upper !== lower) edges[k++] = midpoint(lower, upper);
    }
    return edges;
  }

  const edges: number[] = [];
  for (let q = 1; q < maxRealBins; q++) {
    const position = Math.ceil((q * n) / maxRealBins) - 1;
    const lower = sorted[position];
    const next = firstGreater(sorted, lower, position + 1);
    if (next >= n) break;
    const edge = midpoint(lower, sorted[next]);
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  return Float64Array.from(edges);
}

function midpoint(lower: number, upper: number): number {
  // Halving each term first keeps the midpoint finite for values near ±Number.MAX_VALUE.
  const mid = lower / 2 + upper / 2;
  return Number.isFinite(mid) ? mid : lower;
}

/** Index of the first element of sorted[from..] greater than value, or sorted.length. */
function firstGreater(sorted: Float64Array, value: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Codes every cell, column by column, into `target` (a fresh array when omitted; pass a view over a
 * SharedArrayBuffer to share the codes with worker threads).
 */
export function applyBinning(matrix: ColumnMatrix, binning: Binning, target?: Uint8Array): Uint8Array {
  const { rows, columns, data } = matrix;
  if (columns !== binning.nFeatures) {
    throw new Error(`The binning was fitted on ${binning.nFeatures} features, the matrix has ${columns}.`);
  }
  const codes = target ?? new Uint8Array(rows * columns);
  if (codes.length !== rows * columns) throw new Error(`The code buffer holds ${codes.length} cells, expected ${rows * columns}.`);
  const { edges, edgeOffsets, binCounts } = binning;
  for (let c = 0; c < columns; c++) {
    const first = edgeOffsets[c];
    const count = edgeOffsets[c + 1] - first;
    const missingCode = binCounts[c];
    const base = c * rows;
    for (let r = 0; r < rows; r++) {
      const v = data[base + r];
      if (v !== v) {
        codes[base + r] = missingCode;
        continue;
      }
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v <= edges[first + mid]) hi = mid;
        else lo = mid + 1;
      }
      codes[base + r] = lo;
    }
  }
  return codes;
}

/** The raw threshold of the split "bin <= bin": its upper edge, or +Infinity for the last real bin. */
export function binUpperEdge(binning: Binning, feature: number, bin: number): number {
  const first = binning.edgeOffsets[feature];
  const count = binning.edgeOffsets[feature + 1] - first;
  return bin < count ? binning.edges[first + bin] : Number.POSITIVE_INFINITY;
}
