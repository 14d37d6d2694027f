/**
 * The Chinese application menu. Built from a pure template function (tested without Electron) and
 * installed with Menu.setApplicationMenu. Electron's role items would show English labels, so every item
 * gets a Chinese label of its own; the roles still supply the behaviour and the usual shortcuts.
 */
import { basename, dirname } from 'node:path';
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { RecentWorkspace } from '../../shared/api';

export interface MenuActions {
  newWorkspace(): void;
  openWorkspace(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  backupWorkspace(): void;
  restoreWorkspace(): void;
  showAbout(): void;
}

export interface MenuOptions {
  actions: MenuActions;
  recent: RecentWorkspace[];
  /** Unpackaged runs get 重新加载 and 开发者工具. */
  isDev: boolean;
  platform: NodeJS.Platform;
  appName: string;
}

/** "&" marks a mnemonic in Windows and Linux menus; a path may contain one. */
function menuText(text: string): string {
  return text.replace(/&/g, '&&');
}

function recentItems({ actions, recent }: MenuOptions): MenuItemConstructorOptions[] {
  if (recent.length === 0) return [{ label: '（暂无）', enabled: false }];
  return [
    ...recent.map<MenuItemConstructorOptions>((entry) => ({
      label: menuText(`${basename(entry.path)}  —  ${dirname(entry.path)}${entry.exists ? '' : '（文件不存在）'}`),
      enabled: entry.exists,
      click: () => actions.openRecent(entry.path),
    })),
    { type: 'separator' },
    { label: '清除最近打开记录', click: () => actions.clearRecent() },
  ];
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { actions, isDev, platform, appName } = options;
  const mac = platform === 'darwin';

  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { label: `关于${appName}`, click: () => actions.showAbout() },
      { type: 'separator' },
      { label: `隐藏${appName}`, role: 'hide' },
      { label: '隐藏其他', role: 'hideOthers' },
      { label: '全部显示', role: 'unhide' },
      { type: 'separator' },
      { label: `退出${appName}`, role: 'quit' },
    ],
  };

  const fileMenu: MenuItemConstructorOptions = {
    label: '文件',
    submenu: [
      { label: '新建工作区…', accelerator: 'CmdOrCtrl+N', click: () => actions.newWorkspace() },
      { label: '打开工作区…', accelerator: 'CmdOrCtrl+O', click: () => actions.openWorkspace() },
      { label: '最近打开', submenu: recentItems(options) },
      { type: 'separator' },
      { label: '备份工作区…', click: () => actions.backupWorkspace() },
      { label: '从备份恢复…', click: () => actions.restoreWorkspace() },
      { type: 'separator' },
      mac ? { label: '关闭窗口', role: 'close' } : { label: '退出', role: 'quit' },
    ],
  };

  const editMenu: MenuItemConstructorOptions = {
    label: '编辑',
    submenu: [
      { label: '撤销', role: 'undo' },
      { label: '重做', role: 'redo' },
      { type: 'separator' },
      { label: '剪切', role: 'cut' },
      { label: '复制', role: 'copy' },
      { label: '粘贴', role: 'paste' },
      { label: '全选', role: 'selectAll' },
    ],
  };

  const viewMenu: MenuItemConstructorOptions = {
    label: '视图',
    submenu: [
      ...(isDev
        ? ([
            { label: '重新加载', role: 'reload' },
            { label: '开发者工具', role: 'toggleDevTools' },
            { type: 'separator' },
          ] satisfies MenuItemConstructorOptions[])
        : []),
      { label: '实际大小', role: 'resetZoom' },
      { label: '放大', role: 'zoomIn' },
      { label: '缩小', role: 'zoomOut' },
      { type: 'separator' },
      { label: '全屏', role: 'togglefullscreen' },
    ],
  };

  const helpMenu: MenuItemConstructorOptions = {
    label: '帮助',
    role: 'help',
    submenu: [{ label: `关于${appName}`, click: () => actions.showAbout() }],
  };

  return [...(mac ? [appMenu] : []), fileMenu, editMenu, viewMenu, helpMenu];
}

export function installApplicationMenu(options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(options)));
}
