import { accuracy, meanSquaredError, prAuc, r2Score, rocAuc } from '../metrics';
import { treePathContributions, type Contributions } from './contributions';
import { impurityImportance, permutationImportance, type PermutationImportance, type PermutationImportanceOptions } from './importance';
import { toColumnMatrix, type ColumnMatrix, type MatrixInput } from './matrix';
import {
  resolveExecution,
  resolveHyperparameters,
  treeParamsFor,
  type ClassifierOptions,
  type ClassWeightOption,
  type ExecutionSettings,
  type RegressorOptions,
  type ResolvedHyperparameters,
  type TrainingControl,
} from './options';
import { trainTreesInParallel } from './parallel';
import { compileTree, meanLeafValue, slotValues, type ScoringTree } from './predict';
import { prepareClassification, prepareRegression } from './prepare';
import { trainTreesSequentially } from './sequential';
import { deserializeTree, serializeTree, type SerializedTree } from './serialization';
import type { FlatTree } from './tree';
import type { BuiltTree } from './tree-builder';
import type { TrainingSet } from './training-set';

export const MODEL_FORMAT = 'bpw-random-forest';
export const MODEL_VERSION = 1;

/** A fitted forest as plain JSON. Trees are base64 typed arrays; see serialization.ts. */
export interface ForestJSON {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  name: 'RFClassifier' | 'RFRegressor';
  hyperparameters: ResolvedHyperparameters;
  featureCount: number;
  featureNames: string[] | null;
  featureImportances: number[];
  /** Classifier only (empty for a regressor): sorted labels, the option given and the weights used. */
  classes: number[];
  classWeight: ClassWeightOption;
  classWeights: number[];
  trees: SerializedTree[];
}

/**
 * How permutationImportance scores a model. A function receives the true values and, per row, the
 * positive-class probability (binary classifier), the predicted label (multiclass) or the prediction
 * (regressor); higher must mean better.
 */
export type PermutationMetric =
  | 'roc_auc'
  | 'pr_auc'
  | 'accuracy'
  | 'r2'
  | 'neg_mean_squared_error'
  | ((yTrue: ArrayLike<number>, scores: Float64Array) => number);

export interface ForestPermutationOptions extends PermutationImportanceOptions {
  /** Default: 'roc_auc' for a binary classifier, 'accuracy' for multiclass, 'r2' for a regressor. */
  metric?: PermutationMetric;
}

/** What the classifier and the regressor share: training plumbing, scoring input checks, importances. */
abstract class ForestModel {
  protected hyper: ResolvedHyperparameters;
  protected execution: ExecutionSettings;
  protected control: TrainingControl;
  protected trees: FlatTree[] = [];
  protected importances: Float64Array = new Float64Array(0);
  protected featureCount = 0;
  protected names: string[] | null;
  private threadsUsed = 0;
  private readonly requestedNames: readonly string[] | null;
  /** Scoring layouts of the trees and their node values per channel, built on first use. */
  private scoringTrees: ScoringTree[] | null = null;
  private readonly nodeValues = new Map<number, Float64Array[]>();

  protected constructor(options: ClassifierOptions | RegressorOptions, task: 'classification' | 'regression') {
    this.hyper = resolveHyperparameters(options, task);
    this.execution = resolveExecution(options);
    this.control = { onProgress: options.onProgress, signal: options.signal, shouldCancel: options.shouldCancel };
    this.requestedNames = options.featureNames ?? null;
    this.names = null;
  }

  /** Checks the data and builds the training set; `classes` is empty for regression. */
  protected abstract prepare(X: ColumnMatrix, y: ArrayLike<number>): { set: TrainingSet; classes: number[] };

  /** Takes over what the subclass keeps about the target, once training has succeeded. */
  protected abstract adoptTarget(set: TrainingSet, classes: number[]): void;

  /** Trains on the calling thread. Progress and cancellation are checked between trees. */
  train(X: MatrixInput, y: ArrayLike<number>): this {
    const { set, classes } = this.prepareChecked(X, y);
    const params = treeParamsFor(this.hyper, this.execution, set.rows, set.features);
    this.adopt(trainTreesSequentially(set, params, this.hyper.seed, this.hyper.nEstimators, this.control), set, classes);
    this.threadsUsed = 1;
    return this;
  }

