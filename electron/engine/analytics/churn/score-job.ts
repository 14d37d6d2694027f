/** Messages between parallel scoring (score-parallel.ts) and its worker threads (score-worker.ts). */
import type { ColumnMatrix, ForestJSON } from '../forest/index';
import type { ScoredBatch, ScoringSetup } from './score-rows';

/** workerData: what a worker loads while the job thread is still reading the features. */
export interface ScoreWorkerSetup {
  readonly forest: ForestJSON;
  readonly setup: ScoringSetup;
}

/** The rows to score, posted once they are read. */
export interface ScoreRowsMessage {
  readonly kind: 'rows';
  /** The features, on shared memory. */
  readonly X: ColumnMatrix;
  readonly batchRows: number;
  /** Shared Int32Array: [next unclaimed batch, cancelled flag]. */
  readonly counters: Int32Array;
}

export const NEXT_BATCH = 0;
export const CANCELLED = 1;

export type ScoreWorkerMessage = { readonly kind: 'batch'; readonly from: number; readonly batch: ScoredBatch } | { readonly kind: 'done' };
