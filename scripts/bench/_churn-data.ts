/**
 * The churn model's real training data on the demo branch, for the forest benchmark: features as of
 * F = T − 3 months (the analytics core's computeFeatures) and the labels of (F, T] (churn/labels.ts), exactly
 * what `churn train` learns from. Also times scoring with `churn.score` through an EngineHost, as the app
 * runs it.
 */
import type { ChurnScoreSummary, ModelCard } from '../../shared/analytics';
import { churnLabels } from '../../electron/engine/analytics/churn/labels';
import { churnPeriod, dataAsOf } from '../../electron/engine/analytics/churn/period';
import { featureMatrix } from '../../electron/engine/analytics/churn/training-set';
import { computeFeatures } from '../../electron/engine/analytics/features/index';
import type { ColumnMatrix } from '../../electron/engine/analytics/forest/index';
import { openWorkspace } from '../../electron/engine/db/workspace';
import { EngineHost } from '../../electron/engine/host';
import { readSettings } from '../../electron/engine/settings-store';
import { FEATURE_KEYS } from '../../shared/analytics';

export interface ChurnData {
  X: ColumnMatrix;
  y: Float64Array;
  featureNames: string[];
  featuresAsOf: string;
  labelTo: string;
  customers: number;
  seconds: { labels: number; features: number };
}

const since = (t: number) => Math.round(performance.now() - t) / 1000;

export function demoChurnData(path: string, horizonMonths = 3): ChurnData {
  const db = openWorkspace(path);
  try {
    const period = churnPeriod(dataAsOf(db), horizonMonths);
    let t = performance.now();
    const labels = churnLabels(db, period, readSettings(db));
    const labelSeconds = since(t);
    t = performance.now();
    const table = computeFeatures(db, period.featuresAsOf, { frequencyMonths: readSettings(db).rfm.frequencyMonths });
    const featureSeconds = since(t);
    const { X, kept } = featureMatrix(table, labels.customerIds);
    return {
      X,
      y: Float64Array.from(kept, (i) => labels.y[i]!),
      featureNames: [...FEATURE_KEYS],
      featuresAsOf: period.featuresAsOf,
      labelTo: period.labelTo,
      customers: labels.counts.customers,
      seconds: { labels: labelSeconds, features: featureSeconds },
    };
  } finally {
    db.close();
  }
}

export interface ChurnScoringBench {
  analysisSeconds: number | null;
  card: Pick<ModelCard, 'modelId' | 'metrics' | 'samples' | 'trainSeconds'>;
  /** Wall seconds of each churn.score job, as the caller waits for it. */
  scoreWallSeconds: number[];
  summary: ChurnScoreSummary;
}

/**
 * Trains a churn model (200 trees, no out-of-time check) and scores every analysed customer, `runs` times.
 * A customer analysis is run first when the workspace has none; churn models and runs of earlier
 * benchmark runs are removed so that the cached file does not grow.
 */
export async function benchChurnScoring(path: string, runs = 2): Promise<ChurnScoringBench> {
  const db = openWorkspace(path);
  let hasAnalysis: boolean;
  try {
    db.transaction(() => {
      db.prepare("DELETE FROM models WHERE kind = 'churn_forest'").run();
      db.prepare("DELETE FROM analysis_runs WHERE kind IN ('churn_training', 'churn_score')").run();
      db.prepare('UPDATE customer_scores SET churn_prob = NULL, churn_band = NULL, churn_drivers_json = NULL WHERE churn_prob IS NOT NULL').run();
    })();
    hasAnalysis = db.prepare("SELECT 1 FROM analysis_runs r WHERE r.status = 'succeeded' AND EXISTS (SELECT 1 FROM customer_features f WHERE f.run_id = r.run_id)").get() !== undefined;
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  const host = new EngineHost({ log: () => {} });
  try {
    await host.call('workspace.open', { path });
    let analysisSeconds: number | null = null;
    if (!hasAnalysis) {
      const t = performance.now();
      await host.runJob('analysis.run', {});
      analysisSeconds = since(t);
    }
    const card = await host.runJob('churn.train', { trees: 200, laterPeriod: false });
    const scoreWallSeconds: number[] = [];
    let summary: ChurnScoreSummary | null = null;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      summary = await host.runJob('churn.score', { modelId: card.modelId });
      scoreWallSeconds.push(since(t));
    }
    return { analysisSeconds, card: { modelId: card.modelId, metrics: card.metrics, samples: card.samples, trainSeconds: card.trainSeconds }, scoreWallSeconds, summary: summary! };
  } finally {
    await host.close();
  }
}
