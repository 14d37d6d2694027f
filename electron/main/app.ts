/**
 * Boots the desktop app. index.ts only calls startApp(); keeping the boot here lets tests import every
 * main-process module with electron mocked, without side effects.
 *
 * Order matters:
 * - before `ready`: register the app:// scheme as privileged (Electron refuses it later), force the
 *   sandbox on every renderer, take the single-instance lock, guard every future webContents;
 * - on `ready`: harden the default session (webRequest filter, CSP header, permission denials), serve
 *   dist/renderer on app://, start the EngineHost (after BPW_SQLITE_BINDING is set), register the IPC
 *   handlers, build the menu, and only then create the window, so its first request already meets every
 *   rule.
 *
 * Deliberately absent: crashReporter (never started, so no crash upload), autoUpdater (no update ping),
 * any analytics. The app makes no network request of its own.
 */
import { existsSync } from 'node:fs';
import { isUncPath, type SecurityPolicy } from '../../shared/security';
import { join } from 'node:path';
import { app, dialog, session, type BrowserWindow } from 'electron';
import { createAppChannelHandlers } from './app-channels';
import { backupFromMenu, restoreFromMenu } from './backup-commands';
import { createEngineHost, shutdownEngine, type EngineLike } from './engine';
import { registerIpcHandlers } from './ipc';
import { installApplicationMenu, type MenuActions } from './menu';
import { preloadPath, recentWorkspacesFile, rendererDir, securityPolicyFile } from './paths';
import { installAppProtocol, registerAppScheme } from './protocol';
import { RecentWorkspaces } from './recent-workspaces';
import { hardenSession, installWebContentsGuards } from './security';
import { grant, PendingUnlock, registerDroppedFileGrants, SecurityPolicyStore } from './security-services';
import { acquireSingleInstanceLock } from './single-instance';
import { WINDOW_TITLE, createMainWindow } from './window';
import { clearRecentWorkspaces, newWorkspace, openRecentWorkspace, openWorkspace, showAbout, type WorkspaceCommandDeps } from './workspace-commands';

export interface StartOptions {
  /** Tests pass a fake; the app starts the real EngineHost (with this computer's security policy). */
  createEngine?: (policy: SecurityPolicy) => EngineLike;
}

export interface AppHandle {
  /** Settles when the window has been created (or startup failed). */
  ready: Promise<void>;
  getWindow(): BrowserWindow | null;
  getEngine(): EngineLike | null;
}

function fail(title: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`[main] ${title}\n${detail}`);
  dialog.showErrorBox(title, detail);
  app.exit(1);
}

function run(action: () => Promise<unknown> | void): void {
  Promise.resolve()
    .then(action)
    .catch((error: unknown) => console.error('[main] 菜单操作失败', error));
}

/** Returns null when another instance is already running (this one quits). */
export function startApp(options: StartOptions = {}): AppHandle | null {
  registerAppScheme();
  app.enableSandbox();

  let mainWindow: BrowserWindow | null = null;
  let engine: EngineLike | null = null;
  const getWindow = () => mainWindow;

  if (!acquireSingleInstanceLock(getWindow)) {
    app.quit();
    return null;
  }
  installWebContentsGuards(app);

  // One window; closing it ends the app on every platform (the engine's state belongs to that window).
  app.on('window-all-closed', () => app.quit());

  let engineStopped = false;
  app.on('will-quit', (event) => {
    if (!engine || engineStopped) return;
    event.preventDefault();
    const stopping = engine;
    void shutdownEngine(stopping).finally(() => {
      engineStopped = true;
      app.quit();
    });
  });

  const onReady = () => {
    const isDev = !app.isPackaged;
    const appName = app.getName() || WINDOW_TITLE;
    hardenSession(session.defaultSession, { allowDevtools: isDev });

    const root = rendererDir();
    if (!existsSync(join(root, 'index.html'))) {
      fail('界面文件缺失', `没有找到 ${join(root, 'index.html')}。请先运行 npm run build（或直接用 npm start 启动）。`);
      return;
    }
    installAppProtocol(root);

    const policy = new SecurityPolicyStore(securityPolicyFile());
    const host = (options.createEngine ?? createEngineHost)(policy.get());
    engine = host;
    const recent = new RecentWorkspaces(recentWorkspacesFile());
    const pendingUnlock = new PendingUnlock();
    // Workspaces opened before were chosen by the user then; a network share must be chosen again.
    for (const entry of recent.list()) if (!(process.platform === 'win32' && isUncPath(entry.path))) grant(host, entry.path, 'read');
    registerDroppedFileGrants(host, getWindow);

    const refreshMenu = () => installApplicationMenu({ actions, recent: recent.list(), isDev, platform: process.platform, appName });
    const commands: WorkspaceCommandDeps = { engine: host, getWindow, recent, onRecentChanged: refreshMenu, pendingUnlock };
    const actions: MenuActions = {
      newWorkspace: () => run(() => newWorkspace(commands)),
      openWorkspace: () => run(() => openWorkspace(commands)),
      openRecent: (path) => run(() => openRecentWorkspace(commands, path)),
      clearRecent: () => run(() => clearRecentWorkspaces(commands)),
      backupWorkspace: () => run(() => backupFromMenu({ engine: host, getWindow })),
      restoreWorkspace: () => run(() => restoreFromMenu({ engine: host, getWindow })),
      showAbout: () => run(() => showAbout(getWindow, appName)),
    };

    registerIpcHandlers({
      engine: host,
      getWindow,
      appChannels: createAppChannelHandlers({ getWindow, recent, engine: host, security: { policy, pendingUnlock } }),
      onWorkspaceOpened: (summary) => {
        recent.remember(summary.path);
        refreshMenu();
      },
    });
    refreshMenu();

    mainWindow = createMainWindow({ preload: preloadPath(), devTools: isDev });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };

  const ready = app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => fail('工作台启动失败', error));

  return { ready, getWindow, getEngine: () => engine };
}
