/**
 * Worker thread of parallel scoring (score-parallel.ts). It loads the forest as soon as it starts, while the
 * job thread reads the features; then it claims batches of rows from a shared counter and posts each
 * batch's probabilities, bands and explanations back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { engineWorkerData } from '../../worker/spawn';
import { RandomForestClassifier } from '../forest/index';
import { CANCELLED, NEXT_BATCH, type ScoreRowsMessage, type ScoreWorkerMessage, type ScoreWorkerSetup } from './score-job';
import { scoreChunk } from './score-rows';

const { forest: forestJson, setup } = engineWorkerData<ScoreWorkerSetup>(workerData);
const port = parentPort;
if (!port) throw new Error('score-worker must run as a worker thread.');

const forest = RandomForestClassifier.load(forestJson);
port.once('message', (job: ScoreRowsMessage) => {
  for (;;) {
    if (Atomics.load(job.counters, CANCELLED) !== 0) break;
    const from = Atomics.add(job.counters, NEXT_BATCH, 1) * job.batchRows;
    if (from >= job.X.rows) break;
    const batch = scoreChunk(forest, setup, job.X, from, Math.min(job.X.rows, from + job.batchRows));
    const message: ScoreWorkerMessage = { kind: 'batch', from, batch };
    port.postMessage(message, [batch.probability.buffer as ArrayBuffer, batch.band.buffer as ArrayBuffer]);
  }
  const finished: ScoreWorkerMessage = { kind: 'done' };
  // With its only listener gone, the port no longer keeps the thread alive: it ends by itself.
  port.postMessage(finished);
});
