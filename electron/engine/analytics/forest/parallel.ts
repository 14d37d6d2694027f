import type { Worker } from 'node:worker_threads';
import { spawnEngineWorker } from '../../worker/spawn';
import { TrainingCancelledError } from './errors';
import type { TrainingControl, WorkerStart } from './options';
import { isCancelled } from './sequential';
import { TreeBuilder, type BuiltTree } from './tree-builder';
import { CANCELLED, NEXT_TREE, type TreeJob, type WorkerMessage } from './tree-job';
import type { TrainingSet, TreeParams } from './training-set';
import type { TreeWorkerPool } from './worker-pool';

const workerModule = new URL(import.meta.url.endsWith('.ts') ? './tree-worker.ts' : './tree-worker.js', import.meta.url);

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Seconds from spawning a tree worker to its first useful work, as last measured in this process. A
 * worker built to JavaScript starts in well under a tenth of a second; from TypeScript sources (tests,
 * `npm run cli`) it first compiles its modules, which takes the better part of a second on a busy machine.
 * The first guess errs on the slow side; every start measured replaces it.
 */
let workerStartSeconds = workerModule.pathname.endsWith('.ts') ? 0.8 : 0.15;

/** The current estimate, for tests and benchmarks. */
export function workerStartEstimate(): number {
  return workerStartSeconds;
}

/**
 * Workers start only when the trees left would take the calling thread at least this many worker
 * start-ups: below that, the start-up costs more than the shared work saves (measured on an 8,000-row
 * table: two threads took twice as long as one), and on a busy machine the margin absorbs the noise.
 */
const START_UP_MARGIN = 4;

/** Trees the calling thread trains alone before deciding on workers. */
const PROBE_TREES = 3;

let nextJobId = 1;

export interface ParallelOutcome {
  trees: BuiltTree[];
  /** Threads that trained trees, the calling one included. */
  threads: number;
}

/**
 * Trains the trees on the calling thread plus up to nJobs − 1 worker threads. All threads claim tree
 * indices from one shared counter and read the same binned data on shared memory; since a tree depends
 * only on its index, the forest is the same as a sequential one, whatever the number of threads.
 *
 * Workers are worth their start-up only on a big enough forest. With `workerStart` 'adaptive' the calling
 * thread trains the first trees alone, and workers start only if the trees left would keep it busy for
 * several worker start-ups (START_UP_MARGIN); so more threads are never slower than one.
 *
 * With a `pool` (worker-pool.ts) its threads, already started, share every tree from the first one.
 *
 * The calling thread yields to its event loop between trees, which is when worker results, progress
 * reports and an aborted signal are handled.
 */
export async function trainTreesInParallel(
  set: TrainingSet,
  params: TreeParams,
  seed: number,
  treeCount: number,
  nJobs: number,
  control: TrainingControl,
  workerStart: WorkerStart = 'adaptive',
  pool: TreeWorkerPool | null = null,
): Promise<ParallelOutcome> {
  const counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const job: TreeJob = { id: nextJobId++, set, params, seed, treeCount, counters };
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
  const contributed = new Set<Worker | number>();
  const fail = (error: unknown) => {
    failure ??= error;
    notify();
  };
  if (pool) {
    let pooledTrees = 0;
    pool.run(job, {
      onMessage: (message) => {
        if (message.kind !== 'tree' || message.job !== job.id) return;
        contributed.add(pooledTrees++ % pool.size);
        accept(message.index, { tree: message.tree, importance: message.importance });
      },
      onFailure: fail,
    });
  }
  const startWorkers = (count: number) => {
    for (let w = 0; w < count; w++) {
      const spawnedAt = performance.now();
      const worker = spawnEngineWorker(workerModule, { workerData: job });
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'ready') workerStartSeconds = (performance.now() - spawnedAt) / 1000;
        else if (message.kind === 'tree') {
          contributed.add(worker);
          accept(message.index, { tree: message.tree, importance: message.importance });
        }
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0 && Atomics.load(counters, CANCELLED) === 0 && done < treeCount) {
          failure ??= new Error(`A forest worker thread stopped with exit code ${code}.`);
        }
        notify();
      });
      workers.push(worker);
    }
  };
  const maxWorkers = pool ? 0 : Math.max(0, Math.min(nJobs - 1, treeCount - 1));
  if (workerStart === 'eager') startWorkers(maxWorkers);
  let decided = workerStart === 'eager' || maxWorkers === 0;
  let probed = 0;

  const onAbort = () => notify();
  control.signal?.addEventListener('abort', onAbort);

  try {
    const builder = new TreeBuilder(set, params);
    for (;;) {
      if (failure !== null) throw failure;
      if (isCancelled(control)) throw new TrainingCancelledError(done, treeCount);
      const index = Atomics.add(counters, NEXT_TREE, 1);
      if (index >= treeCount) break;
      const started = performance.now();
      accept(index, builder.build(seed, index));
      if (!decided && ++probed === PROBE_TREES) {
        // The first trees include compiling the builder; the last of them is a fair measure of the rest.
        decided = true;
        const treeSeconds = (performance.now() - started) / 1000;
        const left = treeCount - Atomics.load(counters, NEXT_TREE);
        if (left * treeSeconds > START_UP_MARGIN * workerStartSeconds) startWorkers(maxWorkers);
      }
      await nextTurn();
    }
    while (done < treeCount) {
      if (failure !== null) throw failure;
      if (isCancelled(control)) throw new TrainingCancelledError(done, treeCount);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    return { trees: results as BuiltTree[], threads: 1 + (pool ? Math.min(pool.size, contributed.size) : contributed.size) };
  } finally {
    Atomics.store(counters, CANCELLED, 1);
    pool?.release();
    control.signal?.removeEventListener('abort', onAbort);
    // Workers still starting up or idle have nothing left to do.
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
