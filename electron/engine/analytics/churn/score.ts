/**
 * Scores the population of the latest customer analysis with a churn model: every customer with features
 * who is not already 流失 or 沉睡 in that run (population.ts), the population the model was trained for.
 * Each gets the probability, the band (流失风险 高/中/低 by settings.churn.highBand and mediumBand), the
 * expected loss (probability × 3-month average AUM) and the reasons, written into that run's
 * customer_scores rows in one transaction, plus a 'churn_score' run that records which model scored which
 * analysis, how many customers it scored and how many it left out as already lost. Customers already lost
 * keep no churn figures at all, whatever an earlier scoring wrote.
 *
 * The probability is bias + Σ contributions (tree-path attribution equals the forest's prediction), so one
 * pass over the trees gives both the score and its explanation (score-rows.ts). Customers are scored in
 * batches on both cores (score-parallel.ts), with progress and cancellation between batches; nothing is
 * written until every batch is done. Afterwards the 流失风险 tag of the run follows the new bands.
 */
import type { ChurnBand, ChurnScoreSummary, FeatureKey } from '../../../../shared/analytics';
import type { ParsedRequestOf } from '../../../../shared/api';
import type { JobContext } from '../../context';
import { CancelledError, EngineError } from '../../errors';
import { readSettings } from '../../settings-store';
import { loadChurnModel } from './model-store';
import { countLost } from './population';
import { countPopulation, latestFeatureRun, readRunFeatures, type AnalysisRunRef } from './run-features';
import { ScoringPool } from './score-parallel';
import { BAND_CODES, type ScoredBatch, type ScoringSetup } from './score-rows';
import { refreshChurnRiskTag } from '../tags/churn-risk-tag';

/** Both cores of the analyst's machine. */
export const SCORE_THREADS = 2;

export async function scoreChurn(ctx: JobContext, request: ParsedRequestOf<'churn.score'>): Promise<ChurnScoreSummary> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const db = ctx.db();
  const settings = readSettings(db);
  const model = loadChurnModel(db, request.modelId);
  const run = latestFeatureRun(db);

  const setup: ScoringSetup = {
    modelId: model.modelId,
    keys: model.featureKeys,
    highBand: settings.churn.highBand,
    mediumBand: settings.churn.mediumBand,
    minReasonContribution: settings.churn.minReasonContribution,
  };
  // The scoring threads start, and load the forest, while this one reads the features.
  const pool = new ScoringPool(model.forest, model.forestJson, setup, countPopulation(db, run.runId), SCORE_THREADS);
  try {
    return await scoreWith(ctx, pool, run, model.featureKeys, setup, { started, startedAt });
  } finally {
    await pool.close();
  }
}

async function scoreWith(
  ctx: JobContext,
  pool: ScoringPool,
  run: AnalysisRunRef,
  keys: readonly FeatureKey[],
  setup: ScoringSetup,
  clock: { started: number; startedAt: string },
): Promise<ChurnScoreSummary> {
  const db = ctx.db();
  const timings: Record<string, number> = {};
  let t = performance.now();
  ctx.progress('读取客户特征', 0, 1);
  const features = readRunFeatures(db, run.runId, keys);
  const ids = features.customerIds;
  const excluded = countLost(db, run.runId);
  if (ids.length === 0) {
    throw new EngineError(
      'not_found',
      excluded.churned + excluded.dormant > 0 ? '最新的客户分析中所有客户均已流失或沉睡，没有需要预警的客户。请在“已流失客户”中查看挽回名单' : '最新的客户分析没有客户特征，请重新运行客户分析后再打分',
    );
  }
  timings.read = lap(t);

  const counts: Record<ChurnBand, number> = { high: 0, medium: 0, low: 0 };
  let aumAtRisk = 0;
  let expectedLoss = 0;
  // The analysis wrote a scores row for each customer it has features for; a missing one is added rather
  // than the score lost.
  const update = db.prepare('UPDATE customer_scores SET churn_prob = ?, churn_band = ?, churn_drivers_json = ?, churn_expected_loss = ? WHERE run_id = ? AND customer_id = ?');
  const insert = db.prepare('INSERT INTO customer_scores (run_id, customer_id, churn_prob, churn_band, churn_drivers_json, churn_expected_loss) VALUES (?, ?, ?, ?, ?, ?)');
  const write = (from: number, batch: ScoredBatch) => {
    for (let i = 0; i < batch.json.length; i++) {
      const r = from + i;
      const band = BAND_CODES[batch.band[i]!]!;
      const p = batch.probability[i]!;
      const aum = features.aumAvg3m[r]!;
      const loss = Number.isFinite(aum) ? Math.round(p * aum * 100) / 100 : null;
      if (update.run(p, band, batch.json[i], loss, run.runId, ids[r]).changes === 0) insert.run(run.runId, ids[r], p, band, batch.json[i], loss);
      counts[band]++;
      if (loss !== null) expectedLoss += loss;
      if (band === 'high' && Number.isFinite(aum)) aumAtRisk += aum;
    }
  };

  // One write transaction around scoring: each batch is written as it is scored (see score-parallel.ts),
  // and a cancellation or failure rolls every row back. Jobs run one at a time on this connection, so
  // nothing else joins the transaction while scoring awaits its worker.
  t = performance.now();
  db.exec('BEGIN IMMEDIATE');
  try {
    // Whatever an earlier scoring of this run wrote goes: a customer now outside the population (already
    // lost, or dropped from the features) must not keep that score.
    db.prepare(
      'UPDATE customer_scores SET churn_prob = NULL, churn_band = NULL, churn_drivers_json = NULL, churn_expected_loss = NULL WHERE run_id = ? AND churn_prob IS NOT NULL',
    ).run(run.runId);
    await pool.run(features.X, {
      onBatch: write,
      onProgress: (done, total) => ctx.progress('计算流失概率与原因', done, total),
      cancelled: () => ctx.cancelled(),
      onCancel: () => new CancelledError(),
    });
    timings.scoreAndWrite = lap(t);
    refreshChurnRiskTag(db, run.runId);
    const summary = { modelId: setup.modelId, asOf: run.asOf, scored: ids.length, counts, excluded, aumAtRisk: round2(aumAtRisk), expectedLoss: round2(expectedLoss) };
    const params = { modelId: setup.modelId, analysisRunId: run.runId, bands: { high: setup.highBand, medium: setup.mediumBand } };
    const runId = Number(
      db
        .prepare("INSERT INTO analysis_runs (kind, params_json, as_of, status, metrics_json, timings_json, started_at, finished_at) VALUES ('churn_score', ?, ?, 'succeeded', ?, ?, ?, ?)")
        .run(JSON.stringify(params), run.asOf, JSON.stringify({ ...summary, customers: ids.length }), JSON.stringify(timings), clock.startedAt, new Date().toISOString())
        .lastInsertRowid,
    );
    db.exec('COMMIT');
    return { runId, ...summary, seconds: lap(clock.started) };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

const lap = (since: number) => Math.round(performance.now() - since) / 1000;
const round2 = (value: number) => Math.round(value * 100) / 100;
