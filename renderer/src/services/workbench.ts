/**
 * The renderer's only door to the engine: a typed wrapper over `window.workbench` (shared/workbench-api.ts).
 * Requests are deep-copied to plain JSON first, because Vue's reactive proxies cannot cross Electron's
 * structured clone. Failures show the engine's Chinese message once, then reject for the caller.
 */
import { ElMessage } from 'element-plus';
import type { ChannelName, InvokeResultOf, RequestOf } from '../../../shared/api';
import type { WorkbenchApi } from '../../../shared/workbench-api';

export interface CallOptions {
  /** Do not show the error to the user; the caller handles it. */
  silent?: boolean;
}

export function workbench(): WorkbenchApi {
  const api = (window as { workbench?: WorkbenchApi }).workbench;
  if (!api) throw new Error('window.workbench is missing: the preload did not run');
  return api;
}

export function hasWorkbench(): boolean {
  return typeof (window as { workbench?: WorkbenchApi }).workbench === 'object';
}

/** Plain JSON copy: strips reactive proxies and undefined values. */
export function plain<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** The bridge rejects with plain error data (see shared/workbench-api.ts), not with Error instances. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

export async function call<C extends ChannelName>(channel: C, request: RequestOf<C>, options: CallOptions = {}): Promise<InvokeResultOf<C>> {
  try {
    return await workbench().invoke(channel, plain(request));
  } catch (error) {
    if (!options.silent) ElMessage.error({ message: errorMessage(error), duration: 6000, showClose: true, grouping: true });
    throw error;
  }
}
