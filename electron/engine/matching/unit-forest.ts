/**
 * One model unit's propensity forest: trained on the customers who could have become new holders, with
 * every new holder and, above `maxRows`, a seeded sample of the others; its probabilities are corrected for
 * that sample, so that they stay the chance of opening within the horizon.
 *
 * Keeping negatives with rate s multiplies the odds by 1/s; the correction multiplies them back:
 * p = s·p' / (s·p' + 1 − p').
 */
import { Random } from '../../../shared/random';
import { CancelledError } from '../errors';
import type { JobContext } from '../context';
import { RandomForestClassifier, TrainingCancelledError, type ColumnMatrix, type TreeWorkerPool } from '../analytics/forest/index';
import type { ParsedRequestOf } from '../../../shared/api';
import { MATCH_FEATURE_KEYS, matchMatrix } from './match-features';
import type { UnitLabels, WindowData } from './window-data';

export type MatchTrainRequest = ParsedRequestOf<'matching.train'>;

export interface UnitForest {
  readonly forest: RandomForestClassifier;
  /** Share of the non-holders kept for training (1 when all were). */
  readonly negativeRate: number;
  readonly trainRows: number;
}

/** Rows to train on: every positive, and the negatives sampled down to fill `maxRows`. */
export function sampleTrainingRows(labels: UnitLabels, maxRows: number, seed: number): { picks: Int32Array; negativeRate: number } {
  const total = labels.rows.length;
  const negatives = total - labels.positives;
  const room = Math.max(0, maxRows - labels.positives);
  if (negatives <= room) return { picks: Int32Array.from({ length: total }, (_, k) => k), negativeRate: 1 };
  const rate = room / negatives;
  const random = new Random(seed).fork('negatives');
  const picks: number[] = [];
  for (let k = 0; k < total; k++) if (labels.y[k] === 1 || random.next() < rate) picks.push(k);
  return { picks: Int32Array.from(picks), negativeRate: rate };
}

export async function trainUnitForest(
  ctx: JobContext,
  data: WindowData,
  labels: UnitLabels,
  request: MatchTrainRequest,
  maxRows: number,
  onTree: (done: number) => void,
  pool: TreeWorkerPool | null = null,
): Promise<UnitForest> {
  const { picks, negativeRate } = sampleTrainingRows(labels, maxRows, request.seed);
  const rows = Int32Array.from(picks, (k) => labels.rows[k]!);
  const X = matchMatrix(data.core, data.facts, rows);
  const y = Float64Array.from(picks, (k) => labels.y[k]!);
  const forest = new RandomForestClassifier({
    nEstimators: request.trees,
    maxDepth: request.maxDepth,
    minSamplesLeaf: request.minSamplesLeaf,
    seed: request.seed,
    nJobs: 'auto',
    workerPool: pool,
    featureNames: MATCH_FEATURE_KEYS,
    onProgress: onTree,
    shouldCancel: () => ctx.cancelled(),
  });
  try {
    await forest.trainAsync(X, y);
  } catch (error) {
    if (error instanceof TrainingCancelledError) throw new CancelledError();
    throw error;
  }
  return { forest, negativeRate, trainRows: rows.length };
}

/** Calibrated probabilities of opening, for the rows of X. */
export function propensities(forest: RandomForestClassifier, negativeRate: number, X: ColumnMatrix): Float64Array {
  const p = forest.predictProbability(X);
  if (negativeRate >= 1) return p;
  for (let i = 0; i < p.length; i++) {
    const raw = p[i]!;
    p[i] = (negativeRate * raw) / (negativeRate * raw + 1 - raw);
  }
  return p;
}
