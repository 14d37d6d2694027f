import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, resetFake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { createMainWindow, mainWindowOptions } = await import('../../electron/main/window');

beforeEach(() => resetFake());

describe('main window', () => {
  it('has the webPreferences of DESIGN.md §2', () => {
    const options = mainWindowOptions({ preload: '/app/dist-electron/preload.cjs', devTools: false });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    const prefs = options.webPreferences as Record<string, unknown>;
    for (const forbidden of ['enableRemoteModule', 'remote', 'enableBlinkFeatures', 'partition', 'session', 'additionalArguments']) {
      expect(prefs, forbidden).not.toHaveProperty(forbidden);
    }
    expect(options.show).toBe(false);
    expect(options.title).toBe('支行客户画像工作台');
  });

  it('is created with those options, guarded, and loads the app origin', () => {
    const win = createMainWindow({ preload: '/app/dist-electron/preload.cjs', devTools: true }) as unknown as FakeBrowserWindow;
    expect(FakeBrowserWindow.instances).toEqual([win]);
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: true });
    expect(win.loadURL).toHaveBeenCalledExactlyOnceWith('app://workbench/index.html');
    expect(win.webContents.fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(win.webContents.fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(win.webContents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalledOnce();
  });
});
