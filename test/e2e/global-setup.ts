/** Builds the renderer once with Vite (vite.config.ts) and bundles the bridge init script for the e2e walk. */
import { join } from 'node:path';
import { build } from 'vite';
import { bundleBridge, repoRoot } from './harness';

export default async function setup(): Promise<void> {
  await build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  await bundleBridge();
}
