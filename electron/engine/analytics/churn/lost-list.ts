/**
 * Customers already lost at the scored analysis's as-of date, listed apart from the warning for win-back
 * (issue #13 §1): 已流失 (lifecycle 流失) and 可挽回 (lifecycle 沉睡), each with the fact that put them there
 * and what a manager can do about it. Ordered by the 12-month average AUM, highest first (what the branch
 * stands to win back), and paged by key on (that figure, customer_id). Names are masked unless the
 * workspace turned masking off.
 *
 * The rows come off the partial index customer_scores_lost (a run's lost customers only), so a page costs
 * the lost customers of one run, not the whole run.
 */
import type { ParsedRequestOf } from '../../../../shared/api';
import type { ValueTier } from '../../../../shared/analytics';
import { LOST_GROUP_OF_STAGE, LOST_STAGES, type LostGroup, type LostNote, type LostRow, type LostStage } from '../../../../shared/churn';
import { maskValue } from '../../../../shared/masking';
import type { Db } from '../../db/workspace';
import { readSettings } from '../../settings-store';
import { formatMoney } from './reasons';
import { LOST_STAGES_SQL } from './population';
import { latestScoredRun } from './scored-run';

type LostPage = { rows: LostRow[]; next: { value: number | null; id: string } | null; total: number };

const STAGE_OF_GROUP: Readonly<Record<LostGroup, LostStage>> = { gone: 'churned', recoverable: 'dormant' };

interface LostRaw {
  customer_id: string;
  name: string | null;
  stage: LostStage;
  value_tier: string | null;
  community_name: string | null;
  manager_name: string | null;
  aum_latest: number | null;
  aum_avg_3m: number | null;
  aum_avg_12m: number | null;
  days: number | null;
  product_count: number | null;
  /** The sort key: the 12-month average, −1 when unknown (so unknowns come last). */
  sort_value: number;
}

const SELECT = `SELECT s.customer_id, c.name, s.lifecycle_stage AS stage, s.value_tier, cm.name AS community_name, m.name AS manager_name,
    f.aum_latest, f.aum_avg_3m, f.aum_avg_12m, f.days_since_last_active_txn AS days, f.product_count,
    coalesce(f.aum_avg_12m, -1) AS sort_value
  FROM customer_scores s INDEXED BY customer_scores_lost
  JOIN customers c ON c.customer_id = s.customer_id
  LEFT JOIN customer_features f ON f.run_id = s.run_id AND f.customer_id = s.customer_id
  LEFT JOIN communities cm ON cm.community_id = c.community_id
  LEFT JOIN managers m ON m.manager_id = c.manager_id`;

export function lostList(db: Db, request: ParsedRequestOf<'churn.lostList'>): LostPage {
  const scored = latestScoredRun(db);
  if (!scored) return { rows: [], next: null, total: 0 };
  const stages: readonly LostStage[] = request.group ? [STAGE_OF_GROUP[request.group]] : LOST_STAGES;
  const where = [`s.run_id = ?`, `s.lifecycle_stage IN ${LOST_STAGES_SQL}`, `s.lifecycle_stage IN (SELECT value FROM json_each(?))`];
  const params: (string | number)[] = [scored.analysisRunId, JSON.stringify(stages)];
  if (request.after) {
    where.push('(coalesce(f.aum_avg_12m, -1), s.customer_id) < (?, ?)');
    params.push(request.after.value ?? -1, request.after.id);
  }
  const raw = db.prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY sort_value DESC, s.customer_id DESC LIMIT ?`).all(...params, request.limit + 1) as LostRaw[];
  const total = db
    .prepare(`SELECT count(*) FROM customer_scores s INDEXED BY customer_scores_lost WHERE s.run_id = ? AND s.lifecycle_stage IN ${LOST_STAGES_SQL} AND s.lifecycle_stage IN (SELECT value FROM json_each(?))`)
    .pluck()
    .get(scored.analysisRunId, JSON.stringify(stages)) as number;
  const maskPii = readSettings(db).maskPii;
  const page = raw.slice(0, request.limit);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => toRow(r, maskPii)),
    next: raw.length > request.limit && last ? { value: last.sort_value < 0 ? null : last.sort_value, id: last.customer_id } : null,
    total,
  };
}

function toRow(r: LostRaw, maskPii: boolean): LostRow {
  const { reason, action } = lostReason(r);
  return {
    customer_id: r.customer_id,
    name: maskPii ? maskValue('name', r.name) : r.name,
    stage: r.stage,
    group: LOST_GROUP_OF_STAGE[r.stage],
    value_tier: r.value_tier as ValueTier | null,
    community_name: r.community_name,
    manager_name: r.manager_name,
    aum_avg_3m: r.aum_avg_3m,
    aum_avg_12m: r.aum_avg_12m,
    days_since_last_active_txn: r.days,
    reason,
    action,
  };
}

/** The fact that made the customer lost (the lifecycle rule that fired), and what to do about it. */
export function lostReason(r: Pick<LostRaw, 'stage' | 'aum_latest' | 'aum_avg_3m' | 'aum_avg_12m' | 'days' | 'product_count'>): { reason: string; action: string } {
  if (r.stage === 'churned') {
    if (r.product_count === 0) return { reason: '账户已全部销户', action: '了解销户原因；以开户礼遇或利率优惠邀请回流' };
    const before = r.aum_avg_12m !== null && r.aum_avg_12m > 0 ? `近12个月日均 ${formatMoney(r.aum_avg_12m)}，` : '';
    const now = r.aum_latest !== null ? `最新月仅 ${formatMoney(Math.max(0, r.aum_latest))}` : '最新月已无资产';
    return { reason: `资产已转走（${before}${now}）`, action: '联系了解资金去向；介绍到期续作与优惠利率，争取资金回流' };
  }
  const idle = r.days === null ? '从未有过主动交易' : `${Math.round(r.days)} 天没有主动交易`;
  const assets = r.aum_avg_3m !== null && r.aum_avg_3m >= 1 ? `，账户仍有近3个月日均 ${formatMoney(r.aum_avg_3m)}` : '';
  return { reason: `${idle}${assets}`, action: '唤醒：电话问候，了解不再使用的原因，邀请参加网点活动' };
}

/** The portrait's note for a customer the latest scoring left out as already lost; null otherwise. */
export function lostNote(db: Db, analysisRunId: number, customerId: string): LostNote | null {
  const row = db.prepare(`${SELECT} WHERE s.run_id = ? AND s.lifecycle_stage IN ${LOST_STAGES_SQL} AND s.customer_id = ?`).get(analysisRunId, customerId) as LostRaw | undefined;
  if (!row) return null;
  const { reason, action } = lostReason(row);
  return { lost: true, stage: row.stage, group: LOST_GROUP_OF_STAGE[row.stage], reason, action };
}
