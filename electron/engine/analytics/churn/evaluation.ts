/**
 * The hold-out evaluation on the model card: ROC and PR AUC, lift and capture rate by decile, a calibration
 * table, confusion counts on a threshold grid for the UI's slider, and the default threshold.
 */
import type { ModelCard } from '../../../../shared/analytics';
import { brierScore, calibrationTable, liftByDecile, prAuc, rocAuc, rocCurve } from '../metrics';

export type CardEvaluation = Pick<ModelCard, 'metrics' | 'roc' | 'lift' | 'calibration' | 'thresholds' | 'defaultThreshold'>;

/** The chart needs the curve's shape, not every distinct score of 40,000 customers. */
export const MAX_ROC_POINTS = 200;

/** Thresholds 0.00, 0.01, …, 1.00. */
export const THRESHOLD_STEPS = 100;

const round = (value: number, digits = 6) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * At most `max` points of the curve, always keeping both ends. Points are picked evenly by index along the
 * curve, which keeps its bends wherever the scores are dense.
 */
export function downsampleRoc(fpr: readonly number[], tpr: readonly number[], max = MAX_ROC_POINTS): { fpr: number; tpr: number }[] {
  const n = fpr.length;
  if (n <= max) return fpr.map((x, i) => ({ fpr: round(x), tpr: round(tpr[i]!) }));
  const points: { fpr: number; tpr: number }[] = [];
  for (let k = 0; k < max; k++) {
    const i = Math.round((k * (n - 1)) / (max - 1));
    points.push({ fpr: round(fpr[i]!), tpr: round(tpr[i]!) });
  }
  return points;
}

/**
 * Confusion counts at each grid threshold (predicted churn when probability ≥ threshold), counted in one
 * pass over the scores bucketed by grid step.
 */
export function thresholdTable(yTrue: ArrayLike<number>, scores: ArrayLike<number>, steps = THRESHOLD_STEPS): ModelCard['thresholds'] {
  // atOrAbove[k][label]: rows whose score is ≥ k/steps, built from per-bucket counts.
  const bucketPositives = new Float64Array(steps + 2);
  const bucketNegatives = new Float64Array(steps + 2);
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const k = gridIndex(scores[i]!, steps);
    if (yTrue[i] === 1) {
      bucketPositives[k]++;
      positives++;
    } else bucketNegatives[k]++;
  }
  const negatives = yTrue.length - positives;
  const rows: ModelCard['thresholds'] = [];
  let tp = 0;
  let fp = 0;
  for (let k = steps; k >= 0; k--) {
    tp += bucketPositives[k]!;
    fp += bucketNegatives[k]!;
    const fn = positives - tp;
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = positives > 0 ? tp / positives : 0;
    const f1 = 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
    rows.push({ threshold: round(k / steps, 2), tp, fp, tn: negatives - fp, fn, precision: round(precision), recall: round(recall), f1: round(f1) });
  }
  return rows.reverse();
}

/**
 * The highest k with k/steps ≤ score, exactly as `score >= threshold` compares: 0.29 * 100 is
 * 28.999999999999996 in floating point, yet 0.29 >= 29/100.
 */
function gridIndex(score: number, steps: number): number {
  let k = Math.min(steps, Math.max(0, Math.floor(score * steps)));
  while (k < steps && (k + 1) / steps <= score) k++;
  while (k > 0 && k / steps > score) k--;
  return k;
}

/** The grid threshold with the highest F1; among equal F1, the highest threshold (fewer calls to make). */
export function bestF1OnGrid(rows: ModelCard['thresholds']): number {
  let best = rows[0]!;
  for (const row of rows) if (row.f1 >= best.f1) best = row;
  return best.threshold;
}

export function evaluateScores(yTrue: ArrayLike<number>, scores: ArrayLike<number>): CardEvaluation {
  const curve = rocCurve(yTrue, scores);
  const deciles = liftByDecile(yTrue, scores);
  const thresholds = thresholdTable(yTrue, scores);
  return {
    metrics: {
      rocAuc: round(rocAuc(yTrue, scores)),
      prAuc: round(prAuc(yTrue, scores)),
      liftTopDecile: round(deciles[0]!.lift, 4),
      brier: round(brierScore(yTrue, scores)),
    },
    roc: downsampleRoc(curve.fpr, curve.tpr),
    lift: deciles.map((d) => ({ decile: d.decile, lift: round(d.lift, 4), captureRate: round(d.captureRate, 4), churnRate: round(d.rate, 4) })),
    calibration: calibrationTable(yTrue, scores, { bins: 10 }).map((c) => ({ predicted: round(c.meanPredicted), observed: round(c.observedRate), count: c.count })),
    thresholds,
    defaultThreshold: bestF1OnGrid(thresholds),
  };
}
