import type { FlatTree } from './tree';
import type { BuiltTree } from './tree-builder';
import type { TrainingSet, TreeParams } from './training-set';

/** What every thread of one parallel training shares. */
export interface TreeJob {
  /** Tells one forest's messages from another's when pooled workers train several in turn. */
  readonly id: number;
  readonly set: TrainingSet;
  readonly params: TreeParams;
  readonly seed: number;
  readonly treeCount: number;
  /** Shared Int32Array: [next unclaimed tree index, cancelled flag]. */
  readonly counters: Int32Array;
}

export const NEXT_TREE = 0;
export const CANCELLED = 1;

export type WorkerMessage =
  /** Posted once the worker's modules have loaded: how long a start-up takes, for the next decision. */
  | { readonly kind: 'ready' }
  | { readonly kind: 'tree'; readonly job: number; readonly index: number; readonly tree: FlatTree; readonly importance: Float64Array }
  | { readonly kind: 'done'; readonly job: number };

/** workerData of a pooled worker (worker-pool.ts): it waits for jobs instead of being given one. */
export interface PooledWorkerData {
  readonly pooled: true;
}

/** The buffers of a freshly built tree, moved rather than copied to the main thread. */
export function treeTransferList(built: BuiltTree): ArrayBuffer[] {
  const { tree } = built;
  return [tree.feature, tree.threshold, tree.missingLeft, tree.left, tree.right, tree.value, tree.samples, built.importance].map(
    (array) => array.buffer as ArrayBuffer,
  );
}
