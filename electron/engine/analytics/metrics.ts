/**
 * Evaluation metrics for binary scores (churn, propensity) and a stratified hold-out split.
 *
 * Conventions, as in scikit-learn: yTrue holds 1 for the positive class and 0 for the negative one; a
 * higher score means more likely positive; "predicted positive at threshold t" means score >= t. Tied
 * scores are always treated as one group, so no metric depends on the order of tied rows.
 */
import { Random } from '../../../shared/random';

type Labels = ArrayLike<number>;
type Scores = ArrayLike<number>;

function checkBinary(yTrue: Labels, scores: Scores, what: string): { positives: number; negatives: number } {
  if (yTrue.length !== scores.length) {
    throw new Error(`${what}: yTrue has ${yTrue.length} values but the scores have ${scores.length}; they must match.`);
  }
  if (yTrue.length === 0) throw new Error(`${what}: no rows to evaluate.`);
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const label = yTrue[i];
    if (label === 1) positives++;
    else if (label !== 0) throw new Error(`${what}: yTrue[${i}] is ${label}; labels must be 0 or 1.`);
    const score = scores[i];
    if (typeof score !== 'number' || Number.isNaN(score)) throw new Error(`${what}: score ${i} is not a number.`);
  }
  return { positives, negatives: yTrue.length - positives };
}

function requireBothClasses(counts: { positives: number; negatives: number }, what: string): void {
  if (counts.positives === 0 || counts.negatives === 0) {
    throw new Error(`${what} is undefined when yTrue holds only one class (${counts.positives} positives, ${counts.negatives} negatives).`);
  }
}

/** Row indices by descending score; ties keep ascending row order, so results never depend on the sort. */
function orderByScoreDescending(scores: Scores): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const values = Float64Array.from(scores as ArrayLike<number>);
  const sorted = Array.from(order).sort((a, b) => values[b] - values[a] || a - b);
  return Int32Array.from(sorted);
}

/**
 * Cumulative true and false positives at each distinct score, from the highest score down: predicting
 * positive for every score >= thresholds[i] gives tps[i] true and fps[i] false positives.
 */
function thresholdCounts(yTrue: Labels, scores: Scores): { thresholds: number[]; tps: number[]; fps: number[] } {
  const order = orderByScoreDescending(scores);
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    const row = order[i];
    if (yTrue[row] === 1) tp++;
    else fp++;
    const score = scores[row];
    const nextScore = i + 1 < order.length ? scores[order[i + 1]] : Number.NaN;
    if (nextScore !== score) {
      thresholds.push(score);
      tps.push(tp);
      fps.push(fp);
    }
  }
  return { thresholds, tps, fps };
}

/** Area under the ROC curve: the chance a random positive outscores a random negative, ties counting half. */
export function rocAuc(yTrue: Labels, scores: Scores): number {
  const counts = checkBinary(yTrue, scores, 'rocAuc');
  requireBothClasses(counts, 'ROC AUC');
  const { tps, fps } = thresholdCounts(yTrue, scores);
  // Trapezoids between consecutive distinct thresholds are exactly the half-credit for ties.
  let area = 0;
  let previousTp = 0;
  let previousFp = 0;
  for (let i = 0; i < tps.length; i++) {
    area += (fps[i] - previousFp) * (tps[i] + previousTp);
    previousTp = tps[i];
    previousFp = fps[i];
  }
  return area / (2 * counts.positives * counts.negatives);
}

export interface RocCurve {
  /** Starts at (0, 0) with threshold +Infinity and ends at (1, 1). */
  readonly fpr: number[];
  readonly tpr: number[];
  readonly thresholds: number[];
}

/**
 * ROC curve points at the distinct scores. Like scikit-learn's drop_intermediate, points lying on a
 * straight segment between their neighbours are dropped unless `keepAllPoints` is set.
 */
export function rocCurve(yTrue: Labels, scores: Scores, options: { keepAllPoints?: boolean } = {}): RocCurve {
  const counts = checkBinary(yTrue, scores, 'rocCurve');
  requireBothClasses(counts, 'The ROC curve');
  let { tps, fps, thresholds } = thresholdCounts(yTrue, scores);
  // As in scikit-learn, collinearity is judged on the threshold points before (0, 0) is prepended.
  if (!options.keepAllPoints && tps.length > 2) {
    const keep: number[] = [0];
    for (let i = 1; i < tps.length - 1; i++) {
      const bendsTp = tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0;
      const bendsFp = fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0;
      if (bendsTp || bendsFp) keep.push(i);
    }
    keep.push(tps.length - 1);
    tps = keep.map((i) => tps[i]);
    fps = keep.map((i) => fps[i]);
    thresholds = keep.map((i) => thresholds[i]);
  }
  tps = [0, ...tps];
  fps = [0, ...fps];
  thresholds = [Number.POSITIVE_INFINITY, ...thresholds];
  return {
    fpr: fps.map((fp) => fp / counts.negatives),
    tpr: tps.map((tp) => tp / counts.positives),
    thresholds,
  };
}

