/**
 * A customer analysis run (issue #4): features as of a date, RFM, value tiers, lifecycle stages and the
 * system tags, stamped with one run_id.
 *
 * The run is recorded in analysis_runs from the start (status 'running', params_json = { asOf, settings }:
 * the full settings used, so the run can be reproduced). Everything is computed in memory first; the rows
 * are then written in one transaction together with the tags and the run's final status. So:
 * - a cancelled run leaves no rows and no run (the transaction rolls back and the run row is deleted);
 * - a failed run leaves no rows and is kept with status 'failed' and the error in metrics_json;
 * - the screens, which read the latest succeeded run with rows (customers/latest-runs.ts), never see half
 *   a run.
 */
import { LIFECYCLE_STAGES, RFM_CLASSES, TIER_CODES, type AnalysisSummary } from '../../../shared/analytics';
import type { ParsedRequestOf } from '../../../shared/api';
import type { Settings } from '../../../shared/settings';
import { appendAudit } from '../audit';
import type { JobContext } from '../context';
import type { Db } from '../db/workspace';
import { CancelledError } from '../errors';
import { readSettings } from '../settings-store';
import { resolveAsOf } from './as-of';
import { CUSTOMER_ANALYSIS_KIND } from './run-kinds';
import { computeTags } from './tags/compute-tags';
import { computeFeatureResultParallel, writeFeatures, type FeatureTable, type ScoreInputs } from './features';
import { CUSTOMER_ANALYSIS_PHASES } from './run-kinds';
import { assertTierThresholds, computeLifecycle, computeRfm, computeTiers, writeScores, type CustomerScores } from './scores';

export { CUSTOMER_ANALYSIS_KIND } from './run-kinds';

const PHASES = CUSTOMER_ANALYSIS_PHASES;

/** What the tags step gets: the run, its as-of date, and everything computed so far, already stored. */
export interface TagRunContext {
  ctx: JobContext;
  db: Db;
  runId: number;
  asOf: string;
  settings: Settings;
  features: FeatureTable;
  /** The measures behind the scores (activity windows, AUM peaks, holdings all closed, sources with data). */
  inputs: ScoreInputs;
  scores: CustomerScores;
}

/**
 * System and user rule tags of the run. They run inside the run's write transaction, after
 * customer_features and customer_scores of run.runId are stored (rule tags read them through the customer
 * catalog of this run), so a cancel or failure rolls the tags back with the rest.
 */
async function computeRunTags(run: TagRunContext): Promise<Record<string, number>> {
  return computeTags(run.db, run.runId, run.asOf, run.ctx);
}

const round3 = (seconds: number) => Math.round(seconds * 1000) / 1000;

