import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { buildMenuTemplate } = await import('../../electron/main/menu');

function actions() {
  return { newWorkspace: vi.fn(), openWorkspace: vi.fn(), openRecent: vi.fn(), clearRecent: vi.fn(), backupWorkspace: vi.fn(), restoreWorkspace: vi.fn(), showAbout: vi.fn() };
}

function template(overrides: Partial<Parameters<typeof buildMenuTemplate>[0]> = {}) {
  return buildMenuTemplate({ actions: actions(), recent: [], isDev: false, platform: 'win32', appName: '支行客户画像工作台', ...overrides });
}

const submenu = (item: MenuItemConstructorOptions | undefined) => (item?.submenu ?? []) as MenuItemConstructorOptions[];
const labels = (items: MenuItemConstructorOptions[]) => items.filter((item) => item.type !== 'separator').map((item) => item.label);

function everyItem(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...everyItem(submenu(item))]);
}

describe('application menu', () => {
  it('has 文件, 编辑, 视图, 帮助 on Windows and Linux', () => {
    expect(labels(template())).toEqual(['文件', '编辑', '视图', '帮助']);
    expect(labels(template({ platform: 'linux' }))).toEqual(['文件', '编辑', '视图', '帮助']);
  });

  it('文件: 新建工作区, 打开工作区, 最近打开, 备份工作区, 从备份恢复, 退出', () => {
    const file = submenu(template()[0]);
    expect(labels(file)).toEqual(['新建工作区…', '打开工作区…', '最近打开', '备份工作区…', '从备份恢复…', '退出']);
    expect(file.find((item) => item.label === '退出')?.role).toBe('quit');
  });

  it('视图 offers 重新加载 only in development', () => {
    const packaged = labels(submenu(template()[2]));
    expect(packaged).toEqual(['实际大小', '放大', '缩小', '全屏']);
    const dev = labels(submenu(template({ isDev: true })[2]));
    expect(dev).toContain('重新加载');
    expect(dev).toEqual(['重新加载', '开发者工具', '实际大小', '放大', '缩小', '全屏']);
  });

  it('帮助 has 关于, which shows the about box', () => {
    const a = actions();
    const help = submenu(buildMenuTemplate({ actions: a, recent: [], isDev: false, platform: 'win32', appName: '支行客户画像工作台' })[3]);
    expect(labels(help)).toEqual(['关于支行客户画像工作台']);
    help[0]!.click!({} as never, undefined, {} as never);
    expect(a.showAbout).toHaveBeenCalledOnce();
  });

  it('labels every item in Chinese (role items never fall back to English)', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      for (const item of everyItem(template({ platform, isDev: true }))) {
        if (item.type === 'separator') continue;
        expect(item.label, JSON.stringify(item)).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('macOS gets the app menu first and 关闭窗口 instead of 退出 in 文件', () => {
    const mac = template({ platform: 'darwin' });
    expect(labels(mac)).toEqual(['支行客户画像工作台', '文件', '编辑', '视图', '帮助']);
    expect(labels(submenu(mac[1]))).toContain('关闭窗口');
  });

  it('最近打开 lists the recent workspaces and opens one on click', () => {
    const a = actions();
    const menu = buildMenuTemplate({
      actions: a,
      recent: [
        { path: '/data/城东支行.bpw', openedAt: '2025-01-01T00:00:00Z', exists: true },
        { path: '/data/R&D.bpw', openedAt: '2025-01-01T00:00:00Z', exists: false },
      ],
      isDev: false,
      platform: 'linux',
      appName: '支行客户画像工作台',
    });
    const recent = submenu(submenu(menu[0]).find((item) => item.label === '最近打开'));
    expect(recent[0]!.label).toContain('城东支行.bpw');
    recent[0]!.click!({} as never, undefined, {} as never);
    expect(a.openRecent).toHaveBeenCalledWith('/data/城东支行.bpw');
    expect(recent[1]!.enabled).toBe(false);
    expect(recent[1]!.label).toContain('R&&D.bpw');
    const clear = recent.find((item) => item.label === '清除最近打开记录')!;
    clear.click!({} as never, undefined, {} as never);
    expect(a.clearRecent).toHaveBeenCalledOnce();
  });

  it('最近打开 says so when empty', () => {
    const recent = submenu(submenu(template()[0]).find((item) => item.label === '最近打开'));
    expect(recent).toEqual([{ label: '（暂无）', enabled: false }]);
  });
});
