import type { ColumnMatrix } from './matrix';
import { LEAF, type FlatTree } from './tree';

/**
 * A tree laid out for fast scoring.
 *
 * Each node is one 16-byte record, so a step down the tree touches one cache line: float64 #2s holds the
 * threshold, int32 #4s+2 holds feature × 2 + (1 when missing values go right), int32 #4s+3 the left
 * child; the right child is always left + 1 (nodes are renumbered breadth first, siblings side by side).
 *
 * A leaf is a node that loops onto itself: threshold +Infinity (nothing is greater, NaN included) and
 * left child = itself. So every row can take exactly `depth` steps without asking whether it has reached
 * a leaf, and a step is pure arithmetic with no branch for the CPU to mispredict.
 */
export interface ScoringTree {
  readonly numbers: Float64Array;
  readonly links: Int32Array;
  /** Longest root-to-leaf path. */
  readonly depth: number;
  /** Original node id of each slot, to read node values. */
  readonly nodeOfSlot: Int32Array;
}

export function compileTree(tree: FlatTree): ScoringTree {
  const n = tree.nodeCount;
  const buffer = new ArrayBuffer(n * 16);
  const numbers = new Float64Array(buffer);
  const links = new Int32Array(buffer);
  const nodeOfSlot = new Int32Array(n);
  const depthOfSlot = new Int32Array(n);
  let depth = 0;
  let nextSlot = 1;
  nodeOfSlot[0] = 0;
  // Slots are assigned in breadth-first order, so walking them in order is the breadth-first queue.
  for (let slot = 0; slot < nextSlot; slot++) {
    const node = nodeOfSlot[slot];
    const feature = tree.feature[node];
    if (feature === LEAF) {
      numbers[2 * slot] = Number.POSITIVE_INFINITY;
      links[4 * slot + 2] = 0;
      links[4 * slot + 3] = slot;
      continue;
    }
    numbers[2 * slot] = tree.threshold[node];
    links[4 * slot + 2] = feature * 2 + (tree.missingLeft[node] === 1 ? 0 : 1);
    links[4 * slot + 3] = nextSlot;
    const childDepth = depthOfSlot[slot] + 1;
    if (childDepth > depth) depth = childDepth;
    nodeOfSlot[nextSlot] = tree.left[node];
    nodeOfSlot[nextSlot + 1] = tree.right[node];
    depthOfSlot[nextSlot] = childDepth;
    depthOfSlot[nextSlot + 1] = childDepth;
    nextSlot += 2;
  }
  return { numbers, links, depth, nodeOfSlot };
}

/** Channel `channel` of every node's value, indexed by slot (leaves and internal nodes alike). */
export function slotValues(tree: FlatTree, compiled: ScoringTree, channel: number): Float64Array {
  const values = new Float64Array(tree.nodeCount);
  for (let slot = 0; slot < tree.nodeCount; slot++) values[slot] = tree.value[compiled.nodeOfSlot[slot] * tree.valueWidth + channel];
  return values;
}

/**
 * Rows are scored in blocks copied to row-major order. Each tree walks a whole block before the next
 * tree, so the tree stays in cache; blocks are large (about 1.6 MB) so the trees are streamed from
 * memory only a few times.
 */
const BLOCK_VALUES = 8192 * 25;

/** Rows per block for a matrix with this many columns: a multiple of 8, about BLOCK_VALUES cells. */
export function blockRowsFor(columns: number): number {
  return Math.max(64, Math.floor(BLOCK_VALUES / Math.max(1, columns)) & ~7);
}

/** Copies rows [from, to) of a column-major matrix into `block`, row-major. */
export function copyRowsRowMajor(X: ColumnMatrix, from: number, to: number, block: Float64Array): void {
  const { rows, columns, data } = X;
  for (let f = 0; f < columns; f++) {
    const column = f * rows;
    for (let r = from, at = f; r < to; r++, at += columns) block[at] = data[column + r];
  }
}

/**
 * Mean over the trees of the value each row's leaf holds in `leafValues` (slot-indexed, one array per
 * tree, see slotValues).
 *
 * Eight rows go down a tree side by side: each step is a chain of dependent loads, and eight independent
 * chains keep the CPU busy while it waits on memory.
 */
