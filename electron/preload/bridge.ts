/**
 * Builds `window.workbench` over a transport. The preload passes Electron's ipcRenderer; the end-to-end
 * harness passes Playwright bindings to a real EngineHost. Sharing this one function is what keeps the
 * test harness from drifting from the app.
 *
 * It imports types only, so that it bundles into the sandboxed preload and into a browser init script.
 */
import type { Envelope, EventName } from '../../shared/api';
import type { WorkbenchApi } from '../../shared/workbench-api';

export interface BridgeTransport {
  invoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
  pathForFile(file: File): string | null;
}

export function createWorkbenchApi(transport: BridgeTransport): WorkbenchApi {
  const api: WorkbenchApi = {
    async invoke(channel, request) {
      const envelope = await transport.invoke(channel, request);
      // A plain object, not an Error: the context bridge would strip an Error down to its message.
      if (!envelope.ok) throw { name: 'WorkbenchError', ...envelope.error };
      return envelope.data as never;
    },
    on(event, listener) {
      return transport.subscribe(event, listener as (payload: unknown) => void);
    },
    pathForFile(file) {
      return transport.pathForFile(file);
    },
  };
  return Object.freeze(api);
}
