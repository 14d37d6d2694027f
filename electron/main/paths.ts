/**
 * Where the main process finds its files. Everything is read lazily from `app`, so importing this module
 * has no effect (tests import it with electron mocked).
 *
 * Layout, the same in the repository (`electron .`) and in the package (resources/app.asar):
 *   <appPath>/package.json            "main": "dist-electron/main.mjs"
 *   <appPath>/dist-electron/          main.mjs, preload.cjs, engine-worker.mjs, tree-worker.js
 *   <appPath>/dist/renderer/          the Vite build, served as app://workbench/
 *   <appPath>/.cache/electron-native/ better-sqlite3 built for Electron's ABI (development only)
 */
import { join } from 'node:path';
import { app } from 'electron';

export function appRoot(): string {
  return app.getAppPath();
}

export function rendererDir(): string {
  return join(appRoot(), 'dist', 'renderer');
}

export function preloadPath(): string {
  return join(appRoot(), 'dist-electron', 'preload.cjs');
}

/** This computer's security policy (security-services.ts). */
export function securityPolicyFile(): string {
  return join(app.getPath('userData'), 'security-policy.json');
}

export function recentWorkspacesFile(): string {
  return join(app.getPath('userData'), 'recent-workspaces.json');
}

/**
 * The better-sqlite3 addon scripts/electron-native.mjs builds for this Electron, kept out of node_modules
 * so that node_modules keeps its Node build for the CLI and the tests. Keep in step with
 * `nativeOutputDir` in scripts/electron-native.mjs.
 */
export function electronNativeBindingPath(
  root: string,
  electronVersion: string,
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  return join(root, '.cache', 'electron-native', `better-sqlite3-${electronVersion}-${platform}-${arch}`, 'build', 'Release', 'better_sqlite3.node');
}
