/**
 * The body of both engine workers. Each owns one better-sqlite3 connection to the open workspace. The query
 * worker answers reads one after another; the job worker runs one job at a time, reporting progress and
 * watching a shared cancel flag between units of work.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { basename } from 'node:path';
import type { ChannelName, Envelope, WorkspaceSummary } from '../../../shared/api';
import { parseRequest } from '../../../shared/api';
import { requireDb, type JobContext, type QueryContext } from '../context';
import { isEncrypted, openWorkspace, schemaVersion, workspacePassphrase, type Db } from '../db/workspace';
import { CancelledError, EngineError, toErrorData } from '../errors';
import { commitRestore, discardRestore, encryptWorkspace, prepareRestore, rekeyWorkspace, samePassphrase, type MaintenanceOp, type MaintenanceResult, type PreparedRestore } from '../security/maintenance';
import { failOwnUnfinishedRuns } from '../security/stale-runs';
import { jobHandlers } from '../handlers/job-handlers';
import { queryHandlers } from '../handlers/query-handlers';
import type { ReportPrinter } from '../reports/render/printer';
import type { HostToWorker, PrintRequest, WorkerInit, WorkerToHost } from './protocol';
import { engineWorkerData } from './spawn';

const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');
const { role } = engineWorkerData<WorkerInit>(workerData);

let db: Db | null = null;
let workspacePath: string | null = null;

const send = (message: WorkerToHost) => port.postMessage(message);

const queryContext: QueryContext = {
  db: () => requireDb(db),
  workspacePath: () => workspacePath,
};

function summarise(connection: Db, path: string): WorkspaceSummary {
  const customers = (connection.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
  return { path, fileName: basename(path), schemaVersion: schemaVersion(connection), customers, encrypted: isEncrypted(connection) };
}

function open(path: string, create: boolean, passphrase: string | undefined): Envelope<WorkspaceSummary> {
  try {
    const next = openWorkspace(path, { create, passphrase });
    db?.close();
    db = next;
    workspacePath = path;
    return { ok: true, data: summarise(next, path) };
  } catch (error) {
    return { ok: false, error: toErrorData(error) };
  }
}

async function answer(channel: ChannelName, payload: unknown, ctx: QueryContext | JobContext): Promise<Envelope<unknown>> {
  try {
    const parsed = parseRequest(channel, payload);
    if (!parsed.ok) return parsed;
    const handlers = (role === 'query' ? queryHandlers : jobHandlers) as unknown as Record<string, (c: unknown, r: unknown) => unknown>;
    const handler = handlers[channel];
    if (!handler) return { ok: false, error: { code: 'invalid_request', message: `此线程不处理请求 ${channel}` } };
    return { ok: true, data: await handler(ctx, parsed.data) };
  } catch (error) {
    const data = toErrorData(error);
    if (data.code === 'internal') send({ type: 'log', level: 'error', message: `${channel} failed`, error: data });
    return { ok: false, error: data };
  }
}

// Report printing happens in the host (it owns the browser, or Electron); a job asks it by message.
let nextPrint = 1;
const prints = new Map<number, (envelope: Envelope<Uint8Array | Uint8Array[]>) => void>();

function print<T extends Uint8Array | Uint8Array[]>(request: PrintRequest): Promise<T> {
  const requestId = nextPrint++;
  return new Promise((resolve, reject) => {
    prints.set(requestId, (envelope) => (envelope.ok ? resolve(envelope.data as T) : reject(new EngineError(envelope.error.code, envelope.error.message, envelope.error.detail))));
    send({ type: 'print', requestId, request });
  });
}

const hostPrinter: ReportPrinter = {
  pdf: (html) => print<Uint8Array>({ kind: 'pdf', html }),
  images: (html, size, clips) => print<Uint8Array[]>({ kind: 'images', html, size, clips: clips.map((c) => ({ ...c })) }),
};

function jobContext(jobId: string, cancelFlag: SharedArrayBuffer): JobContext {
  const flag = new Int32Array(cancelFlag);
  let lastPhase = '';
  let lastSent = 0;
  return {
    ...queryContext,
    printer: hostPrinter,
    progress(phase, done, total) {
      const now = Date.now();
      if (phase === lastPhase && now - lastSent < 100 && done < total) return;
      lastPhase = phase;
      lastSent = now;
      send({ type: 'progress', jobId, phase, done, total });
    },
    cancelled: () => Atomics.load(flag, 0) === 1,
    throwIfCancelled() {
      if (Atomics.load(flag, 0) === 1) throw new CancelledError();
    },
  };
}

/**
 * Rewrites the workspace file (encrypt, change the passphrase, restore a backup) with this worker's
 * connection closed, then holds the result open. On failure the previous workspace is opened again.
 */
