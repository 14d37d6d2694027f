/**
 * Builds the renderer once with Vite (vite.config.ts), bundles the bridge init script, and makes the
 * analysed demo workspace the walks open copies of (demo-fixture.ts).
 */
import { join } from 'node:path';
import { build } from 'vite';
import { buildAnalysedDemo } from './demo-fixture';
import { bundleBridge, repoRoot } from './harness';

export default async function setup(): Promise<void> {
  await build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  await bundleBridge();
  await buildAnalysedDemo();
}
