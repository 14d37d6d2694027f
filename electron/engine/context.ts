import type { Db } from './db/workspace';
import { CancelledError, EngineError } from './errors';
import type { ReportPrinter } from './reports/render/printer';

/** What a query handler gets: the workspace connection of its worker. */
export interface QueryContext {
  /** The open workspace; throws a user error when none is open. */
  db(): Db;
  workspacePath(): string | null;
}

/** What a job handler gets, beyond a query's: progress reporting and cancellation. */
export interface JobContext extends QueryContext {
  /** Reports progress; cheap to call per row, it throttles itself. */
  progress(phase: string, done: number, total: number): void;
  cancelled(): boolean;
  /** Throws CancelledError once the user has cancelled; call between units of work. */
  throwIfCancelled(): void;
  /** Prints reports to PDF and charts to pictures (reports/render/printer.ts); absent where nothing can print. */
  printer?: ReportPrinter;
}

export function requireDb(db: Db | null): Db {
  if (!db) throw new EngineError('no_workspace', '尚未打开工作区，请先新建或打开一个工作区');
  return db;
}

/** A job context for code run outside a worker (CLI helpers, tests), with an optional progress sink. */
export function standaloneJobContext(
  db: Db | null,
  options: { onProgress?: (phase: string, done: number, total: number) => void; signal?: AbortSignal; printer?: ReportPrinter } = {},
): JobContext {
  return {
    ...(options.printer ? { printer: options.printer } : {}),
    db: () => requireDb(db),
    workspacePath: () => db?.name ?? null,
    progress: (phase, done, total) => options.onProgress?.(phase, done, total),
    cancelled: () => options.signal?.aborted ?? false,
    throwIfCancelled: () => {
      if (options.signal?.aborted) throw new CancelledError();
    },
  };
}
