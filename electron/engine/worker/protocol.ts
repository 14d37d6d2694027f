/** Messages between the EngineHost and its two worker threads. Internal to the engine. */
import type { ChannelName, EngineErrorData, Envelope, WorkspaceSummary } from '../../../shared/api';
import type { MaintenanceOp } from '../security/maintenance';

export type WorkerRole = 'query' | 'job';

export interface WorkerInit {
  role: WorkerRole;
}

export type HostToWorker =
  /** The passphrase travels in memory only, to the worker's connection. */
  | { type: 'open'; id: number; path: string; create: boolean; passphrase?: string | undefined }
  /** Job worker only: rewrite the workspace file (security/maintenance.ts), then hold the result open. */
  | { type: 'maintain'; id: number; op: MaintenanceOp }
  | { type: 'close'; id: number }
  | { type: 'request'; id: number; channel: ChannelName; payload: unknown }
  | {
      type: 'job';
      id: number;
      jobId: string;
      channel: ChannelName;
      payload: unknown;
      /** Int32Array view: element 0 becomes 1 when the user cancels. Shared so a busy job sees it at once. */
      cancelFlag: SharedArrayBuffer;
    }
  | { type: 'printed'; requestId: number; envelope: Envelope<Uint8Array | Uint8Array[]> };

/** A job's request to the host's report printer (reports/render/printer.ts). */
export type PrintRequest =
  | { kind: 'pdf'; html: string }
  | { kind: 'images'; html: string; size: { width: number; height: number }; clips: { x: number; y: number; width: number; height: number }[] };

export type WorkerToHost =
  | { type: 'ready' }
  | { type: 'opened'; id: number; envelope: Envelope<WorkspaceSummary & { previousPath?: string }> }
  | { type: 'response'; id: number; envelope: Envelope<unknown> }
  | { type: 'progress'; jobId: string; phase: string; done: number; total: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; error?: EngineErrorData }
  | { type: 'print'; requestId: number; request: PrintRequest };
