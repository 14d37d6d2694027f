import type { Worker } from 'node:worker_threads';
import { spawnEngineWorker } from '../../worker/spawn';
import { TrainingCancelledError } from './errors';
import type { TrainingControl } from './options';
import { isCancelled } from './sequential';
import { TreeBuilder, type BuiltTree } from './tree-builder';
import { CANCELLED, NEXT_TREE, type TreeJob, type WorkerMessage } from './tree-job';
import type { TrainingSet, TreeParams } from './training-set';

const workerModule = new URL(import.meta.url.endsWith('.ts') ? './tree-worker.ts' : './tree-worker.js', import.meta.url);

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Trains the trees on the calling thread plus nJobs − 1 worker threads. All threads claim tree indices
 * from one shared counter and read the same binned data on shared memory; since a tree depends only on
 * its index, the forest is the same as a sequential one.
 *
 * The calling thread trains too and yields to its event loop between trees, which is when worker
 * results, progress reports and an aborted signal are handled.
 */
export async function trainTreesInParallel(
  set: TrainingSet,
  params: TreeParams,
  seed: number,
  treeCount: number,
  nJobs: number,
  control: TrainingControl,
): Promise<BuiltTree[]> {
  const counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const job: TreeJob = { set, params, seed, treeCount, counters };
  const results = new Array<BuiltTree | undefined>(treeCount);
  let done = 0;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };

  const accept = (index: number, built: BuiltTree) => {
    results[index] = built;
    done++;
    control.onProgress?.(done, treeCount);
    notify();
  };

  const workers: Worker[] = [];
  const workerCount = Math.min(nJobs - 1, treeCount - 1);
  for (let w = 0; w < workerCount; w++) {
    const worker = spawnEngineWorker(workerModule, { workerData: job });
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'tree') accept(message.index, { tree: message.tree, importance: message.importance });
    });
    worker.on('error', (error) => {
      failure ??= error;
      notify();
    });
    worker.on('exit', (code) => {
      if (code !== 0 && Atomics.load(counters, CANCELLED) === 0 && done < treeCount) {
        failure ??= new Error(`A forest worker thread stopped with exit code ${code}.`);
      }
      notify();
    });
    workers.push(worker);
  }
  const onAbort = () => notify();
  control.signal?.addEventListener('abort', onAbort);

  try {
    const builder = new TreeBuilder(set, params);
    for (;;) {
      if (failure !== null) throw failure;
      if (isCancelled(control)) throw new TrainingCancelledError(done, treeCount);
      const index = Atomics.add(counters, NEXT_TREE, 1);
      if (index >= treeCount) break;
      accept(index, builder.build(seed, index));
      await nextTurn();
    }
    while (done < treeCount) {
      if (failure !== null) throw failure;
      if (isCancelled(control)) throw new TrainingCancelledError(done, treeCount);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    return results as BuiltTree[];
  } finally {
    Atomics.store(counters, CANCELLED, 1);
    control.signal?.removeEventListener('abort', onAbort);
    // Workers still starting up or idle have nothing left to do.
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
