/**
 * Long-running engine jobs (import, demo, quality, export). A job call returns an id at once; progress and
 * the result arrive as `job.progress` / `job.finished` events. This store follows every job the renderer
 * started, feeds the global progress panel, and turns a job into a promise of its result.
 */
import { ElMessage } from 'element-plus';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { JobChannel, JobFinished, JobProgress, RequestOf, ResultOf } from '../../../shared/api';
import { WorkbenchError } from '../../../shared/workbench-api';
import { i18n } from '../i18n';
import { call, errorCode, workbench } from '../services/workbench';

export interface JobState {
  jobId: string;
  channel: JobChannel;
  title: string;
  phase: string;
  done: number;
  total: number;
  cancelling: boolean;
  startedAt: number;
}

export interface RunOptions {
  /** Shown in the progress panel; the channel's name by default. */
  title?: string;
  /** Do not show failures; the caller handles them. */
  silent?: boolean;
  /** Called with every progress event of this job. */
  onProgress?: (progress: JobProgress) => void;
}

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onProgress?: (progress: JobProgress) => void;
}

/** Duck-typed: an error that crossed the bridge is not an instance of this bundle's WorkbenchError. */
export function isCancelled(error: unknown): boolean {
  return errorCode(error) === 'cancelled';
}

export const useJobsStore = defineStore('jobs', () => {
  const jobs = ref<JobState[]>([]);
  const waiters = new Map<string, Waiter>();
  /** Events that arrived before the job id came back from invoke (a very fast job). */
  const early = new Map<string, { progress?: JobProgress; finished?: JobFinished }>();
  let listening = false;

  const running = computed(() => jobs.value);

  function listen(): void {
    if (listening) return;
    listening = true;
    workbench().on('job.progress', onProgress);
    workbench().on('job.finished', onFinished);
  }

  function remember(jobId: string, entry: { progress?: JobProgress; finished?: JobFinished }): void {
    early.set(jobId, { ...early.get(jobId), ...entry });
    // Jobs this window did not start never claim theirs; keep only the latest few.
    if (early.size > 50) early.delete(early.keys().next().value as string);
  }

  function onProgress(progress: JobProgress): void {
    const job = jobs.value.find((j) => j.jobId === progress.jobId);
    if (!job) {
      remember(progress.jobId, { progress });
      return;
    }
    job.phase = progress.phase;
    job.done = progress.done;
    job.total = progress.total;
    waiters.get(progress.jobId)?.onProgress?.(progress);
  }

  function onFinished(finished: JobFinished): void {
    const waiter = waiters.get(finished.jobId);
    if (!waiter) {
      remember(finished.jobId, { finished });
      return;
    }
    settle(finished, waiter);
  }

  function settle(finished: JobFinished, waiter: Waiter): void {
    waiters.delete(finished.jobId);
    jobs.value = jobs.value.filter((j) => j.jobId !== finished.jobId);
    if (finished.status === 'succeeded') waiter.resolve(finished.result);
    else if (finished.status === 'cancelled') waiter.reject(new WorkbenchError({ message: finished.status, ...finished.error, code: 'cancelled' }));
    else waiter.reject(new WorkbenchError(finished.error ?? { code: 'internal', message: finished.status }));
  }

  async function run<C extends JobChannel>(channel: C, request: RequestOf<C>, options: RunOptions = {}): Promise<ResultOf<C>> {
    listen();
    const { jobId } = (await call(channel, request, { silent: options.silent ?? false })) as { jobId: string };
    const t = i18n.global.t;
    jobs.value.push({ jobId, channel, title: options.title ?? t(`jobs.channels.${channel.replace('.', '_')}`), phase: '', done: 0, total: 0, cancelling: false, startedAt: Date.now() });
    const result = new Promise<unknown>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
      waiters.set(jobId, waiter);
      const pending = early.get(jobId);
      early.delete(jobId);
      if (pending?.progress) onProgress(pending.progress);
      if (pending?.finished) settle(pending.finished, waiter);
    });
    try {
      return (await result) as ResultOf<C>;
    } catch (error) {
      if (isCancelled(error)) ElMessage.info(t('jobs.cancelled'));
      else if (!options.silent) ElMessage.error({ message: t('jobs.failed', { message: error instanceof Error ? error.message : String(error) }), duration: 8000, showClose: true });
      throw error;
    }
  }

  async function cancel(jobId: string): Promise<void> {
    const job = jobs.value.find((j) => j.jobId === jobId);
    if (job) job.cancelling = true;
    await call('job.cancel', { jobId });
  }

  return { jobs: running, run, cancel, listen };
});
