/**
 * What the churn warning report reads (ChurnReportData), from the latest scoring as the churn screens show
 * it (analytics/churn/scored-run.ts): band counts and the AUM at risk (Σ aum_avg_3m of the high band, as
 * churn scoring sums it), the same by tier and by manager, the scoring before it for the change, how often
 * each driver appears among the high-risk customers, and the top of the warning list (analytics/churn/
 * queries.ts riskList, masked as on screen). One file so the churn capability can point it elsewhere.
 */
import type { ChurnBand, RiskRow } from '../../../../shared/analytics';
import { riskList } from '../../analytics/churn/queries';
import { latestScoredRun } from '../../analytics/churn/scored-run';
import { decodeExplanation } from '../../analytics/churn/explanation';
import { TOPIC_LABELS } from '../../analytics/churn/reasons';
import type { Db } from '../../db/workspace';

export interface ChurnBandCount {
  band: ChurnBand;
  customers: number;
  aum: number;
}

export interface ChurnReportData {
  asOf: string | null;
  modelId: number;
  bands: ChurnBandCount[];
  /** High-risk customers and their AUM by value tier code. */
  highByTier: { tier: string; customers: number; aum: number }[];
  highByManager: { name: string; customers: number; aum: number }[];
  /** The previous scoring's high-risk count, when there was one. */
  previousHigh: { asOf: string | null; customers: number } | null;
  /** How many high-risk customers each reason topic (交易活跃度, 资金往来, …) appears for. */
  reasons: { label: string; customers: number }[];
  top: RiskRow[];
}

function bandCounts(db: Db, runId: number): ChurnBandCount[] {
  const rows = db
    .prepare(
      `SELECT s.churn_band AS band, count(*) AS customers, total(f.aum_avg_3m) AS aum
       FROM customer_scores s LEFT JOIN customer_features f ON f.run_id = s.run_id AND f.customer_id = s.customer_id
       WHERE s.run_id = ? AND s.churn_prob IS NOT NULL GROUP BY s.churn_band`,
    )
    .all(runId) as ChurnBandCount[];
  return (['high', 'medium', 'low'] as const).map((band) => rows.find((r) => r.band === band) ?? { band, customers: 0, aum: 0 });
}

function previousScoring(db: Db, currentRunId: number): ChurnReportData['previousHigh'] {
  const rows = db.prepare("SELECT params_json, as_of FROM analysis_runs WHERE kind = 'churn_score' AND status = 'succeeded' ORDER BY run_id DESC LIMIT 20").all() as { params_json: string; as_of: string | null }[];
  for (const row of rows) {
    const params = JSON.parse(row.params_json) as { analysisRunId?: unknown };
    if (typeof params.analysisRunId !== 'number' || params.analysisRunId === currentRunId) continue;
    const n = (db.prepare("SELECT count(*) AS n FROM customer_scores WHERE run_id = ? AND churn_band = 'high' AND churn_prob IS NOT NULL").get(params.analysisRunId) as { n: number }).n;
    return { asOf: row.as_of, customers: n };
  }
  return null;
}

export function loadChurnReportData(db: Db, topN: number): ChurnReportData | null {
  const scored = latestScoredRun(db);
  if (!scored) return null;
  const runId = scored.analysisRunId;
  const highByTier = db
    .prepare(
      `SELECT coalesce(s.value_tier, '') AS tier, count(*) AS customers, total(f.aum_avg_3m) AS aum
       FROM customer_scores s LEFT JOIN customer_features f ON f.run_id = s.run_id AND f.customer_id = s.customer_id
       WHERE s.run_id = ? AND s.churn_band = 'high' AND s.churn_prob IS NOT NULL GROUP BY 1`,
    )
    .all(runId) as ChurnReportData['highByTier'];
  const highByManager = db
    .prepare(
      `SELECT coalesce(m.name, '未分配') AS name, count(*) AS customers, total(f.aum_avg_3m) AS aum
       FROM customer_scores s
       JOIN customers c ON c.customer_id = s.customer_id
       LEFT JOIN managers m ON m.manager_id = c.manager_id
       LEFT JOIN customer_features f ON f.run_id = s.run_id AND f.customer_id = s.customer_id
       WHERE s.run_id = ? AND s.churn_band = 'high' AND s.churn_prob IS NOT NULL
       GROUP BY 1 ORDER BY customers DESC, aum DESC`,
    )
    .all(runId) as ChurnReportData['highByManager'];
  const reasons = new Map<string, number>();
  const drivers = db.prepare("SELECT churn_drivers_json FROM customer_scores WHERE run_id = ? AND churn_band = 'high' AND churn_prob IS NOT NULL").pluck().iterate(runId) as IterableIterator<string | null>;
  for (const json of drivers) {
    for (const reason of decodeExplanation(json)?.reasons ?? []) {
      const label = TOPIC_LABELS[reason.topic];
      reasons.set(label, (reasons.get(label) ?? 0) + 1);
    }
  }
  const top = riskList(db, { sort: { field: 'churn_prob', direction: 'desc' }, limit: topN }).rows;
  return {
    asOf: scored.asOf,
    modelId: scored.modelId,
    bands: bandCounts(db, runId),
    highByTier,
    highByManager,
    previousHigh: previousScoring(db, runId),
    reasons: [...reasons.entries()].map(([label, customers]) => ({ label, customers })).sort((a, b) => b.customers - a.customers),
    top,
  };
}
