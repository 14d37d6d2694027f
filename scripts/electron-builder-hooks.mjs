/**
 * electron-builder hooks (electron-builder.yml: beforeBuild, afterPack) that keep `npm run dist` from
 * breaking the Node side of the install.
 *
 * With npmRebuild electron-builder runs @electron/rebuild IN PLACE on node_modules, so after packaging,
 * node_modules/better-sqlite3 would hold the Electron build and the CLI, the tests and the benchmarks
 * (plain Node) would fail with a NODE_MODULE_VERSION error. So:
 * - beforeBuild saves the Node build of the addon (only if it really loads in this Node) and returns true,
 *   which tells electron-builder to go on with its rebuild (returning nothing would skip it);
 * - afterPack, once the Electron build has been copied into the package, puts the Node build back and
 *   removes @electron/rebuild's `.forge-meta` stamp, so the next `npm run dist` rebuilds again instead of
 *   trusting the stamp and packaging a Node build.
 * If a packaging run dies in between, `npm rebuild better-sqlite3` restores the Node build.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RELEASE_DIR = join(ROOT, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release');
const ADDON = join(RELEASE_DIR, 'better_sqlite3.node');
const BACKUP = join(ROOT, '.cache', 'node-native', `better_sqlite3-node-abi${process.versions.modules}.node`);

/** Loads the addon in a child Node: loading it here would lock the file on Windows during the rebuild. */
function loadsInNode(file) {
  const result = spawnSync(process.execPath, ['-e', `process.dlopen({ exports: {} }, ${JSON.stringify(file)})`], { stdio: 'ignore', shell: false });
  return result.status === 0;
}

export async function beforeBuild() {
  if (existsSync(ADDON) && loadsInNode(ADDON)) {
    mkdirSync(dirname(BACKUP), { recursive: true });
    copyFileSync(ADDON, BACKUP);
    console.log('[dist] 已备份 Node 版 better-sqlite3，打包后自动恢复（若打包中断，请运行 npm rebuild better-sqlite3）');
  }
  return true;
}

export async function afterPack() {
  if (!existsSync(BACKUP)) return;
  copyFileSync(BACKUP, ADDON);
  rmSync(join(RELEASE_DIR, '.forge-meta'), { force: true });
  console.log('[dist] 已恢复 node_modules 中 Node 版 better-sqlite3');
}
