/**
 * A demo branch put through what product matching needs, for the tests of this folder: the customer
 * analysis, then matching trained and scored, through an EngineHost as the app runs them. Churn is left
 * out (matching does not read it), which keeps the fixture quick.
 */
import { join } from 'node:path';
import type { MatchingScoringSummary, MatchingTrainingSummary } from '../../../../shared/matching';
import { EngineHost } from '../../../../electron/engine/host';

export interface MatchedDemo {
  path: string;
  training: MatchingTrainingSummary;
  scoring: MatchingScoringSummary;
}

export async function rawDemo(dir: string, customers: number, name = 'demo.bpw', seed = 20240601): Promise<string> {
  const path = join(dir, name);
  const host = new EngineHost({ log: () => {} });
  try {
    await host.runJob('demo.create', { path, customers, seed, txPerYear: 40, analyze: false });
  } finally {
    await host.close();
  }
  return path;
}

export async function matchedDemo(dir: string, customers = 3_000): Promise<MatchedDemo> {
  const path = await rawDemo(dir, customers);
  const host = new EngineHost({ log: () => {} });
  try {
    await host.call('workspace.open', { path });
    await host.runJob('analysis.run', {});
    // Fewer trees than the default keep the fixture quick; the ranking is as good on this branch.
    const training = await host.runJob('matching.train', { trees: 60 });
    const scoring = await host.runJob('matching.score', {});
    return { path, training, scoring };
  } finally {
    await host.close();
  }
}
