/**
 * A 2,000-customer demo branch put through the demo analysis (customer analysis, churn model, churn
 * scores), for the report tests; one per test file, in a temporary folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineHost } from '../../../../electron/engine/host';
import { DATASETS } from '../../../support/temp';

export const DEMO_CUSTOMERS = 2_000;

export async function createAnalysedDemo(dir: string, name = 'demo.bpw'): Promise<string> {
  const path = join(dir, name);
  const host = new EngineHost({ log: () => {} });
  try {
    await host.runJob('demo.create', { path, customers: DEMO_CUSTOMERS, analyze: true });
  } finally {
    await host.close();
  }
  return path;
}

/**
 * The public data sets: beside the repository, or beside its parent folder when the repository is a git
 * worktree one level further down.
 */
export function datasetsDir(): string {
  const beside = fileURLToPath(DATASETS);
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL('../../../shared/datasets/', DATASETS));
}
