/**
 * Reads of the customer analysis for the tiers and RFM screens: the run list, one run's overview, the
 * balance months, and the tier migration (migration.ts).
 *
 * The overview is one GROUP BY over the run's scores joined to its features (both keyed by run_id,
 * customer_id), at most 4 tiers × 8 classes × 25 R/F cells × 6 stages groups; arquero then rolls those up
 * per tier, class, cell and stage (DESIGN.md §1: SQL aggregates, arquero shapes the small result). AUM
 * figures are sums of the 3-month average AUM, the measure the tiers are cut on.
 */
import * as aq from 'arquero';
import {
  LIFECYCLE_STAGES,
  RFM_CLASSES,
  TIER_CODES,
  type AnalysisOverview,
  type AnalysisRunInfo,
  type LifecycleStage,
  type RfmClass,
  type RfmCuts,
  type TierCode,
} from '../../../shared/analytics';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { CUSTOMER_ANALYSIS_KIND } from './run-kinds';
import { rfmAction } from './scores/rfm-actions';

export { tierMigration } from './migration';

interface RunRow {
  run_id: number;
  kind: string;
  as_of: string | null;
  status: AnalysisRunInfo['status'];
  started_at: string;
  finished_at: string | null;
  params_json: string;
  metrics_json: string | null;
}

const RUN_COLUMNS = 'run_id, kind, as_of, status, started_at, finished_at, params_json, metrics_json';

const parseObject = (json: string | null): Record<string, unknown> | null => {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

function runInfo(row: RunRow): AnalysisRunInfo {
  return {
    runId: row.run_id,
    kind: row.kind,
    asOf: row.as_of,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    params: parseObject(row.params_json) ?? {},
    metrics: parseObject(row.metrics_json),
  };
}

/** Every analysis run, newest first (customer analyses, segmentations, churn scorings alike). */
export function analysisRuns(db: Db): AnalysisRunInfo[] {
  const rows = db.prepare(`SELECT ${RUN_COLUMNS} FROM analysis_runs ORDER BY run_id DESC LIMIT 500`).all() as RunRow[];
  return rows.map(runInfo);
}

/** Months with balances, oldest first: the months the migration screen offers. */
export function balanceMonths(db: Db): string[] {
  return db.prepare('SELECT DISTINCT month FROM balances ORDER BY month').pluck().all() as string[];
}

interface GroupRow {
  value_tier: TierCode | null;
  rfm_class: RfmClass | null;
  rfm_r: number | null;
  rfm_f: number | null;
  lifecycle_stage: LifecycleStage | null;
  customers: number;
  aum: number;
  m_sum: number;
}

const GROUP_SQL = `SELECT s.value_tier, s.rfm_class, s.rfm_r, s.rfm_f, s.lifecycle_stage,
  count(*) AS customers, total(f.aum_avg_3m) AS aum, total(s.rfm_m) AS m_sum
FROM customer_scores s
LEFT JOIN customer_features f ON f.run_id = s.run_id AND f.customer_id = s.customer_id
WHERE s.run_id = ?
GROUP BY s.value_tier, s.rfm_class, s.rfm_r, s.rfm_f, s.lifecycle_stage`;

/**
 * Tiers, RFM classes (with the suggested action), the R×F heat map and lifecycle counts of a customer
 * analysis run: the latest succeeded one by default, null when there is none.
 */
export function analysisOverview(db: Db, runId?: number): AnalysisOverview | null {
  const row = (
    runId === undefined
      ? db.prepare(`SELECT ${RUN_COLUMNS} FROM analysis_runs WHERE kind = ? AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1`).get(CUSTOMER_ANALYSIS_KIND)
      : db.prepare(`SELECT ${RUN_COLUMNS} FROM analysis_runs WHERE run_id = ?`).get(runId)
  ) as RunRow | undefined;
  if (!row) {
    if (runId === undefined) return null;
    throw new EngineError('not_found', `找不到编号为 ${runId} 的分析记录，请从分析记录列表中重新选择`);
  }
  if (row.kind !== CUSTOMER_ANALYSIS_KIND) throw new EngineError('bad_input', `分析记录 #${row.run_id} 不是客户分析，没有分层和 RFM 结果`);
  if (row.status !== 'succeeded') throw new EngineError('bad_input', `分析记录 #${row.run_id} 未成功完成（${row.status}），请重新运行客户分析`);

  const groups = aq.from(db.prepare(GROUP_SQL).all(row.run_id) as GroupRow[]);
  const sums = { customers: (d: GroupRow) => aq.op.sum(d.customers), aum: (d: GroupRow) => aq.op.sum(d.aum) };
  const totalAum = groups.numRows() > 0 ? (groups.rollup(sums).get('aum', 0) as number) : 0;
  const share = (aum: number) => (totalAum > 0 ? aum / totalAum : 0);
  const byKey = <K extends string>(key: keyof GroupRow): Map<K, { customers: number; aum: number }> => {
    const rolled = groups.groupby(key).rollup(sums).objects() as Record<string, unknown>[];
    return new Map(rolled.map((r) => [r[key] as K, { customers: r.customers as number, aum: r.aum as number }]));
  };

  const tiers = byKey<TierCode>('value_tier');
  const classes = byKey<RfmClass>('rfm_class');
  const stages = byKey<LifecycleStage>('lifecycle_stage');
  const cells = groups
    .filter((d: GroupRow) => d.rfm_r !== null && d.rfm_f !== null)
    .groupby('rfm_r', 'rfm_f')
    .rollup({ customers: (d: GroupRow) => aq.op.sum(d.customers), m_sum: (d: GroupRow) => aq.op.sum(d.m_sum) })
    .orderby('rfm_r', 'rfm_f')
    .objects() as { rfm_r: number; rfm_f: number; customers: number; m_sum: number }[];

  const info = runInfo(row);
  return {
    run: info,
    tiers: TIER_CODES.map((tier) => {
      const g = tiers.get(tier) ?? { customers: 0, aum: 0 };
      return { tier, customers: g.customers, aum: g.aum, aumShare: share(g.aum) };
    }),
    rfm: {
      classes: RFM_CLASSES.map((rfmClass) => {
        const g = classes.get(rfmClass) ?? { customers: 0, aum: 0 };
        return { rfmClass, customers: g.customers, aum: g.aum, aumShare: share(g.aum), action: rfmAction(rfmClass) };
      }),
      heatmap: cells.map((c) => ({ r: c.rfm_r, f: c.rfm_f, customers: c.customers, meanM: c.customers > 0 ? c.m_sum / c.customers : 0 })),
      cuts: (info.metrics?.rfmCuts as RfmCuts | undefined) ?? null,
    },
    lifecycle: LIFECYCLE_STAGES.map((stage) => {
      const g = stages.get(stage) ?? { customers: 0, aum: 0 };
      return { stage, customers: g.customers, aum: g.aum };
    }),
  };
}
