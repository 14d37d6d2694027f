/**
 * One analysed demo branch for every end-to-end file: global-setup builds it once per run (2,000 customers,
 * imported and put through every step of electron/engine/demo/demo-analysis.ts), and each walk opens a
 * copy of its own, so no walk depends on what another one clicked.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EngineHost } from '../../electron/engine/host';
import { tmpRoot } from './harness';

export const ANALYSED_DEMO = join(tmpRoot, 'fixtures', 'demo-analysed.bpw');
export const ANALYSED_DEMO_CUSTOMERS = 2_000;

export async function buildAnalysedDemo(): Promise<void> {
  mkdirSync(join(tmpRoot, 'fixtures'), { recursive: true });
  const host = new EngineHost();
  try {
    await host.runJob('demo.create', { path: ANALYSED_DEMO, customers: ANALYSED_DEMO_CUSTOMERS, overwrite: true });
  } finally {
    await host.close();
  }
}

/** A fresh copy of the analysed demo at `dir/name`, for a walk to open through the open dialog. */
export function copyAnalysedDemo(dir: string, name = '示范支行.bpw'): string {
  if (!existsSync(ANALYSED_DEMO)) throw new Error(`missing ${ANALYSED_DEMO}: global-setup builds it`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  copyFileSync(ANALYSED_DEMO, path);
  return path;
}
