// Development-only entry for worker threads started from TypeScript sources: registers the tsx loader
// in this thread, then loads the real worker module. Never part of the packaged app.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
