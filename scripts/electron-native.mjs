#!/usr/bin/env node
/**
 * Produces better-sqlite3's native addon for Electron's ABI, WITHOUT touching node_modules.
 *
 * One install serves two runtimes: plain Node (CLI, tests, benchmarks) loads the addon npm built in
 * node_modules/better-sqlite3; Electron, whose ABI differs, loads a copy built here. The engine picks the
 * copy through better-sqlite3's `nativeBinding` option, whose path the main process passes in env
 * BPW_SQLITE_BINDING (electron/engine/db/native-binding.ts, electron/main/engine.ts).
 *
 * Steps:
 * 1. copy node_modules/better-sqlite3 (sources, deps/, binding.gyp; not its build/) to
 *    .cache/electron-native/better-sqlite3-<electron>-<platform>-<arch>/;
 * 2. in that copy, download the prebuilt Electron binary with prebuild-install
 *    (--runtime electron --target <electron> --arch <arch>);
 * 3. failing that, compile it: node-gyp rebuild --release --runtime=electron --target=<electron>
 *    --dist-url=https://electronjs.org/headers (needs a C++ tool chain);
 * 4. record what was built in bpw-native.json; later runs skip all of this while it matches.
 *
 * Output: .cache/electron-native/better-sqlite3-<electron>-<platform>-<arch>/build/Release/better_sqlite3.node
 * (the directory name is mirrored by electronNativeBindingPath in electron/main/paths.ts).
 *
 * The architecture is the Electron binary's own (asked from the binary itself, which matters on Apple
 * silicon where Node may run under Rosetta), else --arch, else Node's.
 *
 * Usage: node scripts/electron-native.mjs [--arch x64|arm64|…] [--force]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const requireFromRoot = createRequire(join(ROOT, 'package.json'));
const MARKER = 'bpw-native.json';

function say(message) {
  console.log(`[electron-native] ${message}`);
}

export function electronVersion() {
  return JSON.parse(readFileSync(requireFromRoot.resolve('electron/package.json'), 'utf8')).version;
}

function betterSqliteDir() {
  return dirname(requireFromRoot.resolve('better-sqlite3-multiple-ciphers/package.json'));
}

/** Mirrors electronNativeBindingPath in electron/main/paths.ts. */
export function nativeOutputDir(version, platform = process.platform, arch = process.arch) {
  return join(ROOT, '.cache', 'electron-native', `better-sqlite3-${version}-${platform}-${arch}`);
}

export function nativeBindingFile(outDir) {
  return join(outDir, 'build', 'Release', 'better_sqlite3.node');
}

/**
 * npm passes its config to scripts as npm_config_* variables. Some of them would silently retarget the
 * native build (nodedir = Node's headers, target/runtime/arch/disturl, build_from_source), so the tools
 * run here get an environment without them; our command-line flags say what to build.
 */
export function cleanBuildEnv(env = process.env) {
  const drop = /^npm_config_(nodedir|target|target_arch|arch|runtime|disturl|dist_url|build_from_source|platform|libc)$/i;
  const out = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || drop.test(key)) continue;
    out[key] = value;
  }
  delete out.ELECTRON_RUN_AS_NODE;
  return out;
}

/** Asks the Electron binary for its architecture; null when it cannot run (e.g. not downloaded). */
function electronBinaryArch() {
  let binary;
  try {
    binary = requireFromRoot('electron');
  } catch {
    return null;
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return null;
  const result = spawnSync(binary, ['-p', 'process.arch'], {
    env: { ...cleanBuildEnv(), ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 30_000,
    shell: false,
  });
  const arch = result.status === 0 ? result.stdout.trim() : '';
  return /^[a-z0-9_]+$/.test(arch) ? arch : null;
}

function readMarker(outDir) {
  try {
    return JSON.parse(readFileSync(join(outDir, MARKER), 'utf8'));
  } catch {
    return null;
  }
}

function copySources(outDir) {
  const source = betterSqliteDir();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  cpSync(source, outDir, {
    recursive: true,
    // The Node build stays behind: the copy must never be mistaken for an Electron build.
    filter: (path) => {
      const rel = relative(source, path).split(/[\\/]/);
      return !(rel[0] === 'build' || rel[0] === 'node_modules');
    },
  });
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: cleanBuildEnv(), shell: false });
  if (result.error) say(`无法运行 ${args[0] ?? command}：${result.error.message}`);
  return result.status === 0;
}

