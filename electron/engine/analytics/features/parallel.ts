/**
 * The features of a large branch computed on several threads: the customers are cut into contiguous
 * blocks by customer_id, one per thread; every thread runs the same passes (passes.ts) over its block on
 * its own connection, with the block's customer_id range in each query so that it seeks straight to its
 * rows. The calling thread computes the first block itself, into views of the result arrays; the other
 * threads post their columns back. The result is the table computeFeatureResult returns, value for value
 * (a test compares them).
 *
 * Why: the transaction pass is SQLite evaluating some fifteen conditional aggregates over every
 * transaction of the year, about 0.7 µs a row, 15 s for a 200,000-customer branch on one core; the
 * blocks are independent, so threads divide it.
 *
 * Snapshots: each connection reads in its own transaction. The engine's only writer of source tables is
 * the job worker, which is busy running this, so the blocks see the same data.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { FEATURE_KEYS, type FeatureKey } from '../../../../shared/analytics';
import { workspacePassphrase, type Db } from '../../db/workspace';
import { spawnEngineWorker } from '../../worker/spawn';
import { assemble, computeFeatureResult, CUSTOMERS_SHARE, readCustomers } from './compute-features';
import type { FeatureJob, FeatureWorkerMessage } from './feature-job';
import type { CustomerRange, PassInputs } from './pass';
import { newPassInputs, PASS_FEATURES, PASS_INPUTS, runPasses, type Source } from './passes';
import type { FeatureOptions, FeatureResult } from './types';
import { featureWindows } from './windows';

const workerModule = new URL(import.meta.url.endsWith('.ts') ? './feature-worker.ts' : './feature-worker.js', import.meta.url);

export interface ParallelFeatureOptions extends FeatureOptions {
  /** Threads, the caller's included; by default the machine's cores, at most 4. */
  threads?: number;
  /**
   * Fewer customers than this per thread and the caller's thread does it all: starting a thread and its
   * connection costs more than a small block saves. Default 25,000.
   */
  minCustomersPerThread?: number;
}

const MAX_THREADS = 4;
const POPULATION_SQL = 'SELECT count(*) AS n FROM customers WHERE open_date IS NULL OR open_date <= ?';

export async function computeFeatureResultParallel(db: Db, asOf: string, options: ParallelFeatureOptions = {}): Promise<FeatureResult & { threads: number }> {
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(availableParallelism(), MAX_THREADS), 16));
  const minPerThread = options.minCustomersPerThread ?? 25_000;
  const population = (db.prepare(POPULATION_SQL).get(asOf) as { n: number }).n;
  const blockCount = Math.min(threads, Math.floor(population / Math.max(1, minPerThread)));
  if (blockCount < 2 || db.memory || !db.name) return { ...computeFeatureResult(db, asOf, options), threads: 1 };

  const frequencyMonths = options.frequencyMonths ?? 12;
  const w = featureWindows(asOf, frequencyMonths);
  const cancel = options.throwIfCancelled ?? (() => {});
  const onProgress = options.onProgress ?? (() => {});
  const { customers, available, seconds } = db.transaction(() => readCustomers(db, w, cancel)).deferred();
  const n = customers.ids.length;
  const inputs = newPassInputs(n);

  // Block b is customers [starts[b], starts[b + 1]); its range runs from its first customer_id to the next
  // block's first (exclusive), open at both ends of the whole.
  const starts = Array.from({ length: blockCount + 1 }, (_, b) => Math.round((b * n) / blockCount));
  const rangeOf = (b: number): CustomerRange => ({
    from: b === 0 ? null : (customers.ids[starts[b]!] as string),
    to: b === blockCount - 1 ? null : (customers.ids[starts[b + 1]!] as string),
  });
  const fractions = new Float64Array(blockCount);
  const report = () => {
    let done = 0;
    for (let b = 0; b < blockCount; b++) done += (fractions[b] as number) * ((starts[b + 1] as number) - (starts[b] as number));
    onProgress(Math.round(CUSTOMERS_SHARE * n + (1 - CUSTOMERS_SHARE) * done), n);
  };

  const cancelFlag = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const workers: Worker[] = [];
  const results: Promise<void>[] = [];
  const passSeconds: Partial<Record<Source, number>> = {};
  const keepSlowest = (timings: Record<Source, number>) => {
    for (const [pass, s] of Object.entries(timings) as [Source, number][]) passSeconds[pass] = Math.max(passSeconds[pass] ?? 0, s);
  };
  try {
    for (let b = 1; b < blockCount; b++) {
      const start = starts[b] as number;
      const job: FeatureJob = { path: db.name, passphrase: workspacePassphrase(db), asOf, frequencyMonths, ids: customers.ids.slice(start, starts[b + 1]), range: rangeOf(b), available, cancelFlag };
      const worker = spawnEngineWorker(workerModule, { workerData: job });
      workers.push(worker);
      const result = new Promise<void>((resolve, reject) => {
        let finished = false;
        worker.on('message', (message: FeatureWorkerMessage) => {
          if (message.kind === 'progress') {
            fractions[b] = message.fraction;
            report();
          } else if (message.kind === 'error') {
            finished = true;
            reject(new Error(`客户特征计算线程出错：${message.message}`, { cause: message.stack }));
          } else {
            for (const key of PASS_FEATURES) customers.col[key].set(message.columns[key] as Float64Array, start);
            for (const key of PASS_INPUTS) inputs[key].set(message.inputs[key], start);
            keepSlowest(message.timings);
            finished = true;
            resolve();
          }
        });
        worker.on('error', (error) => {
          finished = true;
          reject(error);
        });
        worker.on('exit', (code) => {
          if (!finished) reject(new Error(`客户特征计算线程意外退出（退出码 ${code}）`));
        });
      });
      // Once this thread has failed or been cancelled, the others' endings are nobody's business; without
      // a handler their rejections would count as unhandled.
      result.catch(() => {});
      results.push(result);
    }

    // The first block on this thread, straight into views of the result arrays.
    const end = starts[1] as number;
    const view = <T extends Float64Array | Uint8Array>(a: T) => a.subarray(0, end) as T;
    const col = Object.fromEntries(FEATURE_KEYS.map((key) => [key, view(customers.col[key])])) as Record<FeatureKey, Float64Array>;
    const blockInputs = Object.fromEntries(PASS_INPUTS.map((key) => [key, view(inputs[key])])) as unknown as PassInputs;
    const ids = customers.ids.slice(0, end);
    const own = db
      .transaction(() =>
        runPasses(db, w, { range: rangeOf(0), ids, index: customers.index, col, inputs: blockInputs }, available, {
          cancel,
          onProgress: (fraction) => {
            fractions[0] = fraction;
            report();
          },
        }),
      )
      .deferred();
    keepSlowest(own);
    await untilSettled(Promise.all(results), cancel);
  } finally {
    Atomics.store(new Int32Array(cancelFlag), 0, 1);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { ...assemble(w, customers, inputs, available, { customers: seconds, ...passSeconds }), threads: blockCount };
}

/** Waits for the workers while checking every 100 ms whether the caller has cancelled. */
function untilSettled(work: Promise<unknown>, cancel: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      try {
        cancel();
      } catch (error) {
        clearInterval(timer);
        reject(error);
      }
    }, 100);
    work.then(
      () => {
        clearInterval(timer);
        resolve();
      },
      (error: unknown) => {
        clearInterval(timer);
        reject(error);
      },
    );
  });
}