/**
 * Area under the precision–recall curve as average precision (scikit-learn's average_precision_score):
 * Σ (recall_i − recall_{i−1}) × precision_i over the distinct thresholds, no interpolation.
 */
export function prAuc(yTrue: Labels, scores: Scores): number {
  const counts = checkBinary(yTrue, scores, 'prAuc');
  if (counts.positives === 0) throw new Error('PR AUC is undefined when yTrue holds no positives.');
  const { tps, fps } = thresholdCounts(yTrue, scores);
  let precisionSum = 0;
  let previousRecall = 0;
  for (let i = 0; i < tps.length; i++) {
    const recall = tps[i] / counts.positives;
    const precision = tps[i] / (tps[i] + fps[i]);
    precisionSum += (recall - previousRecall) * precision;
    previousRecall = recall;
  }
  return precisionSum;
}

export interface DecileRow {
  /** 1 = the highest scores. */
  readonly decile: number;
  readonly count: number;
  readonly positives: number;
  /** Positive rate within the decile. */
  readonly rate: number;
  /** rate / overall positive rate. */
  readonly lift: number;
  readonly cumulativeCount: number;
  readonly cumulativePositives: number;
  /** Share of all positives found in deciles 1..this one. */
  readonly captureRate: number;
  readonly cumulativeLift: number;
  readonly minScore: number;
  readonly maxScore: number;
}

/**
 * Lift and capture rate by score decile (or another number of equal groups). Rows are ranked by score
 * (ties by row order) and cut into groups whose sizes differ by at most one.
 */
export function liftByDecile(yTrue: Labels, scores: Scores, options: { groups?: number } = {}): DecileRow[] {
  const groups = options.groups ?? 10;
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`groups must be an integer >= 1, got ${groups}.`);
  const counts = checkBinary(yTrue, scores, 'liftByDecile');
  const n = yTrue.length;
  if (groups > n) throw new Error(`Cannot cut ${n} rows into ${groups} groups.`);
  const baseRate = counts.positives / n;
  const order = orderByScoreDescending(scores);
  const table: DecileRow[] = [];
  let cumulativeCount = 0;
  let cumulativePositives = 0;
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * n) / groups);
    const to = Math.floor(((g + 1) * n) / groups);
    let positives = 0;
    for (let i = from; i < to; i++) if (yTrue[order[i]] === 1) positives++;
    const count = to - from;
    cumulativeCount += count;
    cumulativePositives += positives;
    const rate = positives / count;
    table.push({
      decile: g + 1,
      count,
      positives,
      rate,
      lift: baseRate > 0 ? rate / baseRate : 0,
      cumulativeCount,
      cumulativePositives,
      captureRate: counts.positives > 0 ? cumulativePositives / counts.positives : 0,
      cumulativeLift: baseRate > 0 ? cumulativePositives / cumulativeCount / baseRate : 0,
      minScore: scores[order[to - 1]],
      maxScore: scores[order[from]],
    });
  }
  return table;
}

export interface ConfusionMatrix {
  readonly threshold: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
  /** 0 when nothing is predicted positive. */
  readonly precision: number;
  readonly recall: number;
  readonly specificity: number;
  readonly accuracy: number;
  readonly f1: number;
}

function safeRatio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

function confusionFromCounts(threshold: number, tp: number, fp: number, positives: number, negatives: number): ConfusionMatrix {
  const fn = positives - tp;
  const tn = negatives - fp;
  return {
    threshold,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
    precision: safeRatio(tp, tp + fp),
    recall: safeRatio(tp, positives),
    specificity: safeRatio(tn, negatives),
    accuracy: (tp + tn) / (positives + negatives),
    f1: safeRatio(2 * tp, 2 * tp + fp + fn),
  };
}

/** Counts at one threshold: a row is predicted positive when its score >= threshold. */
export function confusionMatrix(yTrue: Labels, scores: Scores, threshold = 0.5): ConfusionMatrix {
  const counts = checkBinary(yTrue, scores, 'confusionMatrix');
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (scores[i] >= threshold) {
      if (yTrue[i] === 1) tp++;
      else fp++;
    }
  }
  return confusionFromCounts(threshold, tp, fp, counts.positives, counts.negatives);
}

/** The threshold (one of the scores) with the highest F1; among equals, the highest threshold. */
export function bestF1Threshold(yTrue: Labels, scores: Scores): ConfusionMatrix {
  const counts = checkBinary(yTrue, scores, 'bestF1Threshold');
  if (counts.positives === 0) throw new Error('The best F1 threshold is undefined when yTrue holds no positives.');
  const { thresholds, tps, fps } = thresholdCounts(yTrue, scores);
  let best = 0;
  let bestF1 = -1;
  for (let i = 0; i < thresholds.length; i++) {
    const f1 = (2 * tps[i]) / (tps[i] + fps[i] + counts.positives);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = i;
    }
  }
  return confusionFromCounts(thresholds[best], tps[best], fps[best], counts.positives, counts.negatives);
}