export function meanLeafValue(trees: readonly ScoringTree[], leafValues: readonly Float64Array[], X: ColumnMatrix): Float64Array {
  const { rows, columns } = X;
  const out = new Float64Array(rows);
  if (rows === 0) return out;
  const blockRows = blockRowsFor(columns);
  const block = new Float64Array(Math.min(rows, blockRows) * columns);
  for (let from = 0; from < rows; from += blockRows) {
    const to = Math.min(rows, from + blockRows);
    copyRowsRowMajor(X, from, to, block);
    for (let t = 0; t < trees.length; t++) {
      const { numbers, links, depth } = trees[t];
      const leaf = leafValues[t];
      let r = from;
      let b0 = 0;
      for (; r + 7 < to; r += 8, b0 += 8 * columns) {
        const b1 = b0 + columns;
        const b2 = b1 + columns;
        const b3 = b2 + columns;
        const b4 = b3 + columns;
        const b5 = b4 + columns;
        const b6 = b5 + columns;
        const b7 = b6 + columns;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let s4 = 0;
        let s5 = 0;
        let s6 = 0;
        let s7 = 0;
        for (let d = 0; d < depth; d++) {
          const c0 = links[4 * s0 + 2];
          const c1 = links[4 * s1 + 2];
          const c2 = links[4 * s2 + 2];
          const c3 = links[4 * s3 + 2];
          const c4 = links[4 * s4 + 2];
          const c5 = links[4 * s5 + 2];
          const c6 = links[4 * s6 + 2];
          const c7 = links[4 * s7 + 2];
          const x0 = block[b0 + (c0 >> 1)];
          const x1 = block[b1 + (c1 >> 1)];
          const x2 = block[b2 + (c2 >> 1)];
          const x3 = block[b3 + (c3 >> 1)];
          const x4 = block[b4 + (c4 >> 1)];
          const x5 = block[b5 + (c5 >> 1)];
          const x6 = block[b6 + (c6 >> 1)];
          const x7 = block[b7 + (c7 >> 1)];
          // Right when greater than the threshold, or when missing and the node sends missing right.
          s0 = links[4 * s0 + 3] + (+(x0 > numbers[2 * s0]) | (+(x0 !== x0) & c0));
          s1 = links[4 * s1 + 3] + (+(x1 > numbers[2 * s1]) | (+(x1 !== x1) & c1));
          s2 = links[4 * s2 + 3] + (+(x2 > numbers[2 * s2]) | (+(x2 !== x2) & c2));
          s3 = links[4 * s3 + 3] + (+(x3 > numbers[2 * s3]) | (+(x3 !== x3) & c3));
          s4 = links[4 * s4 + 3] + (+(x4 > numbers[2 * s4]) | (+(x4 !== x4) & c4));
          s5 = links[4 * s5 + 3] + (+(x5 > numbers[2 * s5]) | (+(x5 !== x5) & c5));
          s6 = links[4 * s6 + 3] + (+(x6 > numbers[2 * s6]) | (+(x6 !== x6) & c6));
          s7 = links[4 * s7 + 3] + (+(x7 > numbers[2 * s7]) | (+(x7 !== x7) & c7));
        }
        out[r] += leaf[s0];
        out[r + 1] += leaf[s1];
        out[r + 2] += leaf[s2];
        out[r + 3] += leaf[s3];
        out[r + 4] += leaf[s4];
        out[r + 5] += leaf[s5];
        out[r + 6] += leaf[s6];
        out[r + 7] += leaf[s7];
      }
      for (; r < to; r++, b0 += columns) {
        let s = 0;
        for (let d = 0; d < depth; d++) {
          const code = links[4 * s + 2];
          const x = block[b0 + (code >> 1)];
          s = links[4 * s + 3] + (+(x > numbers[2 * s]) | (+(x !== x) & code));
        }
        out[r] += leaf[s];
      }
    }
  }
  const scale = 1 / trees.length;
  for (let r = 0; r < rows; r++) out[r] *= scale;
  return out;
}