function prebuildInstallBin() {
  try {
    return createRequire(join(betterSqliteDir(), 'package.json')).resolve('prebuild-install/bin.js');
  } catch {
    return null;
  }
}

/** node-gyp from node_modules, else the copy npm ships with Node, else npm's own hint. */
function nodeGypBin() {
  const candidates = [];
  try {
    candidates.push(requireFromRoot.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  const nodeDir = dirname(process.execPath);
  candidates.push(join(nodeDir, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')); // Windows
  candidates.push(join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')); // macOS, Linux
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  return candidates.find((file) => existsSync(file)) ?? null;
}

/**
 * Makes sure the Electron build exists; returns its path. Throws with a Chinese explanation when it
 * cannot be produced.
 */
export function ensureElectronNative({ arch: requestedArch, force = false } = {}) {
  const version = electronVersion();
  const arch = requestedArch ?? electronBinaryArch() ?? process.arch;
  const platform = process.platform;
  const betterSqliteVersion = JSON.parse(readFileSync(join(betterSqliteDir(), 'package.json'), 'utf8')).version;
  const outDir = nativeOutputDir(version, platform, arch);
  const binding = nativeBindingFile(outDir);
  const wanted = { electron: version, platform, arch, betterSqlite3: betterSqliteVersion };

  const marker = readMarker(outDir);
  if (
    !force &&
    existsSync(binding) &&
    marker &&
    marker.electron === wanted.electron &&
    marker.platform === wanted.platform &&
    marker.arch === wanted.arch &&
    marker.betterSqlite3 === wanted.betterSqlite3
  ) {
    say(`已就绪：Electron ${version}（${platform}-${arch}）版 better-sqlite3 ${betterSqliteVersion}，跳过构建`);
    return binding;
  }

  say(`准备为 Electron ${version}（${platform}-${arch}）构建 better-sqlite3 ${betterSqliteVersion}，不改动 node_modules`);
  say(`复制源码到 ${relative(ROOT, outDir)}`);
  copySources(outDir);

  let method = null;
  const prebuild = prebuildInstallBin();
  if (prebuild) {
    say('尝试下载预编译的 Electron 版本（prebuild-install）…');
    if (run(process.execPath, [prebuild, '--runtime', 'electron', '--target', version, '--arch', arch, '--platform', platform, '--verbose'], outDir) && existsSync(binding)) {
      method = 'prebuild-install';
    } else {
      say('预编译版本下载失败，改为本机编译。');
    }
  } else {
    say('没有找到 prebuild-install，改为本机编译。');
  }

  if (!method) {
    const gyp = nodeGypBin();
    if (!gyp) {
      throw new Error('没有找到 node-gyp，无法编译 better-sqlite3。请安装 Node.js 自带的 npm，或运行 npm install 后重试。');
    }
    say('用 node-gyp 编译（需要下载 Electron 头文件，并需要 C++ 编译工具）…');
    const args = [gyp, 'rebuild', '--release', '--runtime=electron', `--target=${version}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'];
    if (run(process.execPath, args, outDir) && existsSync(binding)) method = 'node-gyp';
  }

  if (!method) {
    throw new Error(
      [
        `无法为 Electron ${version} 准备 better-sqlite3。`,
        '· 预编译版本从 GitHub 下载，本机编译需要从 electronjs.org 下载头文件：请检查网络或代理设置；',
        '· 本机编译还需要 C++ 编译工具（Windows: Visual Studio 生成工具“使用 C++ 的桌面开发”；macOS: xcode-select --install；Linux: build-essential 与 python3）。',
        '解决后重新运行：node scripts/electron-native.mjs',
      ].join('\n'),
    );
  }

  writeFileSync(join(outDir, MARKER), `${JSON.stringify({ ...wanted, method, builtAt: new Date().toISOString() }, null, 2)}\n`);
  say(`完成（${method}）：${relative(ROOT, binding)}`);
  return binding;
}

function parseArgs(argv) {
  const options = { force: argv.includes('--force') };
  const at = argv.indexOf('--arch');
  if (at >= 0 && argv[at + 1]) options.arch = argv[at + 1];
  return options;
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
  try {
    ensureElectronNative(parseArgs(process.argv.slice(2)));
  } catch (error) {
    console.error(`[electron-native] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
