/**
 * K-means segmentation of the branch's customers (issue #4, DESIGN.md §4): the features the analyst picks,
 * from the latest customer analysis, standardized with log1p on money; k as given, or the best silhouette
 * over 2..10 on a seeded sample of at most 20,000 customers; k-means++ seeded; then profiles (size, means,
 * medians, z-scores, tier mix, distinguishing features), a suggested Chinese name checked against the tier
 * and 沉睡 thresholds, and the profile in words (cluster-facts.ts).
 *
 * The result is stored as a segmentation run (segmentation-run.ts) that saveClusterSegments turns into
 * segments. Cancellation is honoured between the phases (reading, choosing k, clustering, saving); each
 * K-means phase itself runs to its end, a few seconds on 200,000 customers.
 */
import type { ClusterProfile, FeatureKey, SegmentationResult } from '../../../../shared/analytics';
import type { ParsedRequestOf } from '../../../../shared/api';
import { Random } from '../../../../shared/random';
import type { JobContext } from '../../context';
import { latestRuns } from '../../customers/latest-runs';
import { CancelledError, EngineError } from '../../errors';
import type { Db } from '../../db/workspace';
import { readSettings } from '../../settings-store';
import { fitStandardize, segmentCustomers, suggestClusterNames, suggestK, type ClusterProfiles } from '../kmeans';
import { absoluteTerm, clusterFacts, describeCluster } from './cluster-facts';
import { FEATURE_LABELS, featureDescriptor } from './feature-descriptors';
import { loadFeatureMatrix } from './feature-matrix';
import { failSegmentationRun, finishSegmentationRun, startSegmentationRun } from './segmentation-run';

/** DESIGN.md §4: k is suggested over 2..10 on a sample of at most 20,000 customers. */
export const SUGGEST_RANGE = { kMin: 2, kMax: 10 } as const;
export const SAMPLE_SIZE = 20_000;
/** Best of three k-means++ starts: one unlucky start would otherwise merge two real segments now and then. */
const N_INIT = 3;
/** Distinguishing features listed per cluster. */
const TOP_FEATURES = 5;

export const NO_ANALYSIS_MESSAGE = '还没有客户分析结果，无法分群。请先运行客户分析，再做客户分群';