async function maintain(op: MaintenanceOp): Promise<Envelope<WorkspaceSummary & { previousPath?: string }>> {
  const previous = db && workspacePath ? { path: workspacePath, passphrase: workspacePassphrase(db) } : null;
  let restore: PreparedRestore | null = null;
  try {
    if (op.kind !== 'restore' && !previous) throw new EngineError('no_workspace', '尚未打开工作区，请先打开要加密的工作区');
    if (op.kind === 'rekey' && !samePassphrase(previous?.passphrase, op.passphrase)) {
      throw new EngineError('wrong_passphrase', previous?.passphrase === undefined ? '当前工作区没有加密，请使用“加密工作区”设置口令' : '当前口令不正确，口令未更改');
    }
    if (op.kind === 'encrypt' && previous?.passphrase !== undefined) throw new EngineError('bad_input', '工作区已经加密；如需更换口令，请使用“更改口令”');
    // A backup is checked and copied while the workspace is still open: a refused one changes nothing.
    if (op.kind === 'restore') restore = prepareRestore(op.from, op.target, op.passphrase ?? (previous?.path === op.target ? previous.passphrase : undefined));
    db?.close();
    db = null;
    workspacePath = null;
    let result: MaintenanceResult;
    if (op.kind === 'encrypt') result = encryptWorkspace(previous!.path, op.passphrase);
    else if (op.kind === 'rekey') result = rekeyWorkspace(previous!.path, op.passphrase, op.newPassphrase);
    else {
      result = await commitRestore(restore!);
      restore = null;
    }
    db = result.db;
    workspacePath = result.path;
    return { ok: true, data: { ...summarise(result.db, result.path), ...(result.previousPath ? { previousPath: result.previousPath } : {}) } };
  } catch (error) {
    if (restore) discardRestore(restore);
    if (!db && previous) open(previous.path, false, previous.passphrase);
    return { ok: false, error: toErrorData(error) };
  }
}

/** After each job: a run of this connection still `running` did not finish (security/stale-runs.ts). */
function sweepUnfinishedRuns(): void {
  if (!db) return;
  try {
    failOwnUnfinishedRuns(db);
  } catch {
    // Still locked by another process: the next job, or the next open, records it.
  }
}

// Jobs run strictly one after another; requests to the job worker queue behind the running job.
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: HostToWorker) => {
  switch (message.type) {
    case 'open':
      send({ type: 'opened', id: message.id, envelope: open(message.path, message.create, message.passphrase) });
      return;
    case 'maintain':
      queue = queue.then(async () => send({ type: 'opened', id: message.id, envelope: await maintain(message.op) }));
      return;
    case 'close':
      db?.close();
      db = null;
      workspacePath = null;
      send({ type: 'response', id: message.id, envelope: { ok: true, data: null } });
      return;
    case 'request':
      void answer(message.channel, message.payload, queryContext).then((envelope) => send({ type: 'response', id: message.id, envelope }));
      return;
    case 'printed':
      prints.get(message.requestId)?.(message.envelope);
      prints.delete(message.requestId);
      return;
    case 'job': {
      const ctx = jobContext(message.jobId, message.cancelFlag);
      queue = queue.then(async () => {
        const envelope = ctx.cancelled() ? { ok: false as const, error: new CancelledError().toData() } : await answer(message.channel, message.payload, ctx);
        sweepUnfinishedRuns();
        send({ type: 'response', id: message.id, envelope });
      });
      return;
    }
  }
});

send({ type: 'ready' });
