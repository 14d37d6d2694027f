import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../shared/api';
import { FakeBrowserWindow, fake, resetFake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { newWorkspace, openRecentWorkspace, openWorkspace, showAbout } = await import('../../electron/main/workspace-commands');
const { RecentWorkspaces } = await import('../../electron/main/recent-workspaces');

let dir: string;
beforeEach(() => {
  resetFake();
  dir = mkdtempSync(join(tmpdir(), 'bpw-commands-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function deps(result?: Envelope<unknown>) {
  const win = new FakeBrowserWindow({});
  const engine = {
    invoke: vi.fn(async (_channel: string, payload: unknown): Promise<Envelope<unknown>> => result ?? { ok: true, data: { path: (payload as { path: string }).path, fileName: 'x', schemaVersion: 1, customers: 0 } }),
  };
  const recent = new RecentWorkspaces(join(dir, 'recent.json'));
  const onRecentChanged = vi.fn();
  return { win, engine, recent, onRecentChanged, getWindow: () => win as never };
}

describe('文件 menu commands', () => {
  it('新建工作区 asks where to save (in Chinese), creates it, remembers it and reloads the window', async () => {
    const d = deps();
    const chosen = join(dir, '城东支行');
    fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: chosen });
    expect(await newWorkspace(d)).toBe(true);
    const options = (fake.dialog.showSaveDialog.mock.calls[0] as unknown as [unknown, Record<string, unknown>])[1];
    expect(options).toMatchObject({ title: '新建工作区', buttonLabel: '创建' });
    expect(d.engine.invoke).toHaveBeenCalledWith('workspace.create', { path: `${chosen}.bpw` });
    expect(d.recent.list().map((entry) => entry.path)).toEqual([`${chosen}.bpw`]);
    expect(d.onRecentChanged).toHaveBeenCalled();
    expect(d.win.webContents.reload).toHaveBeenCalledOnce();
  });

  it('does nothing when the dialog is cancelled', async () => {
    const d = deps();
    expect(await openWorkspace(d)).toBe(false);
    expect((fake.dialog.showOpenDialog.mock.calls[0] as unknown as [unknown, Record<string, unknown>])[1]).toMatchObject({ title: '打开工作区' });
    expect(d.engine.invoke).not.toHaveBeenCalled();
  });

  it('shows the engine’s Chinese message when opening fails, and drops a vanished recent file', async () => {
    const d = deps({ ok: false, error: { code: 'workspace_not_found', message: '找不到工作区文件' } });
    const path = join(dir, 'gone.bpw');
    d.recent.remember(path);
    expect(await openRecentWorkspace(d, path)).toBe(false);
    expect(fake.dialog.showMessageBox).toHaveBeenCalledWith(d.win, expect.objectContaining({ type: 'error', title: '无法打开工作区', message: '找不到工作区文件' }));
    expect(d.recent.list()).toEqual([]);
    expect(d.win.webContents.reload).not.toHaveBeenCalled();
  });

  it('关于 shows the version and the offline promise', async () => {
    await showAbout(() => null, '支行客户画像工作台');
    const options = (fake.dialog.showMessageBox.mock.calls[0] as unknown as [{ title: string; detail: string }])[0];
    expect(options.title).toBe('关于支行客户画像工作台');
    expect(options.detail).toContain('版本 0.1.0');
    expect(options.detail).toMatch(/不连接任何网络/);
  });
});