  /**
   * Trains on up to nJobs threads (this one and nJobs − 1 workers, started only when the forest is big
   * enough to repay them), yielding to the event loop between trees so an AbortSignal can stop it. The
   * result is identical to train() with the same seed.
   */
  async trainAsync(X: MatrixInput, y: ArrayLike<number>): Promise<this> {
    const { set, classes } = this.prepareChecked(X, y);
    const params = treeParamsFor(this.hyper, this.execution, set.rows, set.features);
    const { nJobs, workerStart, workerPool } = this.execution;
    const outcome = await trainTreesInParallel(set, params, this.hyper.seed, this.hyper.nEstimators, nJobs, this.control, workerStart, workerPool);
    this.adopt(outcome.trees, set, classes);
    this.threadsUsed = outcome.threads;
    return this;
  }

  /** Threads the last training used, the calling one included (1 after train()). */
  get trainingThreads(): number {
    return this.threadsUsed;
  }

  private prepareChecked(X: MatrixInput, y: ArrayLike<number>): { set: TrainingSet; classes: number[] } {
    const matrix = toColumnMatrix(X);
    if (this.requestedNames && this.requestedNames.length !== matrix.columns) {
      throw new Error(`featureNames has ${this.requestedNames.length} names but X has ${matrix.columns} features.`);
    }
    return this.prepare(matrix, y);
  }

  /** Only a finished training replaces the model, so a failed or cancelled one leaves it as it was. */
  private adopt(built: BuiltTree[], set: TrainingSet, classes: number[]): void {
    this.setTrees(built.map((b) => b.tree));
    this.importances = impurityImportance(built, set.features);
    this.featureCount = set.features;
    this.names = this.requestedNames ? [...this.requestedNames] : null;
    this.adoptTarget(set, classes);
  }

  private setTrees(trees: FlatTree[]): void {
    this.trees = trees;
    this.scoringTrees = null;
    this.nodeValues.clear();
  }

  /** The trees in scoring layout and their node values in one channel, built once and kept. */
  private scoringLayout(channel: number): { compiled: ScoringTree[]; values: Float64Array[] } {
    const compiled = (this.scoringTrees ??= this.trees.map(compileTree));
    let values = this.nodeValues.get(channel);
    if (!values) {
      values = this.trees.map((tree, t) => slotValues(tree, compiled[t], channel));
      this.nodeValues.set(channel, values);
    }
    return { compiled, values };
  }

  /** Mean over the trees of channel `channel` of each row's leaf value. */
  protected meanOfChannel(X: ColumnMatrix, channel: number): Float64Array {
    const { compiled, values } = this.scoringLayout(channel);
    return meanLeafValue(compiled, values, X);
  }

  protected contributionsOfChannel(X: ColumnMatrix, channel: number): Contributions {
    const { compiled, values } = this.scoringLayout(channel);
    return treePathContributions(compiled, values, X);
  }

  get isTrained(): boolean {
    return this.trees.length > 0;
  }

  get nFeatures(): number {
    return this.featureCount;
  }

  get featureNames(): readonly string[] | null {
    return this.names;
  }

  get treeCount(): number {
    return this.trees.length;
  }

  /** Impurity-based importance per feature (mean decrease in impurity), summing to 1. */
  featureImportance(): number[] {
    this.requireTrained();
    return Array.from(this.importances);
  }

  protected requireTrained(): void {
    if (!this.isTrained) throw new Error('This forest is not trained yet; call train() or load a model first.');
  }

  /** The matrix to score, checked against the training shape. */
  protected scoringInput(X: MatrixInput): ColumnMatrix {
    this.requireTrained();
    const matrix = toColumnMatrix(X);
    if (matrix.rows > 0 && matrix.columns !== this.featureCount) {
      throw new Error(`X has ${matrix.columns} features, but the forest was trained on ${this.featureCount}.`);
    }
    return matrix;
  }

  /**
   * @param predictionOf labels or values, for accuracy, r2 and mean squared error
   * @param probabilityOf positive-class probability of a binary classifier, null otherwise
   */
  protected runPermutationImportance(
    X: MatrixInput,
    y: ArrayLike<number>,
    options: ForestPermutationOptions,
    defaultMetric: PermutationMetric,
    predictionOf: (X: ColumnMatrix) => Float64Array,
    probabilityOf: ((X: ColumnMatrix) => Float64Array) | null,
    positiveLabel: number | null,
  ): PermutationImportance {
    const matrix = this.scoringInput(X);
    if (y.length !== matrix.rows) throw new Error(`X has ${matrix.rows} rows but y has ${y.length} values; they must match.`);
    const metric = options.metric ?? defaultMetric;
    const rankingInput = (): [ArrayLike<number>, (X: ColumnMatrix) => Float64Array] => {
      if (!probabilityOf || positiveLabel === null) throw new Error(`The ${String(metric)} metric needs a binary classifier.`);
      return [Float64Array.from({ length: y.length }, (_, i) => (y[i] === positiveLabel ? 1 : 0)), probabilityOf];
    };
    let score: (working: ColumnMatrix) => number;
    if (typeof metric === 'function') {
      const scoresOf = probabilityOf ?? predictionOf;
      score = (working) => metric(y, scoresOf(working));
    } else if (metric === 'roc_auc' || metric === 'pr_auc') {
      const [truth, probabilities] = rankingInput();
      const rank = metric === 'roc_auc' ? rocAuc : prAuc;
      score = (working) => rank(truth, probabilities(working));
    } else if (metric === 'accuracy') score = (working) => accuracy(y, predictionOf(working));
    else if (metric === 'r2') score = (working) => r2Score(y, predictionOf(working));
    else if (metric === 'neg_mean_squared_error') score = (working) => -meanSquaredError(y, predictionOf(working));
    else throw new Error(`Unknown permutation metric ${String(metric)}.`);
    return permutationImportance(score, matrix, options);
  }

