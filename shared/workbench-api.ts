/**
 * The shape of `window.workbench`, the only thing the preload exposes to the renderer. The renderer types
 * against this; electron/preload/bridge.ts builds it over IPC, and the end-to-end harness builds the very
 * same object over Playwright bindings.
 */
import type { ChannelName, EngineErrorData, EventMap, EventName, InvokeResultOf, RequestOf } from './api';

export interface WorkbenchApi {
  /**
   * Calls a channel of shared/api.ts. Rejects with the engine's error data as a plain object
   * ({ name: 'WorkbenchError', code, message, detail }): Electron's context bridge copies only the message
   * of an Error, so the bridge never rejects with one. `toWorkbenchError` turns it back into a class.
   */
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<InvokeResultOf<C>>;
  /** Subscribes to an engine event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** The file-system path of a file dropped on the window (Electron's webUtils); null where unknown. */
  pathForFile(file: File): string | null;
}

export class WorkbenchError extends Error {
  readonly code: EngineErrorData['code'];
  readonly detail: string | undefined;

  constructor(data: EngineErrorData) {
    super(data.message);
    this.name = 'WorkbenchError';
    this.code = data.code;
    this.detail = data.detail;
  }
}

/** Rebuilds a WorkbenchError from whatever `invoke` rejected with. */
export function toWorkbenchError(reason: unknown): WorkbenchError {
  if (reason instanceof WorkbenchError) return reason;
  if (reason && typeof reason === 'object' && 'message' in reason) {
    const data = reason as Partial<EngineErrorData>;
    return new WorkbenchError({ code: data.code ?? 'internal', message: String(data.message), ...(data.detail ? { detail: data.detail } : {}) });
  }
  return new WorkbenchError({ code: 'internal', message: String(reason) });
}

declare global {
  interface Window {
    workbench: WorkbenchApi;
  }
}