export interface CalibrationRow {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/**
 * Reliability table: predicted probability against the observed positive rate per bin. 'uniform' bins
 * split [0, 1] evenly; 'quantile' bins hold equal numbers of rows. Empty bins are left out, as in
 * scikit-learn's calibration_curve. Scores must be probabilities in [0, 1].
 */
export function calibrationTable(yTrue: Labels, scores: Scores, options: { bins?: number; strategy?: 'uniform' | 'quantile' } = {}): CalibrationRow[] {
  const bins = options.bins ?? 10;
  const strategy = options.strategy ?? 'uniform';
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`bins must be an integer >= 1, got ${bins}.`);
  if (strategy !== 'uniform' && strategy !== 'quantile') throw new Error(`strategy must be 'uniform' or 'quantile', got ${String(strategy)}.`);
  checkBinary(yTrue, scores, 'calibrationTable');
  const n = yTrue.length;
  for (let i = 0; i < n; i++) {
    if (scores[i] < 0 || scores[i] > 1) throw new Error(`calibrationTable: score ${i} is ${scores[i]}, outside [0, 1].`);
  }
  const binOf = new Int32Array(n);
  const lowers: number[] = [];
  const uppers: number[] = [];
  if (strategy === 'uniform') {
    for (let b = 0; b < bins; b++) {
      lowers.push(b / bins);
      uppers.push((b + 1) / bins);
    }
    for (let i = 0; i < n; i++) binOf[i] = Math.min(bins - 1, Math.floor(scores[i] * bins));
  } else {
    const order = orderByScoreDescending(scores).reverse();
    for (let b = 0; b < bins; b++) {
      const from = Math.floor((b * n) / bins);
      const to = Math.floor(((b + 1) * n) / bins);
      for (let i = from; i < to; i++) binOf[order[i]] = b;
      lowers.push(to > from ? scores[order[from]] : Number.NaN);
      uppers.push(to > from ? scores[order[to - 1]] : Number.NaN);
    }
  }
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const positives = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const b = binOf[i];
    count[b]++;
    predicted[b] += scores[i];
    positives[b] += yTrue[i];
  }
  const table: CalibrationRow[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    table.push({ lower: lowers[b], upper: uppers[b], count: count[b], meanPredicted: predicted[b] / count[b], observedRate: positives[b] / count[b] });
  }
  return table;
}

/** Mean squared gap between predicted probability and outcome. */
export function brierScore(yTrue: Labels, scores: Scores): number {
  checkBinary(yTrue, scores, 'brierScore');
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += (scores[i] - yTrue[i]) ** 2;
  return sum / yTrue.length;
}

/** Share of rows whose predicted label equals the true one. */
export function accuracy(yTrue: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (yTrue.length !== predicted.length) throw new Error(`accuracy: ${yTrue.length} labels against ${predicted.length} predictions.`);
  if (yTrue.length === 0) throw new Error('accuracy: no rows to evaluate.');
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === predicted[i]) hits++;
  return hits / yTrue.length;
}

export function meanSquaredError(yTrue: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (yTrue.length !== predicted.length) throw new Error(`meanSquaredError: ${yTrue.length} values against ${predicted.length} predictions.`);
  if (yTrue.length === 0) throw new Error('meanSquaredError: no rows to evaluate.');
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += (yTrue[i] - predicted[i]) ** 2;
  return sum / yTrue.length;
}

/** Coefficient of determination; 1 is perfect, 0 is no better than predicting the mean. */
export function r2Score(yTrue: ArrayLike<number>, predicted: ArrayLike<number>): number {
  const mse = meanSquaredError(yTrue, predicted);
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i];
  mean /= yTrue.length;
  let variance = 0;
  for (let i = 0; i < yTrue.length; i++) variance += (yTrue[i] - mean) ** 2;
  variance /= yTrue.length;
  return variance > 0 ? 1 - mse / variance : mse === 0 ? 1 : 0;
}

export interface Split {
  /** Ascending row indices. */
  readonly train: number[];
  readonly test: number[];
}

/**
 * A seeded hold-out split that keeps every class's share in both parts: each class contributes
 * round(size × testShare) rows to the test part, at least one and never all of them when it has two or
 * more rows. Labels may be any numbers.
 */
export function stratifiedSplit(y: ArrayLike<number>, testShare: number, seed: number): Split {
  if (!(testShare > 0 && testShare < 1)) throw new Error(`testShare must be between 0 and 1 (exclusive), got ${testShare}.`);
  if (y.length < 2) throw new Error(`stratifiedSplit needs at least 2 rows, got ${y.length}.`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const label = y[i];
    if (typeof label !== 'number' || Number.isNaN(label)) throw new Error(`stratifiedSplit: y[${i}] is not a number.`);
    const members = byClass.get(label);
    if (members) members.push(i);
    else byClass.set(label, [i]);
  }
  const random = new Random(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = random.shuffle(byClass.get(label) as number[]);
    let testCount = Math.round(members.length * testShare);
    if (members.length >= 2) testCount = Math.min(members.length - 1, Math.max(1, testCount));
    for (let i = 0; i < members.length; i++) (i < testCount ? test : train).push(members[i]);
  }
  train.sort((a, b) => a - b);
  test.sort((a, b) => a - b);
  return { train, test };
}
