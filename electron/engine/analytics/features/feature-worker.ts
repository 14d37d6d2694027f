/**
 * Worker thread of the parallel feature computation (parallel.ts): opens its own connection to the
 * workspace, runs every pass over one block of customers, and posts the block's columns back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FEATURE_KEYS, type FeatureKey } from '../../../../shared/analytics';
import { openWorkspace } from '../../db/workspace';
import { engineWorkerData } from '../../worker/spawn';
import type { FeatureJob, FeatureWorkerMessage } from './feature-job';
import { newPassInputs, PASS_FEATURES, PASS_INPUTS, runPasses } from './passes';
import { featureWindows } from './windows';

const job = engineWorkerData<FeatureJob>(workerData);
const port = parentPort;
if (!port) throw new Error('feature-worker must run as a worker thread.');
const post = (message: FeatureWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

class Stopped extends Error {}

try {
  const db = openWorkspace(job.path, { readonly: true, passphrase: job.passphrase });
  try {
    const n = job.ids.length;
    const col = Object.fromEntries(FEATURE_KEYS.map((key) => [key, new Float64Array(n).fill(Number.NaN)])) as Record<FeatureKey, Float64Array>;
    const inputs = newPassInputs(n);
    const index = new Map(job.ids.map((id, i) => [id, i]));
    const flag = new Int32Array(job.cancelFlag);
    const timings = db
      .transaction(() =>
        runPasses(db, featureWindows(job.asOf, job.frequencyMonths), { range: job.range, ids: job.ids, index, col, inputs }, job.available, {
          cancel: () => {
            if (Atomics.load(flag, 0) !== 0) throw new Stopped();
          },
          onProgress: (fraction) => post({ kind: 'progress', fraction }),
        }),
      )
      .deferred();
    const columns = Object.fromEntries(PASS_FEATURES.map((key) => [key, col[key]]));
    const transfer = [...PASS_FEATURES.map((key) => col[key].buffer as ArrayBuffer), ...PASS_INPUTS.map((key) => inputs[key].buffer as ArrayBuffer)];
    post({ kind: 'done', columns, inputs, timings }, transfer);
  } finally {
    db.close();
  }
} catch (error) {
  // A stop asked for by the caller needs no report: the caller is already gone.
  if (!(error instanceof Stopped)) {
    post({ kind: 'error', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? (error.stack ?? null) : null });
  }
}
