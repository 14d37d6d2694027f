import { Random } from '../../../../shared/random';
import { applyBinning, fitBinning } from './binning';
import type { ColumnMatrix } from './matrix';
import type { ClassWeightOption } from './options';
import { sharedFloat64, sharedInt32, sharedUint8, type TrainingSet } from './training-set';

/** Bin edges are fitted on at most this many rows; quantiles of a sample this large are as good as exact. */
export const BINNING_SAMPLE_ROWS = 200_000;

export interface PreparedClassification {
  readonly set: TrainingSet;
  /** Sorted distinct labels; class index k stands for classes[k]. */
  readonly classes: number[];
}

/** Checks X and y like scikit-learn does, encodes the labels and bins the features onto shared memory. */
export function prepareClassification(X: ColumnMatrix, y: ArrayLike<number>, classWeight: ClassWeightOption, maxBins: number, seed: number): PreparedClassification {
  checkFeatures(X);
  checkTarget(y, X.rows, 'classification');
  const classes = distinctSorted(y);
  if (classes.length < 2) {
    throw new Error(`y holds a single class (${classes[0]}); a classifier needs at least two classes.`);
  }
  const position = new Map<number, number>();
  classes.forEach((label, k) => position.set(label, k));
  const classOf = sharedInt32(X.rows);
  const classSizes = new Float64Array(classes.length);
  for (let r = 0; r < X.rows; r++) {
    const k = position.get(y[r]) as number;
    classOf[r] = k;
    classSizes[k]++;
  }
  const classWeights = sharedFloat64(classes.length);
  fillClassWeights(classWeights, classWeight, classes, classSizes, X.rows);

  const { codes, binning } = binFeatures(X, maxBins, seed);
  const set: TrainingSet = {
    task: 'classification',
    rows: X.rows,
    features: X.columns,
    codes,
    binning,
    classCount: classes.length,
    classOf,
    classWeights,
    target: new Float64Array(0),
  };
  return { set, classes };
}

export function prepareRegression(X: ColumnMatrix, y: ArrayLike<number>, maxBins: number, seed: number): TrainingSet {
  checkFeatures(X);
  checkTarget(y, X.rows, 'regression');
  const target = sharedFloat64(X.rows);
  for (let r = 0; r < X.rows; r++) target[r] = y[r];
  const { codes, binning } = binFeatures(X, maxBins, seed);
  return {
    task: 'regression',
    rows: X.rows,
    features: X.columns,
    codes,
    binning,
    classCount: 0,
    classOf: new Int32Array(0),
    classWeights: new Float64Array(0),
    target,
  };
}

function checkFeatures(X: ColumnMatrix): void {
  if (X.rows === 0) throw new Error('X has no rows; at least one sample is needed to train.');
  if (X.columns === 0) throw new Error('X has no features (0 columns).');
  const { data, rows } = X;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
      throw new Error(`X holds ${v} at row ${i % rows}, column ${Math.floor(i / rows)}; use NaN for a missing value.`);
    }
  }
}

function checkTarget(y: ArrayLike<number>, rows: number, task: 'classification' | 'regression'): void {
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') throw new Error('y must be an array of numbers.');
  if (y.length !== rows) throw new Error(`X has ${rows} rows but y has ${y.length} values; they must match.`);
  for (let r = 0; r < rows; r++) {
    const v = y[r];
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw new Error(`y[${r}] is ${typeof v === 'number' ? 'NaN' : typeof v}; the target must be a number in every row, never missing.`);
    }
    if (task === 'regression' && !Number.isFinite(v)) throw new Error(`y[${r}] is ${v}; a regression target must be finite.`);
  }
}

function distinctSorted(y: ArrayLike<number>): number[] {
  const seen = new Set<number>();
  for (let r = 0; r < y.length; r++) seen.add(y[r]);
  return [...seen].sort((a, b) => a - b);
}

function fillClassWeights(target: Float64Array, option: ClassWeightOption, classes: number[], classSizes: Float64Array, rows: number): void {
  if (option === null || option === undefined) {
    target.fill(1);
    return;
  }
  if (option === 'balanced') {
    for (let k = 0; k < classes.length; k++) target[k] = rows / (classes.length * classSizes[k]);
    return;
  }
  if (typeof option !== 'object') throw new Error(`classWeight must be 'balanced', null or a weight per label, got ${String(option)}.`);
  target.fill(1);
  for (const [key, weight] of Object.entries(option)) {
    const label = Number(key);
    const k = classes.indexOf(label);
    if (k < 0) throw new Error(`classWeight names label ${key}, which is not among the classes of y (${classes.join(', ')}).`);
    if (typeof weight !== 'number' || !(weight > 0) || !Number.isFinite(weight)) {
      throw new Error(`classWeight of label ${key} must be a positive number, got ${String(weight)}.`);
    }
    target[k] = weight;
  }
}

function binFeatures(X: ColumnMatrix, maxBins: number, seed: number): Pick<TrainingSet, 'codes' | 'binning'> {
  const sample = X.rows > BINNING_SAMPLE_ROWS ? sampleRows(X.rows, BINNING_SAMPLE_ROWS, new Random(seed).fork('binning')) : null;
  const binning = fitBinning(X, maxBins, sample);
  const codes = applyBinning(X, binning, sharedUint8(X.rows * X.columns));
  return { codes, binning };
}

/** `count` distinct rows chosen uniformly, in ascending order (partial Fisher–Yates). */
function sampleRows(rows: number, count: number, random: Random): Int32Array {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + random.int(rows - i);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order.subarray(0, count).sort();
}
