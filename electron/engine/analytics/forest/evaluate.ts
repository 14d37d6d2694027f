import {
  bestF1Threshold,
  brierScore,
  calibrationTable,
  confusionMatrix,
  liftByDecile,
  prAuc,
  rocAuc,
  stratifiedSplit,
  type CalibrationRow,
  type ConfusionMatrix,
  type DecileRow,
} from '../metrics';
import { RandomForestClassifier } from './forest';
import { takeRows } from './matrix';
import type { ClassWeightOption, TrainingControl } from './options';
import type { EncodedTable } from './tabular';

/** What `forest evaluate` asks for; defaults match the CLI's. */
export interface HoldOutOptions extends TrainingControl {
  testShare?: number;
  seed?: number;
  trees?: number;
  maxDepth?: number | null;
  minSamplesLeaf?: number;
  classWeight?: ClassWeightOption;
  nJobs?: number;
}

export interface HoldOutReport {
  readonly rows: number;
  readonly trainRows: number;
  readonly testRows: number;
  readonly features: number;
  readonly positiveLabel: string;
  readonly testPositiveRate: number;
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly brierScore: number;
  readonly atHalf: ConfusionMatrix;
  readonly bestF1: ConfusionMatrix;
  readonly lift: DecileRow[];
  readonly calibration: CalibrationRow[];
  /** Impurity importance, largest first. */
  readonly importances: { name: string; importance: number }[];
  readonly trainSeconds: number;
}

/**
 * Trains a classifier on a stratified share of an encoded binary table and scores the rest: the
 * evaluation behind `forest evaluate` and the churn model's hold-out report.
 */
export async function evaluateHoldOut(table: EncodedTable, options: HoldOutOptions = {}): Promise<{ report: HoldOutReport; model: RandomForestClassifier }> {
  if (table.encoding.targetKind !== 'binary') {
    throw new Error(`Hold-out evaluation needs a two-valued target; "${table.encoding.target}" is ${table.encoding.targetKind}.`);
  }
  const seed = options.seed ?? 1;
  const split = stratifiedSplit(table.y, options.testShare ?? 0.2, seed);
  const trainX = takeRows(table.X, split.train);
  const testX = takeRows(table.X, split.test);
  const trainY = split.train.map((i) => table.y[i]);
  const testY = split.test.map((i) => table.y[i]);

  const model = new RandomForestClassifier({
    nEstimators: options.trees ?? 100,
    maxDepth: options.maxDepth ?? null,
    minSamplesLeaf: options.minSamplesLeaf ?? 1,
    classWeight: options.classWeight ?? null,
    nJobs: options.nJobs ?? 1,
    seed,
    featureNames: table.featureNames,
    onProgress: options.onProgress,
    signal: options.signal,
    shouldCancel: options.shouldCancel,
  });
  const started = performance.now();
  await model.trainAsync(trainX, trainY);
  const trainSeconds = (performance.now() - started) / 1000;

  const scores = model.predictProbability(testX);
  const positives = testY.reduce((sum, v) => sum + v, 0);
  const importances = model
    .featureImportance()
    .map((importance, f) => ({ name: table.featureNames[f], importance }))
    .sort((a, b) => b.importance - a.importance);
  const report: HoldOutReport = {
    rows: table.X.rows,
    trainRows: split.train.length,
    testRows: split.test.length,
    features: table.X.columns,
    positiveLabel: table.encoding.targetLevels[1],
    testPositiveRate: positives / testY.length,
    rocAuc: rocAuc(testY, scores),
    prAuc: prAuc(testY, scores),
    brierScore: brierScore(testY, scores),
    atHalf: confusionMatrix(testY, scores, 0.5),
    bestF1: bestF1Threshold(testY, scores),
    lift: liftByDecile(testY, scores),
    calibration: calibrationTable(testY, scores),
    importances,
    trainSeconds,
  };
  return { report, model };
}
