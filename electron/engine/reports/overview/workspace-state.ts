/**
 * What the workspace holds and what has been run on it: the data range, the latest run of each analysis
 * and the first-steps checklist of a fresh workspace (导入 → 运行客户分析 → 训练流失模型 → 流失打分 → 产品匹配).
 * "Latest" is the newest succeeded analysis_runs row of the kind: customer_analysis, churn_score and
 * matching (the kind the product-matching runs write).
 */
import type { BranchOverview, ChecklistItem } from '../../../../shared/reports';
import { churnModel } from '../../analytics/churn/queries';
import { CUSTOMER_ANALYSIS_KIND } from '../../analytics/run-kinds';
import type { Db } from '../../db/workspace';

export const MATCHING_RUN_KIND = 'matching';
export const CHURN_SCORE_RUN_KIND = 'churn_score';

interface RunRow {
  run_id: number;
  as_of: string | null;
  finished_at: string | null;
}

function latestRun(db: Db, kind: string): RunRow | null {
  return (db.prepare("SELECT run_id, as_of, finished_at FROM analysis_runs WHERE kind = ? AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1").get(kind) as RunRow | undefined) ?? null;
}

export function dataRange(db: Db): BranchOverview['data'] {
  // Two subqueries: SQLite answers a lone min() or max() from the index, but not both in one SELECT.
  const months = db.prepare('SELECT (SELECT min(month) FROM balances) AS first, (SELECT max(month) FROM balances) AS last').get() as { first: string | null; last: string | null };
  return {
    customers: (db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n,
    firstMonth: months.first,
    lastMonth: months.last,
    imports: (db.prepare("SELECT count(*) AS n FROM import_batches WHERE status = 'committed'").get() as { n: number }).n,
  };
}

export function latestRunsInfo(db: Db): BranchOverview['runs'] {
  const analysis = latestRun(db, CUSTOMER_ANALYSIS_KIND);
  const score = latestRun(db, CHURN_SCORE_RUN_KIND);
  const matching = latestRun(db, MATCHING_RUN_KIND);
  const card = churnModel(db);
  return {
    analysis: analysis && { runId: analysis.run_id, asOf: analysis.as_of, finishedAt: analysis.finished_at },
    churnModel: card && { modelId: card.modelId, createdAt: card.createdAt, rocAuc: card.metrics?.rocAuc ?? null, horizonMonths: card.horizonMonths },
    churnScore: score && { runId: score.run_id, asOf: score.as_of, finishedAt: score.finished_at },
    matching: matching && { runId: matching.run_id, finishedAt: matching.finished_at },
  };
}

const when = (at: string | null | undefined) => (at ? at.slice(0, 16).replace('T', ' ') : '');

export function checklist(data: BranchOverview['data'], runs: BranchOverview['runs']): ChecklistItem[] {
  return [
    {
      step: 'import',
      done: data.customers > 0,
      detail: data.customers > 0 ? `已导入 ${data.customers.toLocaleString('zh-CN')} 位客户${data.lastMonth ? `，资产数据截至 ${data.lastMonth}` : ''}` : '先导入客户、产品持有和月日均资产',
      route: '/import',
    },
    {
      step: 'analysis',
      done: runs.analysis !== null,
      detail: runs.analysis ? `截至 ${runs.analysis.asOf ?? ''}，完成于 ${when(runs.analysis.finishedAt)}` : '计算客户特征、价值分层、RFM 和生命周期',
      route: '/tiers',
    },
    {
      step: 'churnTrain',
      done: runs.churnModel !== null,
      detail: runs.churnModel ? `模型 #${runs.churnModel.modelId}，训练于 ${when(runs.churnModel.createdAt)}` : '用历史数据训练流失预警模型',
      route: '/churn',
    },
    {
      step: 'churnScore',
      done: runs.churnScore !== null,
      detail: runs.churnScore ? `截至 ${runs.churnScore.asOf ?? ''}，完成于 ${when(runs.churnScore.finishedAt)}` : '为每位客户估计流失概率，得到高风险名单',
      route: '/churn',
    },
    {
      step: 'matching',
      done: runs.matching !== null,
      detail: runs.matching ? `完成于 ${when(runs.matching.finishedAt)}` : '为客户匹配适当的产品',
      route: '/products',
    },
  ];
}

/**
 * A digest of everything the overview is computed from: imports, analysis runs, models, settings and
 * campaigns. Cheap (a few indexed maxima and counts), so the overview query can tell a cached snapshot
 * from an outdated one at every call.
 */
export function workspaceStamp(db: Db): string {
  const row = db
    .prepare(
      `SELECT (SELECT coalesce(max(batch_id), 0) FROM import_batches) AS batches,
         (SELECT count(*) FROM analysis_runs WHERE status = 'succeeded') AS runs,
         (SELECT coalesce(max(run_id), 0) FROM analysis_runs) AS run,
         (SELECT coalesce(max(model_id), 0) FROM models) AS model,
         (SELECT coalesce(max(updated_at), '') FROM settings) AS settings,
         (SELECT count(*) FROM segments) AS segments,
         (SELECT count(*) FROM campaigns) AS campaigns,
         (SELECT count(*) FROM campaign_responses) AS responses`,
    )
    .get() as Record<string, string | number>;
  return Object.values(row).join('.');
}
