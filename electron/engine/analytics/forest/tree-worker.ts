/**
 * Worker thread that trains trees of one forest. It claims tree indices from a shared counter until none
 * are left, so faster threads take more trees; each tree depends only on its index, never on the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { engineWorkerData } from '../../worker/spawn';
import { NEXT_TREE, CANCELLED, type TreeJob, type WorkerMessage, treeTransferList } from './tree-job';
import { TreeBuilder } from './tree-builder';

const job = engineWorkerData<TreeJob>(workerData);
const port = parentPort;
if (!port) throw new Error('tree-worker must run as a worker thread.');

const ready: WorkerMessage = { kind: 'ready' };
port.postMessage(ready);
const builder = new TreeBuilder(job.set, job.params);
for (;;) {
  if (Atomics.load(job.counters, CANCELLED) !== 0) break;
  const index = Atomics.add(job.counters, NEXT_TREE, 1);
  if (index >= job.treeCount) break;
  const built = builder.build(job.seed, index);
  const message: WorkerMessage = { kind: 'tree', index, tree: built.tree, importance: built.importance };
  port.postMessage(message, treeTransferList(built));
}
const finished: WorkerMessage = { kind: 'done' };
port.postMessage(finished);
