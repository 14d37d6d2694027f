/**
 * The end-to-end init script: defines `window.workbench` with the very function the preload uses
 * (electron/preload/bridge.ts), over a transport of Playwright bindings instead of Electron IPC:
 * - requests go to `window.__bpwInvoke`, a binding the harness answers with a real EngineHost;
 * - events come back through `window.__bpwEmit`, which the harness calls with page.evaluate.
 * Bundled by esbuild into an IIFE (see harness.ts); runs before any script of the page.
 */
import type { Envelope, EventName } from '../../shared/api';
import { createWorkbenchApi } from '../../electron/preload/bridge';

type Listener = (payload: unknown) => void;

interface HarnessWindow {
  __bpwInvoke(channel: string, payload: unknown): Promise<Envelope<unknown>>;
  __bpwEmit(event: EventName, payload: unknown): void;
}

const w = window as unknown as Window & HarnessWindow;
const listeners = new Map<EventName, Set<Listener>>();

Object.defineProperty(w, '__bpwEmit', {
  value: (event: EventName, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        console.error(error);
      }
    }
  },
});

Object.defineProperty(w, 'workbench', {
  value: createWorkbenchApi({
    invoke: (channel, payload) => w.__bpwInvoke(channel, payload),
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    // A browser cannot tell where a dropped file lives; Electron's webUtils can.
    pathForFile: () => null,
  }),
  enumerable: true,
});
