#!/usr/bin/env node
/**
 * Builds everything the app runs from:
 *
 *   dist/renderer/              the Vue renderer (vite build, config in vite.config.ts)
 *   dist-electron/main.mjs      electron/main/index.ts          ESM, platform node, external electron + better-sqlite3
 *   dist-electron/engine-worker.mjs  electron/engine/worker/engine-worker.ts   ESM, external better-sqlite3
 *   dist-electron/tree-worker.js     electron/engine/analytics/forest/tree-worker.ts  ESM (parallel forest training)
 *   dist-electron/feature-worker.js  electron/engine/analytics/features/feature-worker.ts  ESM (parallel features)
 *   dist-electron/score-worker.js    electron/engine/analytics/churn/score-worker.ts  ESM (parallel churn scoring)
 *   dist-electron/preload.cjs   electron/preload/index.ts       CommonJS, external electron
 *
 * Why this shape:
 * - The EngineHost finds its worker next to its own module: in the bundle, host.ts is inside main.mjs, so
 *   `new URL('./engine-worker.mjs', import.meta.url)` is dist-electron/engine-worker.mjs. Likewise the
 *   forest (inside engine-worker.mjs) starts `./tree-worker.js`, churn scoring `./score-worker.js` and the
 *   feature computation `./feature-worker.js`;
 *   package.json's "type": "module" makes those .js files ES modules.
 * - better-sqlite3 stays external: it is a native addon, loaded from node_modules at run time (under
 *   Electron with the ABI-correct binary, see scripts/electron-native.mjs). Everything else, shared/ code,
 *   zod, arquero, exceljs…, is bundled, so the package needs no other node_modules.
 * - A sandboxed preload cannot be an ES module and can require nothing but `electron`: it is bundled to
 *   CommonJS (.cjs, since the package is "type": "module") with bridge.ts and shared code inlined.
 * - ESM bundles of CommonJS packages need `require`, `__filename` and `__dirname`; a banner defines them.
 *
 * Usage: node scripts/build.mjs [--renderer-only | --electron-only]
 * If renderer/index.html does not exist yet, the renderer step is skipped with a warning.
 */
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist-electron');

const NODE_TARGET = 'node22'; // Electron 40 ships Node 24; node22 syntax is safe for both.
const CHROME_TARGET = 'chrome130'; // Electron 40 ships Chromium 144.

const ESM_BANNER = [
  "import { createRequire as __bpwCreateRequire } from 'node:module';",
  "import { fileURLToPath as __bpwFileURLToPath } from 'node:url';",
  "import { dirname as __bpwDirname } from 'node:path';",
  'const require = __bpwCreateRequire(import.meta.url);',
  'const __filename = __bpwFileURLToPath(import.meta.url);',
  'const __dirname = __bpwDirname(__filename);',
].join('\n');

/** The esbuild options of every Electron-side bundle; exported for tests. */
export function electronBundles() {
  const node = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: NODE_TARGET,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: ESM_BANNER },
    absWorkingDir: ROOT,
  };
  const preload = {
    entryPoints: ['electron/preload/index.ts'],
    outfile: join(OUT, 'preload.cjs'),
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: CHROME_TARGET,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: ['electron'],
    define: { 'process.env.NODE_ENV': '"production"' },
    absWorkingDir: ROOT,
  };
  const bundles = [
    { ...node, entryPoints: ['electron/main/index.ts'], outfile: join(OUT, 'main.mjs'), external: ['electron', 'better-sqlite3-multiple-ciphers'] },
    preload,
    { ...node, entryPoints: ['electron/engine/worker/engine-worker.ts'], outfile: join(OUT, 'engine-worker.mjs'), external: ['electron', 'better-sqlite3-multiple-ciphers'] },
  ];
  if (existsSync(join(ROOT, 'electron/engine/analytics/forest/tree-worker.ts'))) {
    bundles.push({ ...node, entryPoints: ['electron/engine/analytics/forest/tree-worker.ts'], outfile: join(OUT, 'tree-worker.js'), external: ['electron', 'better-sqlite3-multiple-ciphers'] });
  }
  if (existsSync(join(ROOT, 'electron/engine/analytics/features/feature-worker.ts'))) {
    bundles.push({ ...node, entryPoints: ['electron/engine/analytics/features/feature-worker.ts'], outfile: join(OUT, 'feature-worker.js'), external: ['electron', 'better-sqlite3-multiple-ciphers'] });
  }
  if (existsSync(join(ROOT, 'electron/engine/analytics/churn/score-worker.ts'))) {
    bundles.push({ ...node, entryPoints: ['electron/engine/analytics/churn/score-worker.ts'], outfile: join(OUT, 'score-worker.js'), external: ['electron', 'better-sqlite3-multiple-ciphers'] });
  }
  return bundles;
}

export async function buildRenderer() {
  if (!existsSync(join(ROOT, 'renderer', 'index.html'))) {
    console.warn('[build] 警告：renderer/index.html 不存在，跳过界面构建（dist/renderer 不会更新）。');
    return false;
  }
  console.log('[build] 构建界面（vite build → dist/renderer）…');
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  return true;
}

export async function buildElectron() {
  const { build } = await import('esbuild');
  rmSync(OUT, { recursive: true, force: true });
  for (const options of electronBundles()) {
    console.log(`[build] 打包 ${options.entryPoints[0]} → ${relative(ROOT, options.outfile)}`);
    await build(options);
  }
}

export async function buildAll({ renderer = true, electron = true } = {}) {
  if (renderer) await buildRenderer();
  if (electron) await buildElectron();
}

function parseFlags(argv) {
  const rendererOnly = argv.includes('--renderer-only');
  const electronOnly = argv.includes('--electron-only');
  if (rendererOnly && electronOnly) throw new Error('--renderer-only 与 --electron-only 不能同时使用');
  return { renderer: !electronOnly, electron: !rendererOnly };
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
  const started = Date.now();
  buildAll(parseFlags(process.argv.slice(2)))
    .then(() => console.log(`[build] 完成，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`))
    .catch((error) => {
      console.error(`[build] 构建失败：${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
      process.exitCode = 1;
    });
}
