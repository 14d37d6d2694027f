import { availableParallelism } from 'node:os';
import { MAX_BINS } from './binning';
import type { HistogramStrategy, TreeParams } from './training-set';
import type { TreeWorkerPool } from './worker-pool';

/** Hyperparameters shared by the classifier and the regressor. Defaults follow scikit-learn. */
export interface ForestHyperparameters {
  /** Trees in the forest. Default 100. */
  nEstimators?: number;
  /** Deepest level a node may sit at (root = 0); null for no limit. Default null. */
  maxDepth?: number | null;
  /** A node with fewer bootstrap samples is not split. Default 2. */
  minSamplesSplit?: number;
  /** Every leaf keeps at least this many bootstrap samples. Default 1. */
  minSamplesLeaf?: number;
  /**
   * Features considered per split: 'sqrt', 'log2', 'all', an integer count (>= 1), or a fraction in
   * (0, 1). Note 1 means one feature, as in ml-random-forest; use 'all' for every feature.
   * Default 'sqrt' for classification, 'all' for regression.
   */
  maxFeatures?: 'sqrt' | 'log2' | 'all' | number;
  /** Train each tree on a bootstrap sample (with replacement). Default true. */
  bootstrap?: boolean;
  /** Rows drawn per bootstrap sample: a fraction in (0, 1] of the rows (1 = all) or an integer count >= 2; null = all. */
  maxSamples?: number | null;
  /** Bin codes per feature, including the one for missing values (2..255). Default 255. */
  maxBins?: number;
  /** Unsigned 32-bit seed; the same seed and data give the same forest. Default 42. */
  seed?: number;
  /**
   * Threads trainAsync may use (1 = the calling thread only), or 'auto' for the machine's cores. It is an
   * upper bound: worker threads start only when the forest is big enough to repay their start-up (see
   * parallel.ts), so more threads are never slower. The model does not depend on it. Default 1.
   */
  nJobs?: number | 'auto';
  /** Histograms per node: for benchmarks and tests; 'auto' picks the cheaper per node. Default 'auto'. */
  histogramStrategy?: HistogramStrategy;
  /**
   * When trainAsync starts its worker threads: 'adaptive' once the first tree shows the forest is worth
   * them, 'eager' at once (for tests and benchmarks of the threaded path). Default 'adaptive'.
   */
  workerStart?: WorkerStart;
  /**
   * Worker threads already started for a run of many forests (worker-pool.ts): trainAsync shares every
   * tree with them instead of starting threads of its own; nJobs and workerStart then do not apply.
   */
  workerPool?: TreeWorkerPool | null;
}

export type WorkerStart = 'adaptive' | 'eager';

/** Callbacks and cancellation, not part of the model. */
export interface TrainingControl {
  /** Called after each tree with the number of trees done so far. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops training between trees with a TrainingCancelledError. */
  signal?: AbortSignal;
  /** Polled between trees; returning true cancels like an aborted signal. */
  shouldCancel?: () => boolean;
}

export type ClassWeightOption = 'balanced' | Readonly<Record<number, number>> | null;

export interface ClassifierOptions extends ForestHyperparameters, TrainingControl {
  criterion?: 'gini';
  /**
   * Weights of the classes in split scores and leaf probabilities: 'balanced' gives each class the weight
   * rows / (classes × rows of the class), which helps a rare class such as churners; or a weight per label.
   */
  classWeight?: ClassWeightOption;
  /** Stored in the model for explanations. */
  featureNames?: readonly string[];
}

export interface RegressorOptions extends ForestHyperparameters, TrainingControl {
  criterion?: 'squared_error';
  featureNames?: readonly string[];
}

/** The hyperparameters as stored in a model: every default filled in, nothing that is a callback. */
export interface ResolvedHyperparameters {
  nEstimators: number;
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: 'sqrt' | 'log2' | 'all' | number;
  bootstrap: boolean;
  maxSamples: number | null;
  maxBins: number;
  seed: number;
  criterion: 'gini' | 'squared_error';
}

