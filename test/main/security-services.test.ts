/**
 * The desktop side of workspace security (issue #15), with electron mocked: what the dialogs return is
 * granted to the engine and nothing else; the computer's policy is kept in user data and handed to the
 * engine; an encrypted workspace opened from the menu hands over to the page's passphrase dialog; the
 * 备份 and 恢复 menu entries drive the engine and say what happened in Chinese; a dropped file is granted
 * only when the main window's preload reports it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope, EventMap, EventName } from '../../shared/api';
import { FakeBrowserWindow, fake, resetFake } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { createAppChannelHandlers } = await import('../../electron/main/app-channels');
const { PendingUnlock, SecurityPolicyStore, registerDroppedFileGrants, DROPPED_FILE_CHANNEL } = await import('../../electron/main/security-services');
const { RecentWorkspaces } = await import('../../electron/main/recent-workspaces');
const { openRecentWorkspace } = await import('../../electron/main/workspace-commands');
const { backupFromMenu, restoreFromMenu } = await import('../../electron/main/backup-commands');

let dir: string;
beforeEach(() => {
  resetFake();
  dir = mkdtempSync(join(tmpdir(), 'bpw-security-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function handlers() {
  const engine = { grantPath: vi.fn(), setPolicy: vi.fn() };
  const policy = new SecurityPolicyStore(join(dir, 'policy.json'));
  const pendingUnlock = new PendingUnlock();
  const app = createAppChannelHandlers({ getWindow: () => null, recent: new RecentWorkspaces(join(dir, 'recent.json')), engine, security: { policy, pendingUnlock } });
  return { app, engine, policy, pendingUnlock };
}

describe('dialog grants', () => {
  it('grants what the open and save dialogs return, as read, folder or write, and nothing when cancelled', async () => {
    const { app, engine } = handlers();
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/data/客户.csv'] });
    await app['app.openFileDialog']({});
    fake.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/data/berka'] });
    await app['app.openFileDialog']({ directory: true });
    fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/data/清单.xlsx' });
    await app['app.saveFileDialog']({});
    await app['app.saveFileDialog']({});
    expect(engine.grantPath.mock.calls).toEqual([
      ['/data/客户.csv', 'read'],
      ['/data/berka', 'folder'],
      ['/data/清单.xlsx', 'write'],
    ]);
  });
});

describe('the policy of this computer', () => {
  it('is kept in user data, read back on start, and handed to the engine', async () => {
    const { app, engine } = handlers();
    expect(await app['app.securityPolicy']({})).toEqual({ ok: true, data: { requireEncryption: false } });
    await app['app.setSecurityPolicy']({ requireEncryption: true });
    expect(engine.setPolicy).toHaveBeenCalledWith({ requireEncryption: true });
    expect(JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8'))).toMatchObject({ requireEncryption: true });
    expect(new SecurityPolicyStore(join(dir, 'policy.json')).get()).toEqual({ requireEncryption: true });
    expect(new SecurityPolicyStore(join(dir, 'missing.json')).get()).toEqual({ requireEncryption: false });
  });
});

describe('an encrypted workspace opened from the menu', () => {
  it('is handed to the page to ask its passphrase, once', async () => {
    const win = new FakeBrowserWindow({});
    const pendingUnlock = new PendingUnlock();
    const engine = { invoke: vi.fn(async (): Promise<Envelope<unknown>> => ({ ok: false, error: { code: 'passphrase_required', message: '已加密' } })), grantPath: vi.fn() };
    const recent = new RecentWorkspaces(join(dir, 'recent.json'));
    expect(await openRecentWorkspace({ engine, getWindow: () => win as never, recent, onRecentChanged: vi.fn(), pendingUnlock }, '/data/支行.bpw')).toBe(false);
    expect(engine.grantPath).toHaveBeenCalledWith('/data/支行.bpw', 'read');
    expect(win.webContents.reload).toHaveBeenCalledOnce();
    expect(fake.dialog.showMessageBox).not.toHaveBeenCalled();
    const { app } = handlers();
    expect(pendingUnlock.take()).toBe('/data/支行.bpw');
    expect(pendingUnlock.take()).toBeNull();
    expect(await app['app.pendingUnlock']({})).toEqual({ ok: true, data: null });
  });
});

function menuEngine(restore: Envelope<unknown>) {
  const listeners = new Set<<E extends EventName>(event: E, payload: EventMap[E]) => void>();
  return {
    grantPath: vi.fn(),
    onEvent: vi.fn((listener: <E extends EventName>(event: E, payload: EventMap[E]) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    invoke: vi.fn(async (channel: string, payload: unknown): Promise<Envelope<unknown>> => {
      if (channel === 'workspace.current') return { ok: true, data: { path: '/data/支行.bpw', fileName: '支行.bpw', schemaVersion: 10, customers: 9, encrypted: true } };
      if (channel === 'security.restore') return restore;
      if (channel === 'security.backup') {
        queueMicrotask(() => {
          for (const l of listeners) l('job.finished', { jobId: 'j1', channel: 'security.backup', status: 'succeeded', result: { path: (payload as { path: string }).path, bytes: 3 * 1024 * 1024, sha256: 'ab'.repeat(32), encrypted: true, at: '', method: 'vacuum-into' } });
        });
        return { ok: true, data: { jobId: 'j1' } };
      }
      return { ok: true, data: null };
    }),
  };
}

describe('备份 and 恢复 in the 文件 menu', () => {
  it('backs up where the user chose, granted, and says where and how big', async () => {
    const win = new FakeBrowserWindow({});
    const engine = menuEngine({ ok: true, data: null });
    fake.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/backup/支行-备份.bpw' });
    expect(await backupFromMenu({ engine, getWindow: () => win as never })).toBe(true);
    expect((fake.dialog.showSaveDialog.mock.calls[0] as unknown as [unknown, { defaultPath: string }])[1].defaultPath).toMatch(/^\/data\/支行-备份-\d{8}\.bpw$/);
    expect(engine.grantPath).toHaveBeenCalledWith('/backup/支行-备份.bpw', 'write');
    expect(fake.dialog.showMessageBox).toHaveBeenCalledWith(win, expect.objectContaining({ title: '备份完成', message: expect.stringContaining('3 MB，与工作区使用相同口令加密') }));
  });

  it('restores after a confirmation, names the kept file, and sends a backup with its own passphrase to the page', async () => {
    const win = new FakeBrowserWindow({});
    const ok = menuEngine({ ok: true, data: { path: '/data/支行.bpw', fileName: '支行.bpw', schemaVersion: 10, customers: 9, encrypted: true, previousPath: '/data/支行.恢复前-20240601-103000.bpw' } });
    fake.dialog.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: ['/backup/支行-备份.bpw'] });
    expect(await restoreFromMenu({ engine: ok, getWindow: () => win as never })).toBe(true);
    expect(ok.invoke).toHaveBeenCalledWith('security.restore', { path: '/backup/支行-备份.bpw' });
    expect(fake.dialog.showMessageBox).toHaveBeenLastCalledWith(win, expect.objectContaining({ title: '恢复完成', detail: expect.stringContaining('支行.恢复前-20240601-103000.bpw') }));
    expect(win.webContents.reload).toHaveBeenCalledOnce();

    const other = menuEngine({ ok: false, error: { code: 'wrong_passphrase', message: '口令不正确' } });
    expect(await restoreFromMenu({ engine: other, getWindow: () => win as never })).toBe(false);
    expect(fake.dialog.showMessageBox).toHaveBeenLastCalledWith(win, expect.objectContaining({ title: '未能恢复', message: expect.stringContaining('“工作区”页面') }));

    fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    const declined = menuEngine({ ok: true, data: null });
    expect(await restoreFromMenu({ engine: declined, getWindow: () => win as never })).toBe(false);
    expect(declined.invoke).not.toHaveBeenCalledWith('security.restore', expect.anything());
  });
});

describe('dropped files', () => {
  it('are granted only when the main window’s page reports them', async () => {
    const win = new FakeBrowserWindow({});
    const engine = { grantPath: vi.fn() };
    registerDroppedFileGrants(engine, () => win as never);
    const handler = fake.ipcMain.handle.mock.calls.find((call) => call[0] === DROPPED_FILE_CHANNEL)![1] as (event: unknown, path: unknown) => boolean;
    const trusted = { sender: win.webContents, senderFrame: { url: 'app://workbench/index.html', parent: null } };
    expect(handler(trusted, '/data/拖入的客户.csv')).toBe(true);
    expect(engine.grantPath).toHaveBeenCalledWith('/data/拖入的客户.csv', 'read');
    expect(handler({ ...trusted, senderFrame: { url: 'https://evil.example/', parent: null } }, '/etc/passwd')).toBe(false);
    expect(handler(trusted, 42)).toBe(false);
    expect(engine.grantPath).toHaveBeenCalledTimes(1);
  });
});