function countBy(values: readonly string[], keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

export async function runAnalysis(ctx: JobContext, request: ParsedRequestOf<'analysis.run'>): Promise<AnalysisSummary> {
  const db = ctx.db();
  const settings = readSettings(db);
  assertTierThresholds(settings.tiers);
  const { asOf, month, source } = resolveAsOf(db, request.asOf);
  const started = performance.now();
  const runId = Number(
    db
      .prepare("INSERT INTO analysis_runs (kind, params_json, as_of, status, started_at) VALUES (?, ?, ?, 'running', ?)")
      .run(CUSTOMER_ANALYSIS_KIND, JSON.stringify({ asOf, asOfMonth: month, asOfSource: source, settings }), asOf, new Date().toISOString()).lastInsertRowid,
  );
  const timings: Record<string, number> = {};
  const phase = <T>(key: keyof typeof PHASES, work: () => T): T => {
    ctx.throwIfCancelled();
    ctx.progress(PHASES[key], 0, 1);
    const t = performance.now();
    const result = work();
    timings[key] = round3((performance.now() - t) / 1000);
    ctx.progress(PHASES[key], 1, 1);
    return result;
  };
  let inTransaction = false;

  try {
    ctx.throwIfCancelled();
    ctx.progress(PHASES.features, 0, 1);
    const featuresStarted = performance.now();
    const { table, inputs, timings: passTimings, threads } = await computeFeatureResultParallel(db, asOf, {
      frequencyMonths: settings.rfm.frequencyMonths,
      onProgress: (done, total) => ctx.progress(PHASES.features, done, total),
      throwIfCancelled: () => ctx.throwIfCancelled(),
    });
    timings.features = round3((performance.now() - featuresStarted) / 1000);
    for (const [pass, seconds] of Object.entries(passTimings)) timings[`features.${pass}`] = round3(seconds);
    const rfm = phase('rfm', () => computeRfm(table, inputs, settings, () => ctx.throwIfCancelled()));
    const tiers = phase('tiers', () => computeTiers(table.columns.aum_avg_3m, settings.tiers));
    const lifecycle = phase('lifecycle', () => computeLifecycle(table, inputs, settings.lifecycle));
    const scores: CustomerScores = { rfm, tiers, lifecycle };
    const n = table.customerIds.length;

    ctx.throwIfCancelled();
    db.exec('BEGIN IMMEDIATE');
    inTransaction = true;
    phase('write', () => {
      const hooks = { throwIfCancelled: () => ctx.throwIfCancelled() };
      writeFeatures(db, runId, table, { ...hooks, onProgress: (done) => ctx.progress(PHASES.write, done, 2 * n) });
      writeScores(db, runId, table.customerIds, scores, { ...hooks, onProgress: (done) => ctx.progress(PHASES.write, n + done, 2 * n) });
    });

    ctx.throwIfCancelled();
    ctx.progress(PHASES.tags, 0, 1);
    const t = performance.now();
    const tagCounts = await computeRunTags({ ctx, db, runId, asOf, settings, features: table, inputs, scores });
    timings.tags = round3((performance.now() - t) / 1000);
    ctx.throwIfCancelled();

    timings.total = round3((performance.now() - started) / 1000);
    const counts = {
      rfmClass: countBy(rfm.classes, RFM_CLASSES),
      valueTier: countBy(tiers, TIER_CODES),
      lifecycle: countBy(lifecycle, LIFECYCLE_STAGES),
      tags: tagCounts,
    };
    const metrics = { customers: n, counts, rfmMeans: rfm.means, rfmCuts: rfm.cuts, sources: inputs.available, balanceMonth: inputs.balanceMonth, asOfSource: source, featureThreads: threads };
    db.prepare("UPDATE analysis_runs SET status = 'succeeded', finished_at = ?, metrics_json = ?, timings_json = ? WHERE run_id = ?").run(
      new Date().toISOString(),
      JSON.stringify(metrics),
      JSON.stringify(timings),
      runId,
    );
    appendAudit(db, { action: 'analysis.run', params: { runId, kind: CUSTOMER_ANALYSIS_KIND, asOf, asOfSource: source, seconds: timings.total }, rowCount: n });
    db.exec('COMMIT');
    inTransaction = false;
    return { runId, asOf, customers: n, settings, counts, rfmCuts: rfm.cuts, timings };
  } catch (error) {
    if (inTransaction && db.inTransaction) db.exec('ROLLBACK');
    recordFailure(db, runId, error);
    throw error;
  }
}

/** A cancelled run disappears; a failed one stays, marked failed, with the reason. */
function recordFailure(db: Db, runId: number, error: unknown): void {
  try {
    if (error instanceof CancelledError) {
      db.prepare('DELETE FROM analysis_runs WHERE run_id = ?').run(runId);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    db.prepare("UPDATE analysis_runs SET status = 'failed', finished_at = ?, metrics_json = ? WHERE run_id = ?").run(new Date().toISOString(), JSON.stringify({ error: message }), runId);
  } catch {
    // The workspace itself is failing; the original error is the one worth reporting.
  }
}
