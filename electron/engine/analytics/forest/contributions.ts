import type { ColumnMatrix } from './matrix';
import { blockRowsFor, copyRowsRowMajor, type ScoringTree } from './predict';

/**
 * Tree-path attribution of predictions (Saabas): walking a row down a tree, each split moves the node
 * value from the parent's to the child's, and that change is credited to the split's feature. Averaged
 * over the trees, bias + Σ_f values[row * features + f] equals the row's prediction.
 */
export interface Contributions {
  /** Mean root value over the trees: the prediction before any feature is looked at. */
  readonly bias: number;
  readonly rows: number;
  readonly features: number;
  /** Row-major: values[row * features + feature]. */
  readonly values: Float64Array;
}

/**
 * Contributions to one channel of the node values (a class probability, or the regression mean).
 * `nodeValues[t]` holds that channel for every slot of tree t (see slotValues); rows are walked in
 * row-major blocks like in scoring.
 */
export function treePathContributions(trees: readonly ScoringTree[], nodeValues: readonly Float64Array[], X: ColumnMatrix): Contributions {
  const { rows, columns } = X;
  const values = new Float64Array(rows * columns);
  let bias = 0;
  for (const value of nodeValues) bias += value[0];
  const blockRows = blockRowsFor(columns);
  const block = new Float64Array(Math.min(rows, blockRows) * columns);
  for (let from = 0; from < rows; from += blockRows) {
    const to = Math.min(rows, from + blockRows);
    copyRowsRowMajor(X, from, to, block);
    for (let t = 0; t < trees.length; t++) {
      const { numbers, links, depth } = trees[t];
      const value = nodeValues[t];
      for (let r = from, base = 0; r < to; r++, base += columns) {
        const rowBase = r * columns;
        let slot = 0;
        for (let d = 0; d < depth; d++) {
          const code = links[4 * slot + 2];
          const x = block[base + (code >> 1)];
          const next = links[4 * slot + 3] + (+(x > numbers[2 * slot]) | (+(x !== x) & code));
          // A leaf loops onto itself.
          if (next === slot) break;
          values[rowBase + (code >> 1)] += value[next] - value[slot];
          slot = next;
        }
      }
    }
  }
  const scale = 1 / trees.length;
  for (let i = 0; i < values.length; i++) values[i] *= scale;
  return { bias: bias * scale, rows, features: columns, values };
}
