/**
 * The build and packaging configuration: electron-builder.yml (validated by electron-builder's own schema),
 * the esbuild bundles of scripts/build.mjs, and the path convention shared by scripts/electron-native.mjs
 * and the main process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const importScript = (name: string) => import(pathToFileURL(join(ROOT, 'scripts', name)).href);

async function loadBuilderConfig(): Promise<Record<string, any>> {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util');
  const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s schema and turns on the required fuses', async () => {
    const config = await loadBuilderConfig();
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.appId).toBe('com.branchportrait.workbench');
    expect(config.productName).toBe('支行客户画像工作台');
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it('targets NSIS on Windows, dmg on macOS and AppImage on Linux', async () => {
    const config = await loadBuilderConfig();
    expect(config.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t: { target: string }) => t.target)).toEqual(['dmg']);
    expect(config.linux.target.map((t: { target: string }) => t.target)).toEqual(['AppImage']);
  });

  it('has no publish or update feed (offline app)', async () => {
    const config = await loadBuilderConfig();
    expect(config.publish).toBeNull();
    expect(JSON.stringify(config)).not.toMatch(/https?:\/\//);
  });

  it('packages the renderer, the Electron bundles and package.json', async () => {
    const config = await loadBuilderConfig();
    const files = JSON.stringify(config.files);
    for (const pattern of ['package.json', 'dist/renderer/**/*', 'dist-electron/**/*']) expect(files).toContain(pattern);
    expect(files).not.toMatch(/"(electron|shared|renderer|test)\/\*\*/);
  });

  it('hooks that keep node_modules’ Node build resolve and say “go on with the rebuild”', async () => {
    const hooks = await importScript('electron-builder-hooks.mjs');
    expect(typeof hooks.beforeBuild).toBe('function');
    expect(typeof hooks.afterPack).toBe('function');
  });
});

describe('scripts/build.mjs', () => {
  it('bundles main and workers as ESM for Node, the preload as CommonJS, with native modules external', async () => {
    const { electronBundles } = await importScript('build.mjs');
    const bundles = electronBundles() as { entryPoints: string[]; outfile: string; format: string; platform: string; external: string[] }[];
    const byEntry = new Map(bundles.map((b) => [b.entryPoints[0], b]));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };

    const main = byEntry.get('electron/main/index.ts')!;
    expect(main).toMatchObject({ format: 'esm', platform: 'node' });
    expect(main.outfile).toBe(join(ROOT, pkg.main));
    expect(main.external).toEqual(expect.arrayContaining(['electron', 'better-sqlite3-multiple-ciphers']));

    // host.ts's defaultWorkerUrl: new URL('./engine-worker.mjs', import.meta.url) next to main.mjs.
    const worker = byEntry.get('electron/engine/worker/engine-worker.ts')!;
    expect(worker).toMatchObject({ format: 'esm', platform: 'node' });
    expect(worker.outfile).toBe(join(ROOT, 'dist-electron', 'engine-worker.mjs'));
    expect(worker.external).toContain('better-sqlite3-multiple-ciphers');

    const preload = byEntry.get('electron/preload/index.ts')!;
    expect(preload).toMatchObject({ format: 'cjs', external: ['electron'] });
    expect(preload.outfile).toBe(join(ROOT, 'dist-electron', 'preload.cjs'));
  });
});

describe('scripts/electron-native.mjs', () => {
  it('writes the addon exactly where the main process looks for it', async () => {
    const native = await importScript('electron-native.mjs');
    const { electronNativeBindingPath } = await import('../../electron/main/paths');
    for (const [platform, arch] of [
      ['win32', 'x64'],
      ['darwin', 'arm64'],
      ['linux', 'x64'],
    ]) {
      expect(native.nativeBindingFile(native.nativeOutputDir('40.8.5', platform, arch))).toBe(electronNativeBindingPath(ROOT, '40.8.5', platform, arch));
    }
    expect(native.electronVersion()).toBe(JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version);
  });

  it('keeps npm settings that would retarget the build out of the tools’ environment', async () => {
    const { cleanBuildEnv } = await importScript('electron-native.mjs');
    const env = cleanBuildEnv({ PATH: '/bin', npm_config_nodedir: '/usr', npm_config_runtime: 'node', npm_config_target: '20.0.0', ELECTRON_RUN_AS_NODE: '1', npm_config_cache: '/c' });
    expect(env).toEqual({ PATH: '/bin', npm_config_cache: '/c' });
  });
});

describe('scripts/start.mjs', () => {
  it('explains a missing Electron binary in Chinese, with the way to fix it', async () => {
    const { MISSING_ELECTRON_MESSAGE } = await importScript('start.mjs');
    expect(MISSING_ELECTRON_MESSAGE).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(MISSING_ELECTRON_MESSAGE).toContain('node node_modules/electron/install.js');
    expect(MISSING_ELECTRON_MESSAGE).toMatch(/无法启动/);
  });
});
