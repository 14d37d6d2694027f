/**
 * Pure shaping and number formats of the churn model card (unit-tested): the figures an analyst quotes
 * (AUC to three decimals, lift to one, rates in percent), the confusion counts at a threshold, and the
 * series of the ROC, lift and calibration charts.
 */
import type { ModelCard } from '../../../../shared/analytics';
import { formatThreshold as formatShareThreshold } from '../../../../shared/churn';
import { formatShare } from '../../../../shared/glossary';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** ROC AUC, PR AUC, Brier score: three decimals, 0.8123 → '0.812'. */
export function formatScore(value: number | null | undefined): string {
  return isNum(value) ? value.toFixed(3) : '—';
}

/** Lift: one decimal without trailing zero noise, 3.04 → '3.0'. */
export function formatLift(value: number | null | undefined): string {
  return isNum(value) ? value.toFixed(1) : '—';
}

/** A 0–1 rate in percent with one decimal, as everywhere (glossary): 0.1234 → '12.3%', 0.9994 → '99.9%'. */
export function formatRate(value: number | null | undefined): string {
  return formatShare(value);
}

/** A threshold as a percentage, as the settings and the risk list show it: 0.13 → '13%', never '0.13'. */
export function formatThreshold(value: number | null | undefined): string {
  return isNum(value) ? formatShareThreshold(value) : '—';
}

/** Seconds of training as people say them: 42.3 → '42.3 秒' is left to the locale; here 42.3 → '42.3'. */
export function formatSeconds(value: number | null | undefined): string {
  if (!isNum(value)) return '—';
  return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
}

export type ThresholdRow = ModelCard['thresholds'][number];

/** Thresholds in increasing order. */
export function sortedThresholds(card: ModelCard): ThresholdRow[] {
  return [...card.thresholds].sort((a, b) => a.threshold - b.threshold);
}

/** Index in `sortedThresholds` of the threshold nearest to `value`. */
export function nearestThresholdIndex(rows: readonly ThresholdRow[], value: number): number {
  let best = 0;
  rows.forEach((row, i) => {
    if (Math.abs(row.threshold - value) < Math.abs(rows[best]!.threshold - value)) best = i;
  });
  return best;
}

export interface ConfusionView extends ThresholdRow {
  /** Test customers above the threshold, and their share of the test sample. */
  flagged: number;
  flaggedShare: number;
  /** Share of test customers classified right. */
  accuracy: number;
  total: number;
}

/** The confusion counts at a threshold row with what the analyst asks next: how many would we call? */
export function confusionView(row: ThresholdRow): ConfusionView {
  const total = row.tp + row.fp + row.tn + row.fn;
  const flagged = row.tp + row.fp;
  return { ...row, total, flagged, flaggedShare: total > 0 ? flagged / total : 0, accuracy: total > 0 ? (row.tp + row.tn) / total : 0 };
}

/** ROC points [fpr, tpr] from (0,0) to (1,1), in order of the false positive rate. */
export function rocPoints(card: ModelCard): [number, number][] {
  const points = card.roc.map((p) => [p.fpr, p.tpr] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (points.length === 0 || points[0]![0] > 0 || points[0]![1] > 0) points.unshift([0, 0]);
  const last = points[points.length - 1]!;
  if (last[0] < 1 || last[1] < 1) points.push([1, 1]);
  return points;
}

export interface LiftSeries {
  deciles: number[];
  lift: number[];
  /** Cumulative share of all churners captured down to the decile, in percent. */
  capture: number[];
  churnRate: number[];
}

/** Lift per decile (1 = the riskiest tenth) with the cumulative capture rate in percent. */
export function liftSeries(card: ModelCard): LiftSeries {
  const rows = [...card.lift].sort((a, b) => a.decile - b.decile);
  return {
    deciles: rows.map((r) => r.decile),
    lift: rows.map((r) => Math.round(r.lift * 100) / 100),
    capture: rows.map((r) => Math.round(r.captureRate * 1000) / 10),
    churnRate: rows.map((r) => Math.round(r.churnRate * 1000) / 10),
  };
}

/** Calibration points [mean predicted, observed rate, customers] in order of the prediction. */
export function calibrationPoints(card: ModelCard): [number, number, number][] {
  return [...card.calibration]
    .filter((b) => b.count > 0)
    .sort((a, b) => a.predicted - b.predicted)
    .map((b) => [Math.round(b.predicted * 1000) / 1000, Math.round(b.observed * 1000) / 1000, b.count]);
}

/** The most important features, largest first, with importance as a share of the total. */
export function topFeatures(card: ModelCard, n = 15): { feature: string; label: string; importance: number; share: number }[] {
  const total = card.featureImportance.reduce((s, f) => s + Math.max(0, f.importance), 0);
  return [...card.featureImportance]
    .sort((a, b) => b.importance - a.importance)
    .slice(0, n)
    .map((f) => ({ ...f, share: total > 0 ? Math.max(0, f.importance) / total : 0 }));
}
