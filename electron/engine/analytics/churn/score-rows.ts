/**
 * The scoring kernel: for rows [from, to) of the feature matrix, the churn probability, the band and the
 * stored explanation (explanation.ts). Runs on the job thread and in score-worker.ts alike.
 *
 * The probability is bias + Σ contributions: tree-path attribution sums exactly to the forest's
 * prediction, so one pass over the trees gives both the score and its explanation.
 */
import type { ChurnBand, FeatureKey } from '../../../../shared/analytics';
import { createColumnMatrix, type ColumnMatrix, type RandomForestClassifier } from '../forest/index';
import { driverText, type DriverTextOptions } from './drivers';
import { encodeDrivers, pickFeatures } from './explanation';

/**
 * Rows per unit of work. Each batch allocates its contributions (rows × features doubles) and a copy of
 * its rows; at 4,096 rows these stay under 1 MB, and scoring 200,000 customers took 30% less CPU than with
 * 16,384-row batches, whose multi-MB buffers kept the garbage collector busy.
 */
export const SCORE_BATCH_ROWS = 4_096;

/** Band codes as stored in a shared Uint8Array. */
export const BAND_CODES: readonly ChurnBand[] = ['high', 'medium', 'low'];

export interface ScoringSetup {
  modelId: number;
  keys: readonly FeatureKey[];
  highBand: number;
  mediumBand: number;
  text: DriverTextOptions;
}

/** Results of consecutive rows. */
export interface ScoredBatch {
  probability: Float64Array;
  /** Index into BAND_CODES. */
  band: Uint8Array;
  /** The stored explanation (explanation.ts) of each row. */
  json: string[];
}

/** Rows [from, to) of a column matrix as a new one (a copy of each column's slice). */
function sliceRows(X: ColumnMatrix, from: number, to: number): ColumnMatrix {
  const rows = to - from;
  const out = createColumnMatrix(rows, X.columns);
  for (let c = 0; c < X.columns; c++) out.data.set(X.data.subarray(c * X.rows + from, c * X.rows + to), c * rows);
  return out;
}

/** Scores rows [from, to). */
export function scoreChunk(forest: RandomForestClassifier, setup: ScoringSetup, X: ColumnMatrix, from: number, to: number): ScoredBatch {
  const { keys, highBand, mediumBand, modelId } = setup;
  const F = keys.length;
  const n = X.rows;
  const picked = new Int32Array(Math.max(F, 1));
  const taken = new Uint8Array(Math.max(F, 1));
  const texts: string[] = [];
  const json = new Array<string>(to - from);
  const probability = new Float64Array(to - from);
  const band = new Uint8Array(to - from);
  const { bias, values } = forest.contributions(sliceRows(X, from, to));
  for (let i = 0, base = 0; i < to - from; i++, base += F) {
    const r = from + i;
    let p = bias;
    for (let f = 0; f < F; f++) p += values[base + f]!;
    // Sums of leaf probabilities may stray a hair outside [0, 1].
    p = p < 0 ? 0 : p > 1 ? 1 : p;
    probability[i] = p;
    // 高 at or above highBand, 中 at or above mediumBand, 低 below (settings.churn).
    band[i] = p >= highBand ? 0 : p >= mediumBand ? 1 : 2;
    const pick = pickFeatures(values, base, F, picked, taken);
    texts.length = pick.drivers;
    for (let k = 0; k < pick.drivers; k++) texts[k] = driverText(keys[picked[k]!]!, X.data[picked[k]! * n + r]!, setup.text);
    json[i] = encodeDrivers(modelId, bias, p, keys, values, base, picked, pick, texts);
  }
  return { probability, band, json };
}
