import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, type Envelope } from '../../shared/api';
import { FakeBrowserWindow, FakeEvent, fake, resetFake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { startApp } = await import('../../electron/main/app');
const { configureNativeBinding } = await import('../../electron/main/engine');
const { electronNativeBindingPath } = await import('../../electron/main/paths');

let appPath: string;
let userData: string;

function fakeEngine() {
  return {
    invoke: vi.fn(async (channel: string, payload: unknown): Promise<Envelope<unknown>> => {
      if (channel === 'workspace.open' || channel === 'workspace.create') {
        return { ok: true, data: { path: (payload as { path: string }).path, fileName: 'x.bpw', schemaVersion: 1, customers: 0 } };
      }
      return { ok: true, data: null };
    }),
    onEvent: vi.fn(() => () => undefined),
    runningJobs: vi.fn(() => []),
    close: vi.fn(async () => undefined),
  };
}

beforeEach(() => {
  resetFake();
  appPath = mkdtempSync(join(tmpdir(), 'bpw-app-'));
  userData = mkdtempSync(join(tmpdir(), 'bpw-user-'));
  mkdirSync(join(appPath, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html>');
  fake.app.appPath = appPath;
  fake.app.userData = userData;
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(appPath, { recursive: true, force: true });
  rmSync(userData, { recursive: true, force: true });
});

async function boot() {
  const engine = fakeEngine();
  const handle = startApp({ createEngine: () => engine });
  fake.app.makeReady();
  await handle!.ready;
  return { engine, handle: handle! };
}

describe('startApp', () => {
  it('does the pre-ready work synchronously and nothing else before ready', () => {
    const handle = startApp({ createEngine: fakeEngine });
    expect(handle).not.toBeNull();
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledOnce();
    expect(fake.app.enableSandbox).toHaveBeenCalledOnce();
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(fake.protocol.handle).not.toHaveBeenCalled();
    expect(fake.ipcMain.handle).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('on ready: hardens the session, serves app://, registers IPC, builds the menu, then opens the window', async () => {
    await boot();
    const session = fake.session.defaultSession;
    expect(session.permissionRequestHandler).toBeTypeOf('function');
    expect(session.permissionCheckHandler).toBeTypeOf('function');
    expect(session.beforeRequest).toHaveLength(1);
    expect(session.headersReceived).toHaveLength(1);
    expect(fake.protocol.handle).toHaveBeenCalledOnce();
    expect(fake.protocol.handle.mock.calls[0]![0]).toBe('app');
    // One handler per api channel, and the preload's own grant of a dropped file (security-services.ts).
    expect(fake.ipcMain.handle).toHaveBeenCalledTimes(CHANNEL_NAMES.length + 1);
    expect(fake.ipcMain.handle.mock.calls.map((call) => call[0]).filter((name) => !(CHANNEL_NAMES as string[]).includes(name as string))).toEqual(['bpw:grant-dropped-file']);
    expect(fake.Menu.setApplicationMenu).toHaveBeenCalled();

    expect(FakeBrowserWindow.instances).toHaveLength(1);
    const win = FakeBrowserWindow.instances[0]!;
    expect(win.options.webPreferences).toMatchObject({
      preload: join(appPath, 'dist-electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: true,
    });
    expect(win.loadURL).toHaveBeenCalledWith('app://workbench/index.html');
    expect(win.webContents.fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(win.webContents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('never starts the crash reporter or the auto-updater', async () => {
    await boot();
    expect(fake.crashReporter.start).not.toHaveBeenCalled();
    expect(fake.autoUpdater.setFeedURL).not.toHaveBeenCalled();
    expect(fake.autoUpdater.checkForUpdates).not.toHaveBeenCalled();
  });

  it('turns DevTools off in the packaged app and denies devtools: there', async () => {
    fake.app.isPackaged = true;
    await boot();
    expect(FakeBrowserWindow.instances[0]!.options.webPreferences.devTools).toBe(false);
    const callback = vi.fn();
    fake.session.defaultSession.beforeRequest[0]!.listener({ url: 'devtools://devtools/x' }, callback);
    expect(callback).toHaveBeenCalledWith({ cancel: true });
  });

  it('remembers a workspace opened through IPC, in userData, and rebuilds the menu', async () => {
    await boot();
    const win = FakeBrowserWindow.instances[0]!;
    const handler = fake.ipcMain.handle.mock.calls.find((call) => call[0] === 'workspace.open')![1] as (e: unknown, p: unknown) => Promise<Envelope<unknown>>;
    const menusBefore = fake.Menu.setApplicationMenu.mock.calls.length;
    const workspace = join(userData, '城东支行.bpw');
    await handler({ sender: win.webContents, senderFrame: { url: 'app://workbench/index.html', parent: null } }, { path: workspace });
    expect(fake.Menu.setApplicationMenu.mock.calls.length).toBe(menusBefore + 1);

    const recentHandler = fake.ipcMain.handle.mock.calls.find((call) => call[0] === 'app.recentWorkspaces')![1] as (e: unknown, p: unknown) => Promise<Envelope<unknown>>;
    const recent = await recentHandler({ sender: win.webContents, senderFrame: { url: 'app://workbench/index.html', parent: null } }, {});
    expect(recent).toMatchObject({ ok: true, data: [{ path: workspace, exists: false }] });
  });

  it('quits at once when another instance holds the lock', () => {
    fake.app.lock = false;
    expect(startApp({ createEngine: fakeEngine })).toBeNull();
    expect(fake.app.quit).toHaveBeenCalledOnce();
    expect(fake.app.whenReady).not.toHaveBeenCalled();
  });

  it('brings the window back when a second instance starts', async () => {
    await boot();
    const win = FakeBrowserWindow.instances[0]!;
    win.minimized = true;
    fake.app.emit('second-instance', new FakeEvent(), [], '/');
    expect(win.restore).toHaveBeenCalledOnce();
    expect(win.focus).toHaveBeenCalledOnce();
  });

  it('closes the engine before quitting', async () => {
    const { engine } = await boot();
    const event = new FakeEvent();
    fake.app.emit('will-quit', event);
    expect(event.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
    expect(engine.invoke).toHaveBeenCalledWith('workspace.close', {});
    expect(engine.close).toHaveBeenCalledOnce();
    const again = new FakeEvent();
    fake.app.emit('will-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });

  it('stops with a Chinese error when the renderer was not built', async () => {
    rmSync(join(appPath, 'dist'), { recursive: true });
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await boot();
    expect(fake.dialog.showErrorBox).toHaveBeenCalledWith('界面文件缺失', expect.stringContaining('npm run build'));
    expect(fake.app.exit).toHaveBeenCalledWith(1);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });
});

describe('the Electron build of better-sqlite3', () => {
  it('is passed to the engine in BPW_SQLITE_BINDING when it exists (unpackaged)', () => {
    const binding = electronNativeBindingPath(appPath, '40.8.5');
    expect(binding).toBe(join(appPath, '.cache', 'electron-native', `better-sqlite3-40.8.5-${process.platform}-${process.arch}`, 'build', 'Release', 'better_sqlite3.node'));
    const env: NodeJS.ProcessEnv = {};
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(configureNativeBinding(env, '40.8.5')).toBeNull();
    expect(env.BPW_SQLITE_BINDING).toBeUndefined();
    mkdirSync(join(binding, '..'), { recursive: true });
    writeFileSync(binding, '');
    expect(configureNativeBinding(env, '40.8.5')).toBe(binding);
    expect(env.BPW_SQLITE_BINDING).toBe(binding);
  });

  it('keeps a path set by scripts/start.mjs, and sets nothing in the packaged app', () => {
    const env: NodeJS.ProcessEnv = { BPW_SQLITE_BINDING: '/elsewhere/better_sqlite3.node' };
    expect(configureNativeBinding(env, '40.8.5')).toBe('/elsewhere/better_sqlite3.node');
    fake.app.isPackaged = true;
    const packaged: NodeJS.ProcessEnv = {};
    expect(configureNativeBinding(packaged, '40.8.5')).toBeNull();
    expect(packaged).toEqual({});
  });
});
