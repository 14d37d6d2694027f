import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module URL of the engine.
 *
 * In the packaged app and the built CLI the module is plain JavaScript and starts directly. When the
 * engine runs from TypeScript sources (tests, `npm run cli`, benchmarks), a worker thread does not inherit
 * the TypeScript loader of its parent, so it starts through a small bootstrap that registers tsx first.
 */
export function spawnEngineWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  const bootstrap = new URL('./dev-bootstrap.mjs', import.meta.url);
  return new Worker(bootstrap, {
    ...options,
    workerData: { entry: moduleUrl.href, data: options.workerData },
  });
}

/**
 * The workerData a module started by spawnEngineWorker receives, whichever way it was started.
 * Workers call this instead of reading `workerData` directly.
 */
export function engineWorkerData<T>(raw: unknown): T {
  const wrapped = raw as { entry?: string; data?: unknown } | undefined;
  if (wrapped && typeof wrapped === 'object' && typeof wrapped.entry === 'string' && 'data' in wrapped) {
    return wrapped.data as T;
  }
  return raw as T;
}
