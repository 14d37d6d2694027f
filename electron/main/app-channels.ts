/**
 * The `app` channels of shared/api.ts: desktop services the main process answers itself (native dialogs,
 * recent workspaces, reveal a file, app info). They never reach the EngineHost.
 *
 * Requests arrive already validated by ipc.ts. Every answer is an Envelope, like the engine's.
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { app, dialog, shell, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { ChannelName, Channels, Envelope, ParsedRequestOf, ResultOf } from '../../shared/api';
import type { EngineLike } from './engine';
import type { RecentWorkspaces } from './recent-workspaces';
import { createSecurityAppHandlers, grant, type SecurityAppDeps } from './security-services';

export type AppChannelName = { [K in ChannelName]: Channels[K]['kind'] extends 'app' ? K : never }[ChannelName];

/** One handler per app channel; the mapped type makes a missing one a compile error. */
export type AppChannelHandlers = { [K in AppChannelName]: (request: ParsedRequestOf<K>) => Promise<Envelope<ResultOf<K>>> };

export interface AppChannelDeps {
  getWindow: () => BrowserWindow | null;
  recent: Pick<RecentWorkspaces, 'list'>;
  /** What the user picks in a dialog is granted to the engine (and only that). */
  engine: Pick<EngineLike, 'grantPath' | 'setPolicy'>;
  security: Omit<SecurityAppDeps, 'engine'>;
}

const ok = <T>(data: T): Envelope<T> => ({ ok: true, data });

function liveWindow(getWindow: () => BrowserWindow | null): BrowserWindow | null {
  const win = getWindow();
  return win && !win.isDestroyed() ? win : null;
}

export function createAppChannelHandlers(deps: AppChannelDeps): AppChannelHandlers {
  return {
    async 'app.openFileDialog'(request) {
      const directory = request.directory === true;
      const options: OpenDialogOptions = {
        title: request.title ?? (directory ? '选择文件夹' : '选择文件'),
        buttonLabel: directory ? '选择文件夹' : '打开',
        properties: directory ? ['openDirectory'] : ['openFile'],
        ...(!directory && request.filters ? { filters: request.filters } : {}),
      };
      const win = liveWindow(deps.getWindow);
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      const path = result.canceled ? null : (result.filePaths[0] ?? null);
      grant(deps.engine, path, directory ? 'folder' : 'read');
      return ok(path);
    },

    async 'app.saveFileDialog'(request) {
      const options: SaveDialogOptions = {
        title: request.title ?? '保存文件',
        buttonLabel: '保存',
        properties: ['createDirectory', 'showOverwriteConfirmation'],
        ...(request.defaultPath ? { defaultPath: request.defaultPath } : {}),
        ...(request.filters ? { filters: request.filters } : {}),
      };
      const win = liveWindow(deps.getWindow);
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      const path = result.canceled || !result.filePath ? null : result.filePath;
      grant(deps.engine, path, 'write');
      return ok(path);
    },

    async 'app.recentWorkspaces'() {
      return ok(deps.recent.list());
    },

    async 'app.revealFile'(request) {
      // Only shows the file in the system file manager; never opens or runs it (no shell.openPath).
      if (!isAbsolute(request.path)) {
        return { ok: false, error: { code: 'bad_input', message: `路径无效：${request.path}` } };
      }
      if (!existsSync(request.path)) {
        return { ok: false, error: { code: 'not_found', message: `文件不存在：${request.path}` } };
      }
      shell.showItemInFolder(request.path);
      return ok(null);
    },

    async 'app.info'() {
      return ok({ version: app.getVersion(), platform: process.platform, electron: process.versions.electron ?? null });
    },

    ...createSecurityAppHandlers({ ...deps.security, engine: deps.engine }),
  };
}
