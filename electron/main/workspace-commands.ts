/**
 * What the 文件 and 帮助 menus do: create or open a workspace through native dialogs, reopen a recent one,
 * and show 关于.
 *
 * A workspace opened from the menu is opened on the EngineHost directly, then the window reloads: the
 * api contract has no event to tell the renderer that the workspace changed, and on start the renderer
 * asks workspace.current. (A `workspace.changed` event in shared/api.ts would make the reload
 * unnecessary.)
 */
import { extname, join } from 'node:path';
import { app, dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import type { WorkspaceSummary } from '../../shared/api';
import type { EngineLike } from './engine';
import type { RecentWorkspaces } from './recent-workspaces';
import { grant, type PendingUnlock } from './security-services';

export const WORKSPACE_EXTENSION = 'bpw';
const WORKSPACE_FILTERS = [{ name: '工作区文件 (*.bpw)', extensions: [WORKSPACE_EXTENSION] }];

export interface WorkspaceCommandDeps {
  engine: Pick<EngineLike, 'invoke' | 'grantPath'>;
  /** An encrypted workspace opened from the menu: the page asks for its passphrase. */
  pendingUnlock?: PendingUnlock;
  getWindow: () => BrowserWindow | null;
  recent: Pick<RecentWorkspaces, 'remember' | 'forget' | 'clear'>;
  /** The recent list changed: rebuild the menu. */
  onRecentChanged: () => void;
}

function liveWindow(deps: Pick<WorkspaceCommandDeps, 'getWindow'>): BrowserWindow | null {
  const win = deps.getWindow();
  return win && !win.isDestroyed() ? win : null;
}

async function messageBox(win: BrowserWindow | null, options: MessageBoxOptions): Promise<void> {
  if (win) await dialog.showMessageBox(win, options);
  else await dialog.showMessageBox(options);
}

async function openOrCreate(deps: WorkspaceCommandDeps, channel: 'workspace.open' | 'workspace.create', path: string): Promise<boolean> {
  grant(deps.engine, path, channel === 'workspace.create' ? 'write' : 'read');
  const envelope = await deps.engine.invoke(channel, { path });
  const win = liveWindow(deps);
  if (!envelope.ok && envelope.error.code === 'passphrase_required' && deps.pendingUnlock) {
    deps.pendingUnlock.set(path);
    win?.webContents.reload();
    return false;
  }
  if (!envelope.ok) {
    if (envelope.error.code === 'workspace_not_found') {
      deps.recent.forget(path);
      deps.onRecentChanged();
    }
    await messageBox(win, {
      type: 'error',
      title: channel === 'workspace.create' ? '无法新建工作区' : '无法打开工作区',
      message: envelope.error.message,
      buttons: ['确定'],
    });
    return false;
  }
  deps.recent.remember((envelope.data as WorkspaceSummary).path);
  deps.onRecentChanged();
  win?.webContents.reload();
  return true;
}

export async function newWorkspace(deps: WorkspaceCommandDeps): Promise<boolean> {
  const win = liveWindow(deps);
  const options = {
    title: '新建工作区',
    buttonLabel: '创建',
    defaultPath: join(app.getPath('documents'), `客户画像工作区.${WORKSPACE_EXTENSION}`),
    filters: WORKSPACE_FILTERS,
    properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[],
  };
  const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (result.canceled || !result.filePath) return false;
  const path = extname(result.filePath) === '' ? `${result.filePath}.${WORKSPACE_EXTENSION}` : result.filePath;
  return openOrCreate(deps, 'workspace.create', path);
}

export async function openWorkspace(deps: WorkspaceCommandDeps): Promise<boolean> {
  const win = liveWindow(deps);
  const options = {
    title: '打开工作区',
    buttonLabel: '打开',
    filters: [...WORKSPACE_FILTERS, { name: '所有文件', extensions: ['*'] }],
    properties: ['openFile'] as 'openFile'[],
  };
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  const path = result.canceled ? undefined : result.filePaths[0];
  if (!path) return false;
  return openOrCreate(deps, 'workspace.open', path);
}

export function openRecentWorkspace(deps: WorkspaceCommandDeps, path: string): Promise<boolean> {
  return openOrCreate(deps, 'workspace.open', path);
}

export function clearRecentWorkspaces(deps: WorkspaceCommandDeps): void {
  deps.recent.clear();
  deps.onRecentChanged();
}

export async function showAbout(getWindow: () => BrowserWindow | null, appName: string): Promise<void> {
  const win = getWindow();
  await messageBox(win && !win.isDestroyed() ? win : null, {
    type: 'info',
    title: `关于${appName}`,
    message: appName,
    detail: [
      `版本 ${app.getVersion()}`,
      `Electron ${process.versions.electron ?? '—'}，Chromium ${process.versions.chrome ?? '—'}，Node.js ${process.versions.node}`,
      '',
      '离线运行：客户数据只保存在本机的工作区文件中，不连接任何网络服务。',
    ].join('\n'),
    buttons: ['确定'],
  });
}
