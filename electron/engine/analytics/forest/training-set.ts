import type { Binning } from './binning';

/**
 * Everything a tree needs to train, already binned. Every array may live on a SharedArrayBuffer, so the
 * same set is read by all worker threads without copying.
 */
export interface TrainingSet {
  readonly task: 'classification' | 'regression';
  readonly rows: number;
  readonly features: number;
  /** Column-major bin codes: codes[feature * rows + row]. */
  readonly codes: Uint8Array;
  readonly binning: Binning;
  /** 0 for regression. */
  readonly classCount: number;
  /** Class index (0 .. classCount-1) of every row; empty for regression. */
  readonly classOf: Int32Array;
  /** Per-class weight applied to split statistics and leaf values; empty for regression. */
  readonly classWeights: Float64Array;
  /** Regression target of every row; empty for classification. */
  readonly target: Float64Array;
}

/** How histograms are obtained for a node; see TreeBuilder. Only tests and benchmarks pick other than auto. */
export type HistogramStrategy = 'auto' | 'subtract' | 'direct';

/** Hyperparameters of one tree, resolved to plain numbers. */
export interface TreeParams {
  /** Infinity for no limit. */
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  /** Features considered per split, 1 .. features. */
  readonly maxFeatures: number;
  readonly bootstrap: boolean;
  /** Rows drawn with replacement per tree when bootstrapping. */
  readonly bootstrapDraws: number;
  readonly histogramStrategy: HistogramStrategy;
}

/** Allocates a typed array on shared memory so worker threads can read it in place. */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

export function sharedUint8(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}
