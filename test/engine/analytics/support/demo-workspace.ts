/** A generated demo branch in a temporary folder, opened for direct engine calls. */
import { join } from 'node:path';
import { EngineHost } from '../../../../electron/engine/host';
import { openWorkspace, type Db } from '../../../../electron/engine/db/workspace';

export async function createDemo(dir: string, customers = 2_000, name = 'demo.bpw'): Promise<string> {
  const path = join(dir, name);
  const host = new EngineHost({ log: () => {} });
  try {
    await host.runJob('demo.create', { path, customers, txPerYear: 40, analyze: false });
  } finally {
    await host.close();
  }
  return path;
}

export function openDemo(path: string): Db {
  return openWorkspace(path);
}
