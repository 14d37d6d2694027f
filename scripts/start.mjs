#!/usr/bin/env node
/**
 * `npm start`: build, prepare the Electron build of better-sqlite3, and open the app.
 *
 * 1. check that the Electron binary was downloaded (npm install skips it under
 *    ELECTRON_SKIP_BINARY_DOWNLOAD=1, as on the CI machines); if not, explain in Chinese and exit 1;
 * 2. build the renderer and the Electron bundles (scripts/build.mjs);
 * 3. make sure better-sqlite3 exists for Electron's ABI (scripts/electron-native.mjs), without touching
 *    node_modules' Node build;
 * 4. run Electron on the project folder (package.json "main": dist-electron/main.mjs) with inherited stdio,
 *    passing the addon's path in BPW_SQLITE_BINDING.
 *
 * Portable on Windows, macOS and Linux: paths by path.join, no shell, Node scripts imported in-process.
 */
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const requireFromRoot = createRequire(join(ROOT, 'package.json'));

/** The Electron executable, or null when it was never downloaded. */
export function findElectronBinary() {
  try {
    // node_modules/electron/index.js returns the executable's path (from path.txt) and throws when the
    // binary was not installed.
    const binary = requireFromRoot('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

export const MISSING_ELECTRON_MESSAGE = [
  '无法启动：没有找到 Electron 程序（node_modules/electron/dist 不存在或不完整）。',
  '',
  '原因通常是安装依赖时设置了 ELECTRON_SKIP_BINARY_DOWNLOAD=1（持续集成环境就是这样安装的），',
  '或者下载 Electron 时网络中断。界面和引擎的测试不需要 Electron，但打开桌面应用需要。',
  '',
  '解决办法（需要能访问网络，或已配置 ELECTRON_MIRROR 镜像）：',
  '  1. 确认当前终端没有设置 ELECTRON_SKIP_BINARY_DOWNLOAD；',
  '  2. 运行  node node_modules/electron/install.js  下载 Electron 程序；',
  '     或者删除 node_modules/electron 后重新执行  npm install；',
  '  3. 再次执行  npm start。',
].join('\n');

async function main() {
  const electron = findElectronBinary();
  if (!electron) {
    console.error(MISSING_ELECTRON_MESSAGE);
    return 1;
  }

  const { buildAll } = await import('./build.mjs');
  await buildAll();
  if (!existsSync(join(ROOT, 'dist', 'renderer', 'index.html'))) {
    console.error('无法启动：界面没有构建出来（缺少 dist/renderer/index.html）。请检查 renderer/ 目录和上面的构建输出。');
    return 1;
  }

  const { ensureElectronNative, cleanBuildEnv } = await import('./electron-native.mjs');
  const binding = ensureElectronNative();

  console.log('[start] 启动支行客户画像工作台…');
  const env = { ...cleanBuildEnv(), BPW_SQLITE_BINDING: binding };
  const child = spawn(electron, [ROOT], { cwd: ROOT, stdio: 'inherit', env, shell: false, windowsHide: false });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (!child.killed) child.kill(signal);
    });
  }
  return new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`无法运行 Electron：${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** True when this file is the script Node was started with (symlinks resolved), not an import. */
function isEntryScript() {
  try {
    return Boolean(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryScript()) {
  main()
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error) => {
      console.error(`[start] 启动失败：${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
