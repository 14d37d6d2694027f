/**
 * Tree worker threads kept for a run that trains many forests (product matching trains dozens): started
 * once, each forest's trees are shared among them and the calling thread (parallel.ts), and closed at the
 * end. A thread per forest would pay its start-up every time, more than a small forest takes to train.
 */
import type { Worker } from 'node:worker_threads';
import { spawnEngineWorker } from '../../worker/spawn';
import type { PooledWorkerData, TreeJob, WorkerMessage } from './tree-job';

const workerModule = new URL(import.meta.url.endsWith('.ts') ? './tree-worker.ts' : './tree-worker.js', import.meta.url);

export interface PoolListener {
  onMessage(message: WorkerMessage): void;
  onFailure(error: unknown): void;
}

export class TreeWorkerPool {
  private readonly workers: Worker[] = [];
  private listener: PoolListener | null = null;
  private closed = false;

  /** `threads` worker threads besides the calling one. */
  constructor(threads: number) {
    const data: PooledWorkerData = { pooled: true };
    for (let w = 0; w < threads; w++) {
      const worker = spawnEngineWorker(workerModule, { workerData: data });
      worker.on('message', (message: WorkerMessage) => this.listener?.onMessage(message));
      worker.on('error', (error) => this.listener?.onFailure(error));
      worker.on('exit', (code) => {
        if (!this.closed) this.listener?.onFailure(new Error(`A pooled forest worker thread stopped with exit code ${code}.`));
      });
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Hands a forest's job to every worker; their messages go to `listener` until `release`. */
  run(job: TreeJob, listener: PoolListener): void {
    if (this.closed) throw new Error('The forest worker pool is closed.');
    if (this.listener) throw new Error('The forest worker pool trains one forest at a time.');
    this.listener = listener;
    for (const worker of this.workers) worker.postMessage(job);
  }

  release(): void {
    this.listener = null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listener = null;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
