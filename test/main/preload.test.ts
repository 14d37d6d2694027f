import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES } from '../../shared/api';
import type { WorkbenchApi } from '../../shared/workbench-api';
import { fake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let api: WorkbenchApi;

beforeAll(async () => {
  await import('../../electron/preload/index');
  api = fake.contextBridge.exposeInMainWorld.mock.calls[0]![1] as WorkbenchApi;
});

describe('preload', () => {
  it('exposes exactly window.workbench, with exactly invoke, on and pathForFile', () => {
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    const [key, value] = fake.contextBridge.exposeInMainWorld.mock.calls[0]!;
    expect(key).toBe('workbench');
    expect(Object.keys(value as object).sort()).toEqual(['invoke', 'on', 'pathForFile']);
    expect(Object.isFrozen(value)).toBe(true);
  });

  it('invoke goes through ipcRenderer.invoke and unwraps the envelope', async () => {
    fake.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, data: 42 });
    await expect(api.invoke('customers.count', {})).resolves.toBe(42);
    expect(fake.ipcRenderer.invoke).toHaveBeenLastCalledWith('customers.count', {});

    fake.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'no_workspace', message: '请先打开工作区' } });
    await expect(api.invoke('customers.count', {})).rejects.toMatchObject({ name: 'WorkbenchError', code: 'no_workspace', message: '请先打开工作区' });
  });

  it('turns a channel main does not answer into a Chinese error', async () => {
    fake.ipcRenderer.invoke.mockRejectedValueOnce(new Error("No handler registered for 'evil'"));
    await expect(api.invoke('evil' as never, {} as never)).rejects.toMatchObject({ code: 'invalid_request', message: '主进程拒绝了该请求' });
  });

  it('on subscribes to api events only, passes the payload without the IPC event, and unsubscribes', () => {
    const listener = vi.fn();
    const off = api.on('job.progress', listener);
    expect(fake.ipcRenderer.on).toHaveBeenCalledOnce();
    const [channel, forward] = fake.ipcRenderer.on.mock.calls[0]! as unknown as [string, (event: unknown, payload: unknown) => void];
    expect(channel).toBe('job.progress');
    const ipcEvent = { sender: { send: vi.fn() }, senderId: 0 };
    forward(ipcEvent, { jobId: 'j', done: 1, total: 2 });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ jobId: 'j', done: 1, total: 2 });
    off();
    expect(fake.ipcRenderer.removeListener).toHaveBeenCalledWith('job.progress', forward);

    expect(() => api.on('ipc-internal' as never, vi.fn())).toThrow(/未知的事件/);
    expect(fake.ipcRenderer.on).toHaveBeenCalledOnce();
  });

  it('knows exactly the events of shared/api.ts', async () => {
    const { PRELOAD_EVENTS } = await import('../../electron/preload/transport');
    expect([...PRELOAD_EVENTS].sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('pathForFile uses webUtils and says null when there is no path', () => {
    const file = { name: 'a.csv' } as unknown as File;
    fake.webUtils.getPathForFile.mockReturnValueOnce('/data/a.csv');
    expect(api.pathForFile(file)).toBe('/data/a.csv');
    fake.webUtils.getPathForFile.mockReturnValueOnce('');
    expect(api.pathForFile(file)).toBeNull();
    fake.webUtils.getPathForFile.mockImplementationOnce(() => {
      throw new Error('not a File');
    });
    expect(api.pathForFile(file)).toBeNull();
  });

  it('bundles to CommonJS whose only require is electron (a sandboxed preload can load nothing else)', async () => {
    const result = await build({
      entryPoints: [join(ROOT, 'electron/preload/index.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'cjs',
      external: ['electron'],
      metafile: true,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    const requires = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/\bimport\s*\(|\bimport\s+[{*\w]/);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes('node_modules/zod'))).toBe(false);
    expect(inputs.every((input) => !input.includes('node_modules'))).toBe(true);
  });
});

describe('dropped files', () => {
  it('grants the dropped file through its own channel, which the page cannot call', async () => {
    const { DROPPED_FILE_CHANNEL } = await import('../../electron/preload/transport');
    const main = await import('../../electron/main/security-services');
    expect(DROPPED_FILE_CHANNEL).toBe(main.DROPPED_FILE_CHANNEL);
    fake.ipcRenderer.invoke.mockReset();
    fake.ipcRenderer.invoke.mockResolvedValue(true);
    fake.webUtils.getPathForFile.mockReturnValueOnce('/data/客户.csv');
    expect(api.pathForFile({ name: '客户.csv' } as unknown as File)).toBe('/data/客户.csv');
    expect(fake.ipcRenderer.invoke).toHaveBeenLastCalledWith(DROPPED_FILE_CHANNEL, '/data/客户.csv');
    fake.ipcRenderer.invoke.mockClear();
    await expect(api.invoke(DROPPED_FILE_CHANNEL as never, '/etc/passwd' as never)).rejects.toMatchObject({ code: 'invalid_request' });
    expect(fake.ipcRenderer.invoke).not.toHaveBeenCalled();
  });
});
