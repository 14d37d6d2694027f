/**
 * Scores all rows on the job thread plus worker threads. Every thread claims batches of rows from one
 * shared counter and reads the features from shared memory; each finished batch is handed to `onBatch` on
 * the job thread, in whatever order batches finish. A row's result depends only on the row, so the output
 * is the same whichever thread scored it.
 *
 * - Workers are started (and load the forest) before the features are read, so that their start-up
 *   overlaps the read instead of delaying the scoring.
 * - Batches are handed on at once rather than collecting 200,000 explanations first, so the caller writes
 *   them while they are young: collected, they were promoted to the old generation and copied there by
 *   the collector, which cost as much as the scoring itself in measurement.
 * - Small workspaces are scored on the job thread alone: a worker costs more to start than it saves below
 *   some tens of thousands of customers.
 */
import type { Worker } from 'node:worker_threads';
import { spawnEngineWorker } from '../../worker/spawn';
import { createColumnMatrix, type ColumnMatrix, type ForestJSON, type RandomForestClassifier } from '../forest/index';
import { CANCELLED, NEXT_BATCH, type ScoreRowsMessage, type ScoreWorkerMessage, type ScoreWorkerSetup } from './score-job';
import { SCORE_BATCH_ROWS, scoreChunk, type ScoredBatch, type ScoringSetup } from './score-rows';

const workerModule = new URL(import.meta.url.endsWith('.ts') ? './score-worker.ts' : './score-worker.js', import.meta.url);

/** Below this many rows one thread is faster than two. */
export const PARALLEL_MIN_ROWS = 40_000;

export interface ScoreAllOptions {
  batchRows?: number;
  /** Receives every batch once, on the calling thread; rows [from, from + batch.json.length). */
  onBatch: (from: number, batch: ScoredBatch) => void;
  onProgress?: (done: number, total: number) => void;
  /** Polled between batches; true stops scoring with `onCancel`'s error. */
  cancelled?: () => boolean;
  onCancel?: () => Error;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Features on shared memory, copied there unless they already are. */
function shared(X: ColumnMatrix): ColumnMatrix {
  if (X.data.buffer instanceof SharedArrayBuffer) return X;
  const data = new Float64Array(new SharedArrayBuffer(X.data.byteLength));
  data.set(X.data);
  return createColumnMatrix(X.rows, X.columns, data);
}

export class ScoringPool {
  private readonly workers: Worker[] = [];
  private failure: unknown = null;
  private wake: (() => void) | null = null;
  private onMessage: (message: ScoreWorkerMessage) => void = () => {};
  private used = false;
  /** Workers that have exited; one that exits with its batches undelivered must not leave run() waiting. */
  private exited = 0;

  /**
   * @param rows how many rows will be scored; decides whether workers are worth starting
   * @param threads threads in all, the calling one included
   */
  constructor(
    private readonly forest: RandomForestClassifier,
    forestJson: ForestJSON,
    private readonly setup: ScoringSetup,
    rows: number,
    threads: number,
  ) {
    const count = rows >= PARALLEL_MIN_ROWS ? Math.max(0, threads - 1) : 0;
    for (let w = 0; w < count; w++) {
      const data: ScoreWorkerSetup = { forest: forestJson, setup };
      const worker = spawnEngineWorker(workerModule, { workerData: data });
      worker.on('message', (message: ScoreWorkerMessage) => this.onMessage(message));
      worker.on('error', (error) => {
        this.failure ??= error;
        this.notify();
      });
      worker.on('exit', () => {
        this.exited++;
        this.notify();
      });
      this.workers.push(worker);
    }
  }

  private notify(): void {
    const resume = this.wake;
    this.wake = null;
    resume?.();
  }

  /** Scores every row of X once; the pool cannot be reused. */
  async run(X: ColumnMatrix, options: ScoreAllOptions): Promise<void> {
    if (this.used) throw new Error('A ScoringPool scores one matrix only.');
    this.used = true;
    const n = X.rows;
    const batchRows = options.batchRows ?? SCORE_BATCH_ROWS;
    const parallel = this.workers.length > 0;
    const features = parallel ? shared(X) : X;
    const counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const cancelError = () => options.onCancel?.() ?? new Error('Scoring was cancelled.');
    let rowsDone = 0;
    let workersDone = 0;
    const accept = (from: number, batch: ScoredBatch) => {
      try {
        options.onBatch(from, batch);
      } catch (error) {
        this.failure ??= error;
      }
      rowsDone += batch.json.length;
      options.onProgress?.(rowsDone, n);
      this.notify();
    };
    this.onMessage = (message) => {
      if (message.kind === 'batch') accept(message.from, message.batch);
      else workersDone++;
      this.notify();
    };
    const job: ScoreRowsMessage = { kind: 'rows', X: features, batchRows, counters };
    for (const worker of this.workers) worker.postMessage(job);

    try {
      for (;;) {
        if (this.failure !== null) throw this.failure;
        if (options.cancelled?.()) throw cancelError();
        const from = Atomics.add(counters, NEXT_BATCH, 1) * batchRows;
        if (from >= n) break;
        accept(from, scoreChunk(this.forest, this.setup, features, from, Math.min(n, from + batchRows)));
        // Lets worker results arrive between batches.
        if (parallel) await nextTurn();
      }
      while (rowsDone < n) {
        if (this.failure !== null) throw this.failure;
        if (options.cancelled?.()) throw cancelError();
        if (workersDone === this.workers.length || this.exited === this.workers.length) throw new Error('The scoring worker threads stopped before every row was scored.');
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
      if (this.failure !== null) throw this.failure;
    } finally {
      Atomics.store(counters, CANCELLED, 1);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