/** How training runs; never changes the model, so never stored with it. */
export interface ExecutionSettings {
  /** The most threads training may use, the calling one included. */
  nJobs: number;
  histogramStrategy: HistogramStrategy;
  workerStart: WorkerStart;
  workerPool: TreeWorkerPool | null;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** Fills in defaults and rejects bad values with messages naming the parameter, as scikit-learn does. */
export function resolveHyperparameters(options: ForestHyperparameters & { criterion?: string }, task: 'classification' | 'regression'): ResolvedHyperparameters {
  const nEstimators = options.nEstimators ?? 100;
  if (!isPositiveInteger(nEstimators)) throw new Error(`nEstimators must be an integer >= 1, got ${String(nEstimators)}.`);

  const maxDepth = options.maxDepth ?? null;
  if (maxDepth !== null && !isPositiveInteger(maxDepth)) throw new Error(`maxDepth must be an integer >= 1 or null, got ${String(maxDepth)}.`);

  const minSamplesSplit = options.minSamplesSplit ?? 2;
  if (!Number.isInteger(minSamplesSplit) || minSamplesSplit < 2) throw new Error(`minSamplesSplit must be an integer >= 2, got ${String(minSamplesSplit)}.`);

  const minSamplesLeaf = options.minSamplesLeaf ?? 1;
  if (!isPositiveInteger(minSamplesLeaf)) throw new Error(`minSamplesLeaf must be an integer >= 1, got ${String(minSamplesLeaf)}.`);

  const maxFeatures = options.maxFeatures ?? (task === 'classification' ? 'sqrt' : 'all');
  const namedMaxFeatures = maxFeatures === 'sqrt' || maxFeatures === 'log2' || maxFeatures === 'all';
  const numericMaxFeatures = typeof maxFeatures === 'number' && (isPositiveInteger(maxFeatures) || (maxFeatures > 0 && maxFeatures < 1));
  if (!namedMaxFeatures && !numericMaxFeatures) {
    throw new Error(`maxFeatures must be 'sqrt', 'log2', 'all', an integer >= 1 or a fraction in (0, 1), got ${String(maxFeatures)}.`);
  }

  const bootstrap = options.bootstrap ?? true;
  if (typeof bootstrap !== 'boolean') throw new Error(`bootstrap must be true or false, got ${String(bootstrap)}.`);

  const maxSamples = options.maxSamples ?? null;
  if (maxSamples !== null) {
    if (!bootstrap) throw new Error('maxSamples only applies when bootstrap is true.');
    const valid = typeof maxSamples === 'number' && ((maxSamples > 0 && maxSamples <= 1) || (Number.isInteger(maxSamples) && maxSamples >= 2));
    if (!valid) throw new Error(`maxSamples must be a fraction in (0, 1] or an integer >= 2, got ${String(maxSamples)}.`);
  }

  const maxBins = options.maxBins ?? MAX_BINS;
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS) throw new Error(`maxBins must be an integer from 2 to ${MAX_BINS}, got ${String(maxBins)}.`);

  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be an integer from 0 to 4294967295, got ${String(seed)}.`);

  const expectedCriterion = task === 'classification' ? 'gini' : 'squared_error';
  const criterion = options.criterion ?? expectedCriterion;
  if (criterion !== expectedCriterion) throw new Error(`criterion must be '${expectedCriterion}' for ${task}, got ${String(criterion)}.`);

  return {
    nEstimators,
    maxDepth,
    minSamplesSplit,
    minSamplesLeaf,
    maxFeatures,
    bootstrap,
    maxSamples,
    maxBins,
    seed,
    criterion: expectedCriterion,
  };
}

export function resolveExecution(options: Pick<ForestHyperparameters, 'nJobs' | 'histogramStrategy' | 'workerStart' | 'workerPool'>): ExecutionSettings {
  const requested = options.nJobs ?? 1;
  if (requested !== 'auto' && !isPositiveInteger(requested)) throw new Error(`nJobs must be an integer >= 1 or 'auto', got ${String(requested)}.`);
  const nJobs = requested === 'auto' ? Math.max(1, availableParallelism()) : requested;
  const histogramStrategy = options.histogramStrategy ?? 'auto';
  if (histogramStrategy !== 'auto' && histogramStrategy !== 'subtract' && histogramStrategy !== 'direct') {
    throw new Error(`histogramStrategy must be 'auto', 'subtract' or 'direct', got ${String(histogramStrategy)}.`);
  }
  const workerStart = options.workerStart ?? 'adaptive';
  if (workerStart !== 'adaptive' && workerStart !== 'eager') throw new Error(`workerStart must be 'adaptive' or 'eager', got ${String(workerStart)}.`);
  return { nJobs, histogramStrategy, workerStart, workerPool: options.workerPool ?? null };
}

/** The per-tree parameters for a data set of the given shape. */
export function treeParamsFor(hyper: ResolvedHyperparameters, execution: ExecutionSettings, rows: number, features: number): TreeParams {
  return {
    maxDepth: hyper.maxDepth ?? Number.POSITIVE_INFINITY,
    minSamplesSplit: hyper.minSamplesSplit,
    minSamplesLeaf: hyper.minSamplesLeaf,
    maxFeatures: featuresPerSplit(hyper.maxFeatures, features),
    bootstrap: hyper.bootstrap,
    bootstrapDraws: bootstrapDraws(hyper.maxSamples, rows),
    histogramStrategy: execution.histogramStrategy,
  };
}

function featuresPerSplit(maxFeatures: ResolvedHyperparameters['maxFeatures'], features: number): number {
  let count: number;
  if (maxFeatures === 'sqrt') count = Math.floor(Math.sqrt(features));
  else if (maxFeatures === 'log2') count = Math.floor(Math.log2(features));
  else if (maxFeatures === 'all') count = features;
  else if (maxFeatures < 1) count = Math.floor(maxFeatures * features);
  else {
    if (maxFeatures > features) throw new Error(`maxFeatures is ${maxFeatures} but the data has only ${features} features.`);
    count = maxFeatures;
  }
  return Math.max(1, Math.min(features, count));
}

function bootstrapDraws(maxSamples: number | null, rows: number): number {
  if (maxSamples === null || maxSamples === 1) return rows;
  if (maxSamples < 1) return Math.max(1, Math.round(maxSamples * rows));
  if (maxSamples > rows) throw new Error(`maxSamples is ${maxSamples} but the data has only ${rows} rows.`);
  return maxSamples;
}
