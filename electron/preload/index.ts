/**
 * The preload of the main window. It runs sandboxed (only Electron's renderer modules, no Node), so
 * scripts/build.mjs bundles it, with bridge.ts, into one CommonJS file, dist-electron/preload.cjs, whose
 * only require is `electron`.
 *
 * It exposes exactly one thing to the page, `window.workbench` (shared/workbench-api.ts), built by
 * createWorkbenchApi over ipcRenderer. ipcRenderer itself, the IPC event objects and webUtils never cross
 * the context bridge.
 */
import { contextBridge } from 'electron';
import { createWorkbenchApi } from './bridge';
import { transport } from './transport';

contextBridge.exposeInMainWorld('workbench', createWorkbenchApi(transport));
