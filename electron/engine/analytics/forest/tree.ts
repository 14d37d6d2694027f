/**
 * One fitted tree as parallel typed arrays indexed by node id; node 0 is the root.
 *
 * An internal node sends a row left when its value is <= threshold, and a missing (NaN) value to the side
 * missingLeft names. Leaves have feature -1. Every node, internal ones included, keeps its value so that
 * tree-path contributions can be read off the path: valueWidth numbers per node, the class probabilities
 * for a classifier, the mean target for a regressor.
 */
export interface FlatTree {
  readonly nodeCount: number;
  readonly valueWidth: number;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  /** Bootstrap-drawn training samples that reached the node. */
  readonly samples: Float64Array;
}

export const LEAF = -1;
