import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, channels, type Envelope, type EventMap, type EventName } from '../../shared/api';
import { FakeBrowserWindow, fake, resetFake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { registerIpcHandlers, UNTRUSTED_SENDER_ERROR } = await import('../../electron/main/ipc');
const { createAppChannelHandlers } = await import('../../electron/main/app-channels');
const { RecentWorkspaces } = await import('../../electron/main/recent-workspaces');
const { PendingUnlock, SecurityPolicyStore } = await import('../../electron/main/security-services');

type Handler = (event: unknown, payload?: unknown) => Promise<Envelope<unknown>>;
type EngineListener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

const dir = mkdtempSync(join(tmpdir(), 'bpw-ipc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup() {
  const win = new FakeBrowserWindow({});
  win.webContents.url = 'app://workbench/index.html';
  const listeners = new Set<EngineListener>();
  const engine = {
    invoke: vi.fn(async (channel: string, payload: unknown): Promise<Envelope<unknown>> => {
      if (channel === 'workspace.open') return { ok: true, data: { path: (payload as { path: string }).path, fileName: 'w.bpw', schemaVersion: 1, customers: 0 } };
      return { ok: true, data: { echoed: channel } };
    }),
    onEvent: vi.fn((listener: EngineListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
  };
  const recent = new RecentWorkspaces(join(dir, `recent-${Math.random()}.json`));
  const onWorkspaceOpened = vi.fn();
  const getWindow = () => win as never;
  const dispose = registerIpcHandlers({ engine, getWindow, appChannels: createAppChannelHandlers({ getWindow, recent, engine: {}, security: { policy: new SecurityPolicyStore(join(dir, `policy-${Math.random()}.json`)), pendingUnlock: new PendingUnlock() } }), onWorkspaceOpened });
  const handlers = new Map<string, Handler>(fake.ipcMain.handle.mock.calls.map((call) => [call[0] as string, call[1] as Handler]));
  const trusted = (url = 'app://workbench/index.html#/customers') => ({ sender: win.webContents, senderFrame: { url, parent: null } });
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) => listeners.forEach((l) => l(event, payload));
  return { win, engine, handlers, trusted, emit, onWorkspaceOpened, dispose, recent };
}

beforeEach(() => resetFake());

describe('IPC registration', () => {
  it('registers exactly one ipcMain.handle per api channel, and nothing else', () => {
    setup();
    const registered = fake.ipcMain.handle.mock.calls.map((call) => call[0]);
    expect(registered).toHaveLength(CHANNEL_NAMES.length);
    expect(new Set(registered)).toEqual(new Set(CHANNEL_NAMES));
    for (const call of fake.ipcMain.handle.mock.calls) expect(typeof call[1]).toBe('function');
    expect(fake.ipcMain.on).not.toHaveBeenCalled();
    expect(fake.ipcMain.once).not.toHaveBeenCalled();
    expect(fake.ipcMain.handleOnce).not.toHaveBeenCalled();
  });

  it('removes every handler on dispose', () => {
    const { dispose } = setup();
    dispose();
    expect(new Set(fake.ipcMain.removeHandler.mock.calls.map((call) => call[0]))).toEqual(new Set(CHANNEL_NAMES));
  });
});

describe('sender validation', () => {
  it.each([
    ['a foreign origin', { url: 'https://evil.example/', parent: null }],
    ['another app host', { url: 'app://other/index.html', parent: null }],
    ['a file page', { url: 'file:///tmp/index.html', parent: null }],
    ['a subframe', { url: 'app://workbench/index.html', parent: {} }],
    ['a destroyed frame', null],
  ])('rejects a call from %s without touching the engine', async (_name, senderFrame) => {
    const { win, engine, handlers } = setup();
    const result = await handlers.get('customers.count')!({ sender: win.webContents, senderFrame }, {});
    expect(result).toEqual(UNTRUSTED_SENDER_ERROR);
    expect(result.ok).toBe(false);
    expect(engine.invoke).not.toHaveBeenCalled();
  });

  it('rejects a call from another webContents, even on the app origin', async () => {
    const { engine, handlers } = setup();
    const stranger = new FakeBrowserWindow({});
    const result = await handlers.get('workspace.current')!({ sender: stranger.webContents, senderFrame: { url: 'app://workbench/index.html', parent: null } }, {});
    expect(result).toEqual(UNTRUSTED_SENDER_ERROR);
    expect(engine.invoke).not.toHaveBeenCalled();
  });

  it('rejects dialogs for an untrusted sender too', async () => {
    const { handlers } = setup();
    await handlers.get('app.openFileDialog')!({ sender: null, senderFrame: { url: 'https://evil.example/', parent: null } }, {});
    expect(fake.dialog.showOpenDialog).not.toHaveBeenCalled();
  });
});

describe('payload validation and dispatch', () => {
  it('validates before forwarding: a bad payload never reaches the engine', async () => {
    const { engine, handlers, trusted } = setup();
    const bad = await handlers.get('customers.page')!(trusted(), { limit: 'all', injected: 'DROP TABLE' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('invalid_request');
      expect(bad.error.message).toMatch(/请求参数有误/);
    }
    expect(engine.invoke).not.toHaveBeenCalled();
  });

  it('forwards host, query and job channels with the parsed payload', async () => {
    const { engine, handlers, trusted } = setup();
    expect(await handlers.get('customers.page')!(trusted(), {})).toEqual({ ok: true, data: { echoed: 'customers.page' } });
    expect(engine.invoke).toHaveBeenLastCalledWith('customers.page', { limit: 200 });
    await handlers.get('quality.run')!(trusted(), undefined);
    expect(engine.invoke).toHaveBeenLastCalledWith('quality.run', {});
    await handlers.get('job.cancel')!(trusted(), { jobId: 'j1' });
    expect(engine.invoke).toHaveBeenLastCalledWith('job.cancel', { jobId: 'j1' });
  });

  it('answers every app channel in main and never sends one to the engine', async () => {
    const { engine, handlers, trusted } = setup();
    const appChannels = CHANNEL_NAMES.filter((name) => channels[name].kind === 'app');
    expect(appChannels.length).toBeGreaterThan(0);
    for (const name of appChannels) {
      const payload = name === 'app.revealFile' ? { path: join(dir, 'missing.bpw') } : {};
      await handlers.get(name)!(trusted(), payload);
    }
    expect(engine.invoke).not.toHaveBeenCalled();
  });

  it('app.info reports the app version and platform', async () => {
    const { handlers, trusted } = setup();
    expect(await handlers.get('app.info')!(trusted(), {})).toEqual({ ok: true, data: { version: '0.1.0', platform: process.platform, electron: null } });
  });

  it('opens native dialogs with Chinese titles, attached to the window', async () => {
    const { win, handlers, trusted } = setup();
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/data/客户.csv'] });
    const opened = await handlers.get('app.openFileDialog')!(trusted(), { filters: [{ name: 'CSV', extensions: ['csv'] }] });
    expect(opened).toEqual({ ok: true, data: '/data/客户.csv' });
    const [parent, options] = fake.dialog.showOpenDialog.mock.calls[0] as unknown as [unknown, Record<string, unknown>];
    expect(parent).toBe(win);
    expect(options).toMatchObject({ title: '选择文件', properties: ['openFile'], filters: [{ name: 'CSV', extensions: ['csv'] }] });

    await handlers.get('app.openFileDialog')!(trusted(), { directory: true });
    expect((fake.dialog.showOpenDialog.mock.calls[1] as unknown as [unknown, Record<string, unknown>])[1]).toMatchObject({ title: '选择文件夹', properties: ['openDirectory'] });

    expect(await handlers.get('app.saveFileDialog')!(trusted(), { defaultPath: '名单.xlsx' })).toEqual({ ok: true, data: null });
    expect((fake.dialog.showSaveDialog.mock.calls[0] as unknown as [unknown, Record<string, unknown>])[1]).toMatchObject({ title: '保存文件', defaultPath: '名单.xlsx' });
  });

  it('reveals only existing files, and only in the file manager', async () => {
    const { handlers, trusted } = setup();
    const missing = await handlers.get('app.revealFile')!(trusted(), { path: join(dir, 'nope.xlsx') });
    expect(missing.ok).toBe(false);
    expect(fake.shell.showItemInFolder).not.toHaveBeenCalled();
    const file = join(dir, 'export.xlsx');
    writeFileSync(file, 'x');
    expect(await handlers.get('app.revealFile')!(trusted(), { path: file })).toEqual({ ok: true, data: null });
    expect(fake.shell.showItemInFolder).toHaveBeenCalledExactlyOnceWith(file);
    expect(fake.shell.openPath).not.toHaveBeenCalled();
    expect(fake.shell.openExternal).not.toHaveBeenCalled();
  });

  it('reports a successful workspace.open so it is remembered', async () => {
    const { handlers, trusted, onWorkspaceOpened } = setup();
    await handlers.get('workspace.open')!(trusted(), { path: '/data/支行.bpw' });
    expect(onWorkspaceOpened).toHaveBeenCalledWith(expect.objectContaining({ path: '/data/支行.bpw' }));
  });

  it('turns an engine crash into an error envelope', async () => {
    const { engine, handlers, trusted } = setup();
    engine.invoke.mockRejectedValueOnce(new Error('boom'));
    const result = await handlers.get('settings.get')!(trusted(), {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('internal');
  });
});

describe('event forwarding', () => {
  it('sends job events to the window', () => {
    const { win, emit } = setup();
    emit('job.progress', { jobId: 'j1', channel: 'import.run', phase: '读取', done: 1, total: 10 });
    emit('job.finished', { jobId: 'j1', channel: 'import.run', status: 'succeeded', result: { rows: 1 } });
    expect(win.webContents.sent).toEqual([
      { channel: 'job.progress', payload: { jobId: 'j1', channel: 'import.run', phase: '读取', done: 1, total: 10 } },
      { channel: 'job.finished', payload: { jobId: 'j1', channel: 'import.run', status: 'succeeded', result: { rows: 1 } } },
    ]);
  });

  it('sends nothing to a page that is not ours, or to a closed window', () => {
    const { win, emit } = setup();
    win.webContents.url = 'https://evil.example/';
    emit('job.progress', { jobId: 'j1', channel: 'import.run', phase: 'x', done: 0, total: 1 });
    win.webContents.url = 'app://workbench/index.html';
    win.destroyed = true;
    emit('job.progress', { jobId: 'j1', channel: 'import.run', phase: 'x', done: 0, total: 1 });
    expect(win.webContents.sent).toEqual([]);
  });
});
