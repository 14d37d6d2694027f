import { TrainingCancelledError } from './errors';
import type { TrainingControl } from './options';
import { TreeBuilder, type BuiltTree } from './tree-builder';
import type { TrainingSet, TreeParams } from './training-set';

export function isCancelled(control: TrainingControl): boolean {
  return control.signal?.aborted === true || control.shouldCancel?.() === true;
}

/** Trains every tree on the calling thread, checking for cancellation between trees. */
export function trainTreesSequentially(set: TrainingSet, params: TreeParams, seed: number, treeCount: number, control: TrainingControl): BuiltTree[] {
  const builder = new TreeBuilder(set, params);
  const built: BuiltTree[] = [];
  for (let index = 0; index < treeCount; index++) {
    if (isCancelled(control)) throw new TrainingCancelledError(index, treeCount);
    built.push(builder.build(seed, index));
    control.onProgress?.(index + 1, treeCount);
  }
  return built;
}
