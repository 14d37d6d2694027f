/**
 * 文件 → 备份工作区… and 从备份恢复… (issue #15 §3): native dialogs in front of the engine's
 * `security.backup` job and `security.restore`. The page offers the same on the 工作区 screen, where a
 * backup with a passphrase of its own can be restored too.
 */
import { basename, dirname, extname, join } from 'node:path';
import { dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import type { Envelope, JobFinished, WorkspaceSummary } from '../../shared/api';
import type { BackupResult, RestoreResult } from '../../shared/security';
import type { EngineLike } from './engine';
import { grant } from './security-services';

export interface BackupCommandDeps {
  engine: Pick<EngineLike, 'invoke' | 'onEvent' | 'grantPath'>;
  getWindow: () => BrowserWindow | null;
}

const FILTERS = [{ name: '工作区文件 (*.bpw)', extensions: ['bpw'] }];

function liveWindow(deps: BackupCommandDeps): BrowserWindow | null {
  const win = deps.getWindow();
  return win && !win.isDestroyed() ? win : null;
}

async function tell(deps: BackupCommandDeps, options: MessageBoxOptions): Promise<number> {
  const win = liveWindow(deps);
  const result = win ? await dialog.showMessageBox(win, { buttons: ['确定'], ...options }) : await dialog.showMessageBox({ buttons: ['确定'], ...options });
  return result.response;
}

async function currentWorkspace(deps: BackupCommandDeps): Promise<WorkspaceSummary | null> {
  const envelope = (await deps.engine.invoke('workspace.current', {})) as Envelope<WorkspaceSummary | null>;
  return envelope.ok ? envelope.data : null;
}

/** Starts a job and waits for its end. */
export async function runJob<T>(engine: BackupCommandDeps['engine'], channel: 'security.backup', request: unknown): Promise<Envelope<T>> {
  let stop: () => void = () => undefined;
  const finished = new Map<string, JobFinished>();
  let waiting: ((f: JobFinished) => void) | null = null;
  let jobId: string | null = null;
  stop = engine.onEvent((event, payload) => {
    if (event !== 'job.finished') return;
    const f = payload as JobFinished;
    if (jobId === null) finished.set(f.jobId, f);
    else if (f.jobId === jobId) waiting?.(f);
  });
  try {
    const started = (await engine.invoke(channel, request)) as Envelope<{ jobId: string }>;
    if (!started.ok) return started;
    jobId = started.data.jobId;
    const done = finished.get(jobId) ?? (await new Promise<JobFinished>((resolve) => (waiting = resolve)));
    return done.status === 'succeeded' ? { ok: true, data: done.result as T } : { ok: false, error: done.error ?? { code: 'internal', message: '任务失败' } };
  } finally {
    stop();
  }
}

const stamp = () => new Date().toISOString().slice(0, 10).replaceAll('-', '');
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} MB`;

export async function backupFromMenu(deps: BackupCommandDeps): Promise<boolean> {
  const workspace = await currentWorkspace(deps);
  if (!workspace) {
    await tell(deps, { type: 'info', title: '备份工作区', message: '请先打开要备份的工作区。' });
    return false;
  }
  const ext = extname(workspace.path) || '.bpw';
  const options = {
    title: '备份工作区',
    buttonLabel: '备份',
    defaultPath: join(dirname(workspace.path), `${basename(workspace.path, ext)}-备份-${stamp()}.bpw`),
    filters: FILTERS,
    properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[],
  };
  const win = liveWindow(deps);
  const chosen = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (chosen.canceled || !chosen.filePath) return false;
  grant(deps.engine, chosen.filePath, 'write');
  const result = await runJob<BackupResult>(deps.engine, 'security.backup', { path: chosen.filePath });
  if (!result.ok) {
    await tell(deps, { type: 'error', title: '备份未完成', message: result.error.message });
    return false;
  }
  await tell(deps, {
    type: 'info',
    title: '备份完成',
    message: `已备份到 ${basename(result.data.path)}（${megabytes(result.data.bytes)}${result.data.encrypted ? '，与工作区使用相同口令加密' : ''}）。`,
    detail: `位置：${result.data.path}\nSHA-256：${result.data.sha256}`,
  });
  return true;
}

export async function restoreFromMenu(deps: BackupCommandDeps): Promise<boolean> {
  const workspace = await currentWorkspace(deps);
  if (!workspace) {
    await tell(deps, { type: 'info', title: '从备份恢复', message: '请先打开要恢复的工作区。' });
    return false;
  }
  const options = { title: '选择备份文件', buttonLabel: '选择', filters: FILTERS, properties: ['openFile'] as 'openFile'[] };
  const win = liveWindow(deps);
  const chosen = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  const path = chosen.canceled ? undefined : chosen.filePaths[0];
  if (!path) return false;
  const confirm = await tell(deps, {
    type: 'warning',
    title: '从备份恢复',
    message: `用备份“${basename(path)}”替换当前工作区“${workspace.fileName}”吗？`,
    detail: '恢复前会先检查备份的完整性和版本；当前工作区文件不会删除，会另存在同一文件夹中。',
    buttons: ['恢复', '取消'],
    defaultId: 1,
    cancelId: 1,
  });
  if (confirm !== 0) return false;
  grant(deps.engine, path, 'read');
  const result = (await deps.engine.invoke('security.restore', { path })) as Envelope<RestoreResult>;
  if (!result.ok) {
    const passphrase = result.error.code === 'passphrase_required' || result.error.code === 'wrong_passphrase';
    await tell(deps, {
      type: 'error',
      title: '未能恢复',
      message: passphrase ? '这个备份的口令与当前工作区不同。请在“工作区”页面选择“从备份恢复”，输入备份的口令。' : result.error.message,
    });
    return false;
  }
  await tell(deps, {
    type: 'info',
    title: '恢复完成',
    message: `已从“${basename(path)}”恢复工作区。`,
    ...(result.data.previousPath ? { detail: `原工作区已另存为：${result.data.previousPath}\n确认恢复无误后可以删除它。` } : {}),
  });
  liveWindow(deps)?.webContents.reload();
  return true;
}