  protected serializeBase(name: ForestJSON['name']): Omit<ForestJSON, 'classes' | 'classWeight' | 'classWeights'> {
    this.requireTrained();
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      name,
      hyperparameters: { ...this.hyper },
      featureCount: this.featureCount,
      featureNames: this.names ? [...this.names] : null,
      featureImportances: Array.from(this.importances),
      trees: this.trees.map(serializeTree),
    };
  }

  protected restore(json: ForestJSON, valueWidth: number): void {
    if (!Number.isInteger(json.featureCount) || json.featureCount < 1) throw new Error('The model has no valid feature count.');
    if (!Array.isArray(json.trees) || json.trees.length === 0) throw new Error('The model holds no trees.');
    if (!Array.isArray(json.featureImportances) || json.featureImportances.length !== json.featureCount) {
      throw new Error('The model has no valid feature importances.');
    }
    if (json.featureNames !== null && (!Array.isArray(json.featureNames) || json.featureNames.length !== json.featureCount)) {
      throw new Error('The model has feature names that do not match its feature count.');
    }
    this.featureCount = json.featureCount;
    this.setTrees(json.trees.map((tree) => deserializeTree(tree, json.featureCount, valueWidth)));
    this.importances = Float64Array.from(json.featureImportances);
    this.names = json.featureNames ? [...json.featureNames] : null;
  }
}

function checkModelHeader(json: unknown, name: ForestJSON['name']): ForestJSON {
  const model = json as Partial<ForestJSON> | null;
  if (!model || typeof model !== 'object' || model.format !== MODEL_FORMAT) throw new Error(`Not a ${MODEL_FORMAT} model.`);
  if (model.version !== MODEL_VERSION) throw new Error(`Model version ${String(model.version)} is not supported (expected ${MODEL_VERSION}).`);
  if (model.name !== name) throw new Error(`The model is a ${String(model.name)}, not a ${name}.`);
  return model as ForestJSON;
}

/**
 * Random forest classifier on binned features (Gini criterion), with the interface of ml-random-forest's
 * RandomForestClassifier: train, predict, predictProbability, featureImportance, toJSON and load.
 *
 * Labels are numbers; for two classes the larger label is the positive one.
 */
export class RandomForestClassifier extends ForestModel {
  private labels: number[] = [];
  private weights: number[] = [];
  private readonly classWeightOption: ClassWeightOption;

  constructor(options: ClassifierOptions = {}) {
    super(options, 'classification');
    this.classWeightOption = options.classWeight ?? null;
  }

  protected prepare(X: ColumnMatrix, y: ArrayLike<number>): { set: TrainingSet; classes: number[] } {
    return prepareClassification(X, y, this.classWeightOption, this.hyper.maxBins, this.hyper.seed);
  }

  protected adoptTarget(set: TrainingSet, classes: number[]): void {
    this.labels = classes;
    this.weights = Array.from(set.classWeights);
  }

  /** Sorted class labels; probabilities are given in this order. */
  get classes(): readonly number[] {
    return this.labels;
  }

  /** The label with the highest mean probability over the trees. */
  predict(X: MatrixInput): Float64Array {
    const matrix = this.scoringInput(X);
    const bestProbability = this.meanOfChannel(matrix, 0);
    const out = new Float64Array(matrix.rows).fill(this.labels[0]);
    for (let k = 1; k < this.labels.length; k++) {
      const probability = this.meanOfChannel(matrix, k);
      for (let r = 0; r < matrix.rows; r++) {
        if (probability[r] > bestProbability[r]) {
          bestProbability[r] = probability[r];
          out[r] = this.labels[k];
        }
      }
    }
    return out;
  }

