/**
 * The IPC transport of the preload (see index.ts): ipcRenderer for calls and events, webUtils for the
 * paths of dropped files. Kept apart from index.ts so the preload entry exports nothing.
 */
import { ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { Envelope, EventName } from '../../shared/api';
import type { BridgeTransport } from './bridge';

/**
 * The events the page may subscribe to. Listed here instead of imported from shared/api.ts, whose zod
 * schemas would otherwise be bundled into the preload; a test checks it equals EVENT_NAMES, and the type
 * below fails to compile when an event is missing.
 */
export const PRELOAD_EVENTS = ['job.progress', 'job.finished', 'workspace.changed'] as const satisfies readonly EventName[];
type MissingEvent = Exclude<EventName, (typeof PRELOAD_EVENTS)[number]>;
export const PRELOAD_EVENTS_COMPLETE: [MissingEvent] extends [never] ? true : never = true;

/**
 * The preload's own message to main: "the user dropped this file", so that the engine may read it
 * (electron/main/security-services.ts). Only this file sends it; `invoke` refuses it from the page, which
 * could otherwise name any path. Kept equal to DROPPED_FILE_CHANNEL in main by a test.
 */
export const DROPPED_FILE_CHANNEL = 'bpw:grant-dropped-file';

function isPreloadEvent(value: unknown): value is EventName {
  return typeof value === 'string' && (PRELOAD_EVENTS as readonly string[]).includes(value);
}

export const transport: BridgeTransport = {
  async invoke(channel, payload) {
    if (typeof channel !== 'string' || channel === DROPPED_FILE_CHANNEL) {
      return { ok: false, error: { code: 'invalid_request', message: '未知的请求类型' } };
    }
    try {
      return (await ipcRenderer.invoke(channel, payload)) as Envelope<unknown>;
    } catch (error) {
      // e.g. "No handler registered": a channel main does not answer.
      return { ok: false, error: { code: 'invalid_request', message: '主进程拒绝了该请求', detail: error instanceof Error ? error.message : String(error) } };
    }
  },
  subscribe(event, listener) {
    if (!isPreloadEvent(event)) throw new TypeError(`未知的事件：${String(event)}`);
    // The IpcRendererEvent (with its `sender`) stays in the preload; the page gets the payload only.
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
  pathForFile(file) {
    try {
      const path = webUtils.getPathForFile(file);
      if (!path) return null;
      // Sent before any request the page makes with the path, so main has granted it by then.
      void Promise.resolve(ipcRenderer.invoke(DROPPED_FILE_CHANNEL, path)).catch(() => undefined);
      return path;
    } catch {
      return null;
    }
  },
};