export async function clusterCustomers(ctx: JobContext, request: ParsedRequestOf<'segments.cluster'>): Promise<SegmentationResult> {
  const started = performance.now();
  const db = ctx.db();
  const features = [...new Set(request.features)] as FeatureKey[];
  if (features.length < 2) throw new EngineError('bad_input', '请至少选择 2 个不同的特征');
  const featureRunId = latestRuns(db).featureRunId;
  if (featureRunId === null) throw new EngineError('bad_input', NO_ANALYSIS_MESSAGE);
  const asOf = (db.prepare('SELECT as_of FROM analysis_runs WHERE run_id = ?').pluck().get(featureRunId) as string | null) ?? null;

  const runId = startSegmentationRun(db, { features, k: request.k ?? null, seed: request.seed, featureRunId }, asOf);
  const timings: Record<string, number> = {};
  let phaseStart = performance.now();
  const phaseDone = (name: string) => {
    timings[name] = Math.round(performance.now() - phaseStart) / 1000;
    phaseStart = performance.now();
    ctx.throwIfCancelled();
  };
  try {
    ctx.progress('读取特征', 0, 4);
    const settings = readSettings(db);
    const { customerIds, matrix, imputed } = loadFeatureMatrix(db, featureRunId, features, { recencyCapDays: settings.segments.recencyCapDays });
    phaseDone('load');

    const descriptors = features.map(featureDescriptor);
    const random = new Random(request.seed);
    let k = request.k;
    let silhouetteCurve: SegmentationResult['silhouetteCurve'] = null;
    if (k === undefined) {
      ctx.progress('评估分群数', 1, 4);
      const { standardized } = fitStandardize(matrix, { logColumns: descriptors.map((d) => d.money === true) });
      const suggestion = suggestK(standardized, { ...SUGGEST_RANGE, sampleSize: SAMPLE_SIZE, seed: random.fork('suggest').nextUint32() });
      k = suggestion.bestK;
      silhouetteCurve = suggestion.curve.map((point) => ({ k: point.k, silhouette: point.silhouette }));
      phaseDone('suggest');
    }
    if (k >= matrix.rows) throw new EngineError('bad_input', `客户只有 ${matrix.rows} 位，分群数应小于客户数，请减小分群数`);

    ctx.progress('聚类', 2, 4);
    const segmentation = segmentCustomers(matrix, {
      features: descriptors,
      k,
      seed: random.fork('fit').nextUint32(),
      nInit: N_INIT,
      silhouetteSampleSize: SAMPLE_SIZE,
    });
    phaseDone('kmeans');

    ctx.progress('保存分群结果', 3, 4);
    const featureList = features.map((key) => ({ key, label: FEATURE_LABELS[key] }));
    const facts = clusterFacts(matrix, segmentation.labels, k, tiersOf(db, featureRunId, customerIds));
    const names = suggestClusterNames(
      segmentation.profiles.clusters.map((c) => c.zScores),
      descriptors,
      segmentation.profiles.clusters.map((c) => c.size),
      { termOf: absoluteTerm(features, facts, settings) },
    );
    const clusters = toClusterProfiles(segmentation.profiles, features).map((cluster, c) => ({
      ...cluster,
      name: cluster.size === 0 ? cluster.name : (names[c] as string),
      description: describeCluster(c, segmentation.profiles.clusters[c]!, segmentation.profiles.overallMeans, features, facts),
      medians: Object.fromEntries(features.map((key, f) => [key, facts.medians[c]![f] as number])),
      tierShares: facts.tierShares[c] ?? null,
    }));
    const overallMedians = Object.fromEntries(features.map((key, f) => [key, facts.overallMedians[f] as number]));
    const silhouette = segmentation.silhouette ?? 0;
    const scoreRunId = latestRuns(db).scoreRunId;
    finishSegmentationRun(
      db,
      runId,
      customerIds,
      segmentation.labels,
      { k, silhouette, silhouetteCurve, customers: matrix.rows, imputed, features: featureList, clusters, overallMedians },
      timings,
      scoreRunId,
    );
    ctx.progress('保存分群结果', 4, 4);
    return {
      runId,
      k,
      silhouette,
      features: featureList,
      clusters,
      overallMedians,
      silhouetteCurve,
      seconds: (performance.now() - started) / 1000,
      customers: matrix.rows,
      asOf,
      imputed,
    };
  } catch (error) {
    failSegmentationRun(db, runId, error instanceof CancelledError ? 'cancelled' : 'failed');
    throw error;
  }
}

/** Each row's tier code in the customer analysis the features come from (null when it has no scores). */
function tiersOf(db: Db, runId: number, customerIds: readonly string[]): (string | null)[] | null {
  const rows = db.prepare('SELECT customer_id, value_tier FROM customer_scores WHERE run_id = ?').raw().all(runId) as [string, string | null][];
  if (rows.length === 0) return null;
  const byId = new Map(rows);
  return customerIds.map((id) => byId.get(id) ?? null);
}

/** The engine's profiles in the shape of shared/analytics.ts, keyed by feature. */
export function toClusterProfiles(profiles: ClusterProfiles, features: readonly FeatureKey[]): ClusterProfile[] {
  return profiles.clusters.map((cluster) => {
    const byStrength = features.map((key, f) => ({ key, z: cluster.zScores[f] as number })).sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
    return {
      index: cluster.cluster,
      size: cluster.size,
      share: cluster.share,
      name: cluster.name,
      means: Object.fromEntries(features.map((key, f) => [key, cluster.means[f] as number])),
      zScores: Object.fromEntries(features.map((key, f) => [key, cluster.zScores[f] as number])),
      topFeatures: byStrength.slice(0, TOP_FEATURES).map(({ key, z }) => ({ feature: key, label: FEATURE_LABELS[key], z })),
    };
  });
}
