/**
 * Worker thread that trains trees. It claims tree indices of a forest from a shared counter until none are
 * left, so faster threads take more trees; each tree depends only on its index, never on the thread.
 *
 * Started for one forest, it gets the job as workerData and ends after it. Started by a pool
 * (worker-pool.ts), it stays and trains the forests posted to it one after another, so a run that trains
 * many forests pays for starting a thread once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { engineWorkerData } from '../../worker/spawn';
import { NEXT_TREE, CANCELLED, type PooledWorkerData, type TreeJob, type WorkerMessage, treeTransferList } from './tree-job';
import { TreeBuilder } from './tree-builder';

const data = engineWorkerData<TreeJob | PooledWorkerData>(workerData);
const port = parentPort;
if (!port) throw new Error('tree-worker must run as a worker thread.');

function train(job: TreeJob): void {
  const builder = new TreeBuilder(job.set, job.params);
  for (;;) {
    if (Atomics.load(job.counters, CANCELLED) !== 0) break;
    const index = Atomics.add(job.counters, NEXT_TREE, 1);
    if (index >= job.treeCount) break;
    const built = builder.build(job.seed, index);
    const message: WorkerMessage = { kind: 'tree', job: job.id, index, tree: built.tree, importance: built.importance };
    port!.postMessage(message, treeTransferList(built));
  }
  const finished: WorkerMessage = { kind: 'done', job: job.id };
  port!.postMessage(finished);
}

const ready: WorkerMessage = { kind: 'ready' };
port.postMessage(ready);
if ('pooled' in data) port.on('message', (job: TreeJob) => train(job));
else train(data);
