/**
 * EngineHost: the engine's front door. It owns two worker threads, each with its own SQLite connection to
 * the open workspace: the query worker answers interactive reads, the job worker runs imports, analyses and
 * exports. A long job therefore never blocks a query, and WAL lets the reader see the last committed state
 * while the writer works.
 *
 * The same host runs inside Electron's main process, in the CLI and in tests. It validates every request
 * against shared/api.ts, so callers may pass untrusted payloads.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import {
  channels,
  isChannelName,
  parseRequest,
  type ChannelName,
  type EngineErrorData,
  type Envelope,
  type EventMap,
  type EventName,
  type InvokeResultOf,
  type JobChannel,
  type JobFinished,
  type RequestOf,
  type ResultOf,
  type WorkspaceSummary,
} from '../../shared/api';
import type { SecurityPolicy } from '../../shared/security';
import { EngineError, toErrorData } from './errors';
import type { ReportPrinter } from './reports/render/printer';
import type { MaintenanceOp } from './security/maintenance';
import { PathGrants, type GrantKind } from './security/path-grants';
import type { HostToWorker, PrintRequest, WorkerRole, WorkerToHost } from './worker/protocol';
import { spawnEngineWorker } from './worker/spawn';

type Listener = <E extends EventName>(event: E, payload: EventMap[E]) => void;
type Logger = (level: 'info' | 'warn' | 'error', message: string, error?: EngineErrorData) => void;

interface Pending {
  resolve: (envelope: Envelope<unknown>) => void;
}

interface RunningJob {
  channel: JobChannel;
  cancelFlag: Int32Array;
}

export interface EngineHostOptions {
  /** Where technical details of errors go; stderr by default. */
  log?: Logger;
  /** The worker module; the built app passes its bundled file. */
  workerUrl?: URL;
  /**
   * 'granted': a request may name only paths granted with `grantPath` (the app grants what its dialogs
   * return, the CLI its own arguments), so an untrusted caller cannot read or write arbitrary files.
   * 'unrestricted' (the default) serves trusted in-process callers: tests and benchmarks.
   */
  fileAccess?: 'granted' | 'unrestricted';
  /** This computer's policy; `setPolicy` changes it later. */
  policy?: SecurityPolicy;
  /**
   * Prints reports to PDF and charts to pictures for the jobs: Chromium in the CLI and tests, Electron in
   * the app. Without one, report exports say PDF cannot be made here. The host closes it on close().
   */
  printer?: ReportPrinter;
}

const defaultLog: Logger = (level, message, error) => {
  if (level === 'info') return;
  console.error(`[engine ${level}] ${message}${error?.detail ? `\n${error.detail}` : ''}`);
};

/** The worker module next to this file, as source (.ts under tsx) or as the built bundle. */
function defaultWorkerUrl(): URL {
  const self = import.meta.url;
  return self.endsWith('.ts') ? new URL('./worker/engine-worker.ts', self) : new URL('./engine-worker.mjs', self);
}

