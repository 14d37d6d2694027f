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
import { takeRows, type ColumnMatrix } from './matrix';
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
  nJobs?: number | 'auto';
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
  /** Threads the training used (see ForestHyperparameters.nJobs). */
  readonly threads: number;
}

/** A train and a test set, however they were obtained. */
export interface TrainTestSplit {
  readonly trainX: ColumnMatrix;
  readonly trainY: Float64Array;
  readonly testX: ColumnMatrix;
  readonly testY: Float64Array;
}

/**
 * Trains a classifier on a stratified share of an encoded binary table and scores the rest: the
 * evaluation behind `forest evaluate` and the churn model's hold-out report.
 */
export async function evaluateHoldOut(table: EncodedTable, options: HoldOutOptions = {}): Promise<{ report: HoldOutReport; model: RandomForestClassifier }> {
  requireBinary(table);
  const split = stratifiedSplit(table.y, options.testShare ?? 0.2, options.seed ?? 1);
  return evaluateSplit(
    table,
    { trainX: takeRows(table.X, split.train), trainY: Float64Array.from(split.train, (i) => table.y[i]!), testX: takeRows(table.X, split.test), testY: Float64Array.from(split.test, (i) => table.y[i]!) },
    options,
  );
}

/**
 * Trains on one table and scores another encoded the same way (`forest evaluate --test-file`): an
 * out-of-time check, or the identical split another tool is compared on.
 */
export async function evaluateOnTestTable(
  train: EncodedTable,
  test: { X: ColumnMatrix; y: Float64Array },
  options: HoldOutOptions = {},
): Promise<{ report: HoldOutReport; model: RandomForestClassifier }> {
  requireBinary(train);
  return evaluateSplit(train, { trainX: train.X, trainY: train.y, testX: test.X, testY: test.y }, options);
}

function requireBinary(table: EncodedTable): void {
  if (table.encoding.targetKind !== 'binary') {
    throw new Error(`Hold-out evaluation needs a two-valued target; "${table.encoding.target}" is ${table.encoding.targetKind}.`);
  }
}

async function evaluateSplit(table: EncodedTable, split: TrainTestSplit, options: HoldOutOptions): Promise<{ report: HoldOutReport; model: RandomForestClassifier }> {
  const { trainX, trainY, testX, testY } = split;
  const model = new RandomForestClassifier({
    nEstimators: options.trees ?? 100,
    maxDepth: options.maxDepth ?? null,
    minSamplesLeaf: options.minSamplesLeaf ?? 1,
    classWeight: options.classWeight ?? null,
    nJobs: options.nJobs ?? 1,
    seed: options.seed ?? 1,
    featureNames: table.featureNames,
    onProgress: options.onProgress,
    signal: options.signal,
    shouldCancel: options.shouldCancel,
  });
  const started = performance.now();
  await model.trainAsync(trainX, trainY);
  const trainSeconds = (performance.now() - started) / 1000;

  const scores = model.predictProbability(testX);
  let positives = 0;
  for (let i = 0; i < testY.length; i++) positives += testY[i]!;
  const importances = model
    .featureImportance()
    .map((importance, f) => ({ name: table.featureNames[f]!, importance }))
    .sort((a, b) => b.importance - a.importance);
  const report: HoldOutReport = {
    rows: trainX.rows + testX.rows,
    trainRows: trainX.rows,
    testRows: testX.rows,
    features: trainX.columns,
    positiveLabel: table.encoding.targetLevels[1]!,
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
    threads: model.trainingThreads,
  };
  return { report, model };
}
