/**
 * The main window: its options (the webPreferences of DESIGN.md §2), the denials on its webContents, and
 * what it loads (app://workbench/index.html, never a remote page).
 */
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { APP_ENTRY_URL } from './protocol-constants';
import { hardenWebContents } from './security';

export const WINDOW_TITLE = '支行客户画像工作台';

export interface MainWindowOptions {
  /** Absolute path of dist-electron/preload.cjs. */
  preload: string;
  /** DevTools only in unpackaged runs. */
  devTools: boolean;
}

export function mainWindowOptions({ preload, devTools }: MainWindowOptions): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 700,
    show: false,
    backgroundColor: '#f5f7fa',
    webPreferences: {
      preload,
      // The renderer is untrusted: isolated from the preload, sandboxed, without Node.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // The spell checker would fetch dictionaries from a Google CDN.
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools,
    },
  };
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(options));
  hardenWebContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  // If the page cannot load, still show the window (with Chromium's error page) rather than nothing.
  win.webContents.once('did-fail-load', () => {
    if (!win.isDestroyed() && !win.isVisible()) win.show();
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
