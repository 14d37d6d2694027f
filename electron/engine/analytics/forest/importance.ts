import { Random } from '../../../../shared/random';
import type { ColumnMatrix } from './matrix';
import type { BuiltTree } from './tree-builder';

/**
 * Impurity-based importance as scikit-learn computes it: each tree's weighted impurity decreases per
 * feature, normalised to sum 1 within the tree; the mean over trees that split at all, normalised again.
 */
export function impurityImportance(built: readonly BuiltTree[], features: number): Float64Array {
  const total = new Float64Array(features);
  for (const { tree, importance } of built) {
    if (tree.nodeCount <= 1) continue;
    let sum = 0;
    for (let f = 0; f < features; f++) sum += importance[f];
    if (sum <= 0) continue;
    for (let f = 0; f < features; f++) total[f] += importance[f] / sum;
  }
  let sum = 0;
  for (let f = 0; f < features; f++) sum += total[f];
  if (sum > 0) for (let f = 0; f < features; f++) total[f] /= sum;
  return total;
}

export interface PermutationImportanceOptions {
  /** Shuffles per feature. Default 5. */
  repeats?: number;
  /** Default 42. */
  seed?: number;
}

export interface PermutationImportance {
  /** Score on the unshuffled data. */
  readonly baseline: number;
  /** Per feature: mean drop of the score when the feature is shuffled (higher = more important). */
  readonly mean: number[];
  readonly std: number[];
  /** Per feature, the drop of every repeat. */
  readonly drops: number[][];
}

/**
 * Drop of a score when one feature's column is shuffled, breaking its link to the target. `score` sees a
 * working copy of X with one column permuted at a time. Each feature has its own random stream, so a
 * feature's result does not depend on the others.
 */
export function permutationImportance(score: (X: ColumnMatrix) => number, X: ColumnMatrix, options: PermutationImportanceOptions = {}): PermutationImportance {
  const repeats = options.repeats ?? 5;
  const seed = options.seed ?? 42;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`repeats must be an integer >= 1, got ${repeats}.`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative integer, got ${seed}.`);
  const baseline = score(X);
  const { rows, columns } = X;
  const working: ColumnMatrix = { rows, columns, data: X.data.slice() };
  const mean: number[] = [];
  const std: number[] = [];
  const drops: number[][] = [];
  for (let f = 0; f < columns; f++) {
    const random = new Random(seed).fork(f);
    const original = X.data.subarray(f * rows, (f + 1) * rows);
    const column = working.data.subarray(f * rows, (f + 1) * rows);
    const featureDrops: number[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      column.set(original);
      for (let i = rows - 1; i > 0; i--) {
        const j = random.int(i + 1);
        const tmp = column[i];
        column[i] = column[j];
        column[j] = tmp;
      }
      featureDrops.push(baseline - score(working));
    }
    column.set(original);
    const average = featureDrops.reduce((a, b) => a + b, 0) / repeats;
    const variance = featureDrops.reduce((a, b) => a + (b - average) ** 2, 0) / repeats;
    mean.push(average);
    std.push(Math.sqrt(variance));
    drops.push(featureDrops);
  }
  return { baseline, mean, std, drops };
}