class EngineWorker {
  private worker!: Worker;
  private ready!: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly role: WorkerRole,
    private readonly url: URL,
    private readonly onMessage: (message: WorkerToHost) => void,
    private readonly log: Logger,
  ) {
    this.start();
  }

  private start(): void {
    this.worker = spawnEngineWorker(this.url, { workerData: { role: this.role } });
    this.ready = new Promise((resolve, reject) => {
      const onReady = (message: WorkerToHost) => {
        if (message.type === 'ready') {
          this.worker.off('message', onReady);
          resolve();
        }
      };
      this.worker.on('message', onReady);
      this.worker.once('error', reject);
    });
    this.worker.on('message', (message: WorkerToHost) => this.receive(message));
    this.worker.on('error', (error) => this.log('error', `${this.role} worker crashed`, { code: 'internal', message: error.message, detail: error.stack ?? '' }));
    this.worker.on('exit', (code) => this.failAll(code));
  }

  private receive(message: WorkerToHost): void {
    if (message.type === 'response' || message.type === 'opened') {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      pending?.resolve(message.envelope);
      return;
    }
    if (message.type === 'log') {
      this.log(message.level, `${this.role} worker: ${message.message}`, message.error);
      return;
    }
    this.onMessage(message);
  }

  private failAll(exitCode: number): void {
    if (this.pending.size === 0) return;
    const error: EngineErrorData = { code: 'internal', message: '引擎线程意外退出，操作未完成，请重试', detail: `${this.role} worker exited with code ${exitCode}` };
    for (const pending of this.pending.values()) pending.resolve({ ok: false, error });
    this.pending.clear();
  }

  async send(message: DistributiveOmit<HostToWorker, 'id'>): Promise<Envelope<unknown>> {
    try {
      await this.ready;
    } catch (error) {
      return { ok: false, error: { code: 'internal', message: '引擎线程启动失败，请重启工作台', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) } };
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      this.worker.postMessage({ ...message, id });
    });
  }

  /** A message that expects no answer (a print result for a waiting job). */
  async notify(message: HostToWorker): Promise<void> {
    await this.ready.catch(() => undefined);
    this.worker.postMessage(message);
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class EngineHost {
  private readonly log: Logger;
  private readonly query: EngineWorker;
  private readonly job: EngineWorker;
  private readonly listeners = new Set<Listener>();
  private readonly jobs = new Map<string, RunningJob>();
  private current: WorkspaceSummary | null = null;
  /** The open workspace's passphrase, in memory only: the query worker reopens with it after maintenance. */
  private passphrase: string | undefined;
  private closed = false;
  private readonly grants: PathGrants | null;
  private policy: SecurityPolicy;
  private readonly printer: ReportPrinter | null;

  constructor(options: EngineHostOptions = {}) {
    this.log = options.log ?? defaultLog;
    this.grants = options.fileAccess === 'granted' ? new PathGrants() : null;
    this.policy = options.policy ?? { requireEncryption: false };
    this.printer = options.printer ?? null;
    const url = options.workerUrl ?? defaultWorkerUrl();
    this.query = new EngineWorker('query', url, (m) => this.onWorkerMessage(m), this.log);
    this.job = new EngineWorker('job', url, (m) => this.onWorkerMessage(m), this.log);
  }

  /** Subscribes to job events; returns the unsubscribe function. */
  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get workspace(): WorkspaceSummary | null {
    return this.current;
  }

  /** Lets requests use `path` (see EngineHostOptions.fileAccess). Only trusted code holds the host. */
  grantPath(path: string, kind: GrantKind): void {
    this.grants?.grant(path, kind);
  }

  setPolicy(policy: SecurityPolicy): void {
    this.policy = { ...policy };
  }

  /**
   * Answers one request of the api contract, from an untrusted caller: the payload is validated first and
   * every failure comes back as an envelope, never as a throw.
   */
  async invoke(channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
    try {
      if (this.closed) return { ok: false, error: { code: 'internal', message: '引擎已关闭' } };
      if (!isChannelName(channel)) {
        return { ok: false, error: { code: 'invalid_request', message: '未知的请求类型', detail: String(channel).slice(0, 200) } };
      }
      const parsed = parseRequest(channel, payload);
      if (!parsed.ok) return parsed;
      const kind = channels[channel].kind;
      if (kind === 'app') return { ok: false, error: { code: 'invalid_request', message: '该请求只能在桌面应用中使用', detail: channel } };
      this.grants?.check(channel, parsed.data);
      this.checkPolicy(channel, parsed.data);
      if (kind === 'host') return await this.hostRequest(channel, parsed.data);
      if (kind === 'query') return await this.query.send({ type: 'request', channel, payload: parsed.data });
      return { ok: true, data: { jobId: this.startJob(channel as JobChannel, parsed.data) } };
    } catch (error) {
      // "Never throws": whatever went wrong comes back as an envelope.
      return { ok: false, error: toErrorData(error) };
    }
  }

  /** A computer that requires encryption creates no plain workspace. */
  private checkPolicy(channel: ChannelName, request: unknown): void {
    if (!this.policy.requireEncryption) return;
    if ((channel === 'workspace.create' || channel === 'demo.create') && !(request as { passphrase?: string }).passphrase) {
      throw new EngineError('bad_input', '本机的安全策略要求新建的工作区必须加密，请设置口令（至少 8 个字符）');
    }
  }

  /** Typed convenience for trusted callers (CLI, tests): resolves with the data or throws EngineError. */
  async call<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<InvokeResultOf<C>> {
    return unwrap(await this.invoke(channel, request)) as InvokeResultOf<C>;
  }

  /** Starts a job and waits for its result, passing progress to `onProgress`. */
  async runJob<C extends JobChannel>(
    channel: C,
    request: RequestOf<C>,
    onProgress?: (phase: string, done: number, total: number) => void,
  ): Promise<ResultOf<C>> {
    const { jobId } = (await this.call(channel, request)) as { jobId: string };
    return new Promise((resolve, reject) => {
      const stop = this.onEvent((event, payload) => {
        if (event === 'job.progress') {
          const progress = payload as EventMap['job.progress'];
          if (progress.jobId === jobId) onProgress?.(progress.phase, progress.done, progress.total);
          return;
        }
        const finished = payload as JobFinished;
        if (finished.jobId !== jobId) return;
        stop();
        if (finished.status === 'succeeded') resolve(finished.result as ResultOf<C>);
        else reject(new EngineError(finished.error?.code ?? 'internal', finished.error?.message ?? '任务失败', finished.error?.detail));
      });
    });
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) return false;
    Atomics.store(job.cancelFlag, 0, 1);
    return true;
  }

  runningJobs(): { jobId: string; channel: JobChannel }[] {
    return [...this.jobs.entries()].map(([jobId, job]) => ({ jobId, channel: job.channel }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const jobId of this.jobs.keys()) this.cancel(jobId);
    await Promise.all([this.query.terminate(), this.job.terminate(), this.printer?.close?.()]);
  }

  private startJob(channel: JobChannel, payload: unknown): string {
    const jobId = randomUUID();
    const buffer = new SharedArrayBuffer(4);
    this.jobs.set(jobId, { channel, cancelFlag: new Int32Array(buffer) });
    void this.job.send({ type: 'job', jobId, channel, payload, cancelFlag: buffer }).then((envelope) => {
      this.jobs.delete(jobId);
      const finished: JobFinished = envelope.ok
        ? { jobId, channel, status: 'succeeded', result: envelope.data }
        : { jobId, channel, status: envelope.error.code === 'cancelled' ? 'cancelled' : 'failed', error: envelope.error };
      this.emit('job.finished', finished);
    });
    return jobId;
  }

  private async hostRequest(channel: ChannelName, request: unknown): Promise<Envelope<unknown>> {
    switch (channel) {
      case 'workspace.current':
        return { ok: true, data: this.current };
      case 'job.cancel':
        return { ok: true, data: { cancelled: this.cancel((request as { jobId: string }).jobId) } };
      case 'workspace.close':
        return this.whenIdle(async () => {
          await Promise.all([this.query.send({ type: 'close' }), this.job.send({ type: 'close' })]);
          this.current = null;
          this.passphrase = undefined;
          this.emit('workspace.changed', { workspace: null });
          return { ok: true, data: null };
        });
      case 'workspace.create':
      case 'workspace.open': {
        const { path, passphrase } = request as { path: string; passphrase?: string };
        const create = channel === 'workspace.create';
        if (create && existsSync(path) && statSync(path).size > 0) {
          return { ok: false, error: { code: 'bad_input', message: `文件已存在：${path}。请换一个文件名，或直接打开它` } };
        }
        return this.whenIdle(() => this.openBoth(path, create, passphrase));
      }
      case 'security.encrypt': {
        const { passphrase } = request as { passphrase: string };
        return this.whenIdle(() => this.maintain({ kind: 'encrypt', passphrase }, passphrase));
      }
      case 'security.rekey': {
        const { passphrase, newPassphrase } = request as { passphrase: string; newPassphrase: string };
        return this.whenIdle(() => this.maintain({ kind: 'rekey', passphrase, newPassphrase }, newPassphrase));
      }
      case 'security.restore': {
        const { path, target, passphrase } = request as { path: string; target?: string; passphrase?: string };
        const into = target ?? this.current?.path;
        if (!into) return { ok: false, error: { code: 'no_workspace', message: '请先打开要恢复的工作区，或指定恢复到哪个文件' } };
        return this.whenIdle(() => this.maintain({ kind: 'restore', from: path, target: into, passphrase }, passphrase ?? (into === this.current?.path ? this.passphrase : undefined)));
      }
      default:
        return { ok: false, error: { code: 'invalid_request', message: `未处理的请求 ${channel}` } };
    }
  }

  /** Opens on the job worker first: it creates and migrates; the query worker then opens the result. */
  private async openBoth(path: string, create: boolean, passphrase: string | undefined): Promise<Envelope<unknown>> {
    const opened = (await this.job.send({ type: 'open', path, create, passphrase })) as Envelope<WorkspaceSummary>;
    if (!opened.ok) return opened;
    const mirrored = await this.query.send({ type: 'open', path, create: false, passphrase });
    if (!mirrored.ok) return mirrored;
    this.current = opened.data;
    this.passphrase = opened.data.encrypted ? passphrase : undefined;
    this.emit('workspace.changed', { workspace: opened.data });
    return opened;
  }

  /**
   * Rewrites the workspace file on the job worker (security/maintenance.ts) while the query worker has let
   * go of it, then reopens the query worker on the result, or on the workspace as it was after a failure.
   */
  private async maintain(op: MaintenanceOp, passphraseAfter: string | undefined): Promise<Envelope<unknown>> {
    await this.query.send({ type: 'close' });
    const result = (await this.job.send({ type: 'maintain', op })) as Envelope<WorkspaceSummary>;
    const reopen = result.ok ? { path: result.data.path, passphrase: result.data.encrypted ? passphraseAfter : undefined } : this.current ? { path: this.current.path, passphrase: this.passphrase } : null;
    if (reopen) {
      const mirrored = await this.query.send({ type: 'open', path: reopen.path, create: false, passphrase: reopen.passphrase });
      if (!mirrored.ok && result.ok) return mirrored;
    }
    if (result.ok) {
      this.current = { path: result.data.path, fileName: result.data.fileName, schemaVersion: result.data.schemaVersion, customers: result.data.customers, encrypted: result.data.encrypted };
      this.passphrase = reopen?.passphrase;
      this.emit('workspace.changed', { workspace: this.current });
    }
    return result;
  }

  private async whenIdle(action: () => Promise<Envelope<unknown>>): Promise<Envelope<unknown>> {
    if (this.jobs.size > 0) {
      return { ok: false, error: { code: 'busy', message: '有任务正在运行，请等待完成或取消后再切换工作区' } };
    }
    return action();
  }

  private onWorkerMessage(message: WorkerToHost): void {
    if (message.type === 'print') {
      void this.print(message.requestId, message.request);
      return;
    }
    if (message.type !== 'progress') return;
    const job = this.jobs.get(message.jobId);
    if (!job) return;
    this.emit('job.progress', { jobId: message.jobId, channel: job.channel, phase: message.phase, done: message.done, total: message.total });
  }

  /** Answers a job's print request with the printer's result (only the job worker prints). */
  private async print(requestId: number, request: PrintRequest): Promise<void> {
    let envelope: Envelope<Uint8Array | Uint8Array[]>;
    if (!this.printer) {
      envelope = { ok: false, error: { code: 'bad_input', message: '当前环境不能生成 PDF 和图表图片，请在工作台桌面应用或命令行中导出', detail: 'EngineHost was created without a report printer' } };
    } else {
      try {
        const data = request.kind === 'pdf' ? await this.printer.pdf(request.html) : await this.printer.images(request.html, request.size, request.clips);
        envelope = { ok: true, data };
      } catch (error) {
        envelope = { ok: false, error: toErrorData(error) };
        if (envelope.error.code === 'internal') this.log('error', 'report printing failed', envelope.error);
      }
    }
    await this.job.notify({ type: 'printed', requestId, envelope });
  }

  private emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}

export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.data;
  throw new EngineError(envelope.error.code, envelope.error.message, envelope.error.detail);
}
