import type { EngineErrorData, ErrorCode } from '../../shared/api';

/**
 * An error the user should read. `message` is Chinese and says what to do; `detail` carries the technical
 * cause for the log. Anything else thrown inside the engine is an internal error and is reported as such.
 */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }

  toData(): EngineErrorData {
    return { code: this.code, message: this.message, ...(this.detail ? { detail: this.detail } : {}) };
  }
}

export class CancelledError extends EngineError {
  constructor() {
    super('cancelled', '任务已取消，工作区保持取消前的状态');
  }
}

/** Any thrown value as error data that can cross a thread or process boundary. */
export function toErrorData(error: unknown): EngineErrorData {
  if (error instanceof EngineError) return error.toData();
  const detail = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
  if (isSqliteBusy(error)) {
    return { code: 'busy', message: '工作区正被另一项任务写入（例如导入），请在任务完成后重试', detail };
  }
  if (String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_CORRUPT')) {
    return { code: 'bad_input', message: '工作区文件已损坏，无法读取。请从最近的备份恢复（文件 → 从备份恢复），或联系技术支持', detail };
  }
  return { code: 'internal', message: '内部错误，操作未完成。请把日志中的详细信息发给技术支持', detail };
}

function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}