  /**
   * Probability of one class per row: of `label` when given (as in ml-random-forest), otherwise of the
   * positive (larger) class of a binary problem.
   */
  predictProbability(X: MatrixInput, label?: number): Float64Array {
    const matrix = this.scoringInput(X);
    return this.meanOfChannel(matrix, this.channelOf(label));
  }

  /** Probabilities of every class, row-major: rows × classes.length, in the order of `classes`. */
  predictProbabilities(X: MatrixInput): Float64Array {
    const matrix = this.scoringInput(X);
    const K = this.labels.length;
    const out = new Float64Array(matrix.rows * K);
    for (let k = 0; k < K; k++) {
      const probability = this.meanOfChannel(matrix, k);
      for (let r = 0; r < matrix.rows; r++) out[r * K + k] = probability[r];
    }
    return out;
  }

  /**
   * Tree-path contributions to the probability of `label` (default: the positive class of a binary
   * problem): bias + Σ_f values[row * nFeatures + f] = predictProbability(X, label)[row].
   */
  contributions(X: MatrixInput, label?: number): Contributions {
    const matrix = this.scoringInput(X);
    return this.contributionsOfChannel(matrix, this.channelOf(label));
  }

  /** Mean and spread of the score drop when each feature is shuffled; default metric ROC AUC (binary). */
  permutationImportance(X: MatrixInput, y: ArrayLike<number>, options: ForestPermutationOptions = {}): PermutationImportance {
    const binary = this.labels.length === 2;
    return this.runPermutationImportance(
      X,
      y,
      options,
      binary ? 'roc_auc' : 'accuracy',
      (working) => this.predict(working),
      binary ? (working) => this.meanOfChannel(working, 1) : null,
      binary ? this.labels[1] : null,
    );
  }

  private channelOf(label: number | undefined): number {
    if (label === undefined) {
      if (this.labels.length !== 2) {
        throw new Error(`With ${this.labels.length} classes, name the label to score or use predictProbabilities().`);
      }
      return 1;
    }
    const k = this.labels.indexOf(label);
    if (k < 0) throw new Error(`Label ${label} is not one of the classes (${this.labels.join(', ')}).`);
    return k;
  }

  toJSON(): ForestJSON {
    return { ...this.serializeBase('RFClassifier'), classes: [...this.labels], classWeight: this.classWeightOption, classWeights: [...this.weights] };
  }

  static load(json: unknown): RandomForestClassifier {
    const model = checkModelHeader(json, 'RFClassifier');
    if (!Array.isArray(model.classes) || model.classes.length < 2) throw new Error('The model has no valid class list.');
    const forest = new RandomForestClassifier({ ...model.hyperparameters, criterion: 'gini', classWeight: model.classWeight });
    forest.restore(model, model.classes.length);
    forest.labels = [...model.classes];
    forest.weights = [...model.classWeights];
    return forest;
  }
}

/** Random forest regressor on binned features (squared error criterion), for values such as CLV. */
export class RandomForestRegressor extends ForestModel {
  constructor(options: RegressorOptions = {}) {
    super(options, 'regression');
  }

  protected prepare(X: ColumnMatrix, y: ArrayLike<number>): { set: TrainingSet; classes: number[] } {
    return { set: prepareRegression(X, y, this.hyper.maxBins, this.hyper.seed), classes: [] };
  }

  protected adoptTarget(): void {
    // A regressor keeps nothing about its target beyond the trees.
  }

  /** Mean of the trees' predictions. */
  predict(X: MatrixInput): Float64Array {
    const matrix = this.scoringInput(X);
    return this.meanOfChannel(matrix, 0);
  }

  /** bias + Σ_f values[row * nFeatures + f] = predict(X)[row]. */
  contributions(X: MatrixInput): Contributions {
    const matrix = this.scoringInput(X);
    return this.contributionsOfChannel(matrix, 0);
  }

  /** Mean and spread of the score drop when each feature is shuffled; default metric R². */
  permutationImportance(X: MatrixInput, y: ArrayLike<number>, options: ForestPermutationOptions = {}): PermutationImportance {
    return this.runPermutationImportance(X, y, options, 'r2', (working) => this.meanOfChannel(working, 0), null, null);
  }

  toJSON(): ForestJSON {
    return { ...this.serializeBase('RFRegressor'), classes: [], classWeight: null, classWeights: [] };
  }

  static load(json: unknown): RandomForestRegressor {
    const model = checkModelHeader(json, 'RFRegressor');
    const forest = new RandomForestRegressor({ ...model.hyperparameters, criterion: 'squared_error' });
    forest.restore(model, 1);
    return forest;
  }
}
