/**
 * Data problems that are business problems (issue #14), reported above the per-table figures:
 *
 * - 风险承受等级缺失: customers without a suitability level may only be offered R1 products, so a high share
 *   blocks the sale of wealth products and funds. Linked to the customer list of exactly those customers.
 * - 流入与余额不符: over the last 12 balance months, the net of a customer's transactions should roughly equal
 *   the change of the customer's monthly average balance. A large gap means the transactions or the
 *   balances are incomplete (or, in a generated demo, do not belong together): salary credits that never
 *   leave the account while the assets stay flat.
 */
import type { QualityFinding } from '../../../shared/api';
import type { QualitySettings } from '../../../shared/import';
import type { Db } from '../db/workspace';
import { addMonthsToMonth, monthEnd } from '../analytics/dates';

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const fmt = (n: number) => n.toLocaleString('zh-CN');

export function qualityFindings(db: Db, settings: QualitySettings, today: string): QualityFinding[] {
  return [riskLevelMissing(db, settings), flowBalanceMismatch(db, settings, today)].filter((f): f is QualityFinding => f !== null);
}

function riskLevelMissing(db: Db, settings: QualitySettings): QualityFinding | null {
  const { total, missing } = db.prepare("SELECT count(*) AS total, count(*) FILTER (WHERE risk_level IS NULL OR risk_level = '') AS missing FROM customers").get() as { total: number; missing: number };
  if (total === 0 || missing === 0) return null;
  const share = missing / total;
  if (share <= settings.riskLevelMissingMax) return null;
  return {
    id: 'risk_level_missing',
    level: 'red',
    title: '风险承受等级缺失',
    detail: `${fmt(missing)} 位客户（${pct(share)}）没有风险承受等级，超过设定的 ${pct(settings.riskLevelMissingMax)}。按适当性要求，未做风险测评的客户只能购买 R1 产品，理财、基金等产品无法向他们销售。请安排客户经理为这些客户补做风险测评。`,
    customers: missing,
    share,
    link: { rule: { field: 'risk_level', op: 'is_null' }, title: '缺少风险承受等级的客户' },
    examples: [],
  };
}

interface FlowRow {
  customer_id: string;
  inflow: number;
  outflow: number;
  aum_start: number;
  aum_end: number;
}

/** Share of the customers checked above which the mismatch is red rather than amber. */
const RED_SHARE = 0.1;
const EXAMPLES = 20;

function flowBalanceMismatch(db: Db, settings: QualitySettings, today: string): QualityFinding | null {
  const latest = (db.prepare('SELECT max(month) AS m FROM balances WHERE month <= ?').get(today.slice(0, 7)) as { m: string | null }).m;
  if (!latest) return null;
  const start = addMonthsToMonth(latest, -12);
  // Out when the direction says so, or (no direction) when the amount is negative; amounts count unsigned.
  const rows = db
    .prepare(
      `WITH flows AS (
         SELECT customer_id,
                sum(CASE WHEN direction = 'out' OR (direction IS NULL AND amount < 0) THEN 0 ELSE abs(amount) END) AS inflow,
                sum(CASE WHEN direction = 'out' OR (direction IS NULL AND amount < 0) THEN abs(amount) ELSE 0 END) AS outflow
         FROM transactions
         WHERE txn_date > ? AND txn_date <= ?
         GROUP BY customer_id)
       SELECT f.customer_id, f.inflow, f.outflow, b0.aum AS aum_start, b1.aum AS aum_end
       FROM flows f
       JOIN balances b0 ON b0.customer_id = f.customer_id AND b0.month = ?
       JOIN balances b1 ON b1.customer_id = f.customer_id AND b1.month = ?`,
    )
    .all(monthEnd(start), monthEnd(latest), start, latest) as FlowRow[];
  if (rows.length === 0) return null;
  const flagged = rows
    .map((r) => ({ r, gap: Math.abs(r.inflow - r.outflow - (r.aum_end - r.aum_start)) }))
    .filter(({ r, gap }) => gap > settings.flowMismatchMinAmount && gap > settings.flowMismatchShare * (r.inflow + r.outflow))
    .sort((a, b) => b.gap - a.gap);
  if (flagged.length === 0) return null;
  const share = flagged.length / rows.length;
  return {
    id: 'flow_balance_mismatch',
    level: share > RED_SHARE ? 'red' : 'amber',
    title: '流入与余额不符',
    detail:
      `${start} 至 ${latest} 期间，${fmt(flagged.length)} 位客户（占有交易和余额数据客户的 ${pct(share)}）的交易净流入与月日均资产的变化相差超过 ${fmt(settings.flowMismatchMinAmount / 10_000)} 万元，且超过其资金往来的 ${pct(settings.flowMismatchShare)}。` +
      '可能是交易流水或余额数据不完整（如漏导了某个账户或某几个月），或两份数据的口径不一致。请核对这些客户的流水与余额后重新导入。',
    customers: flagged.length,
    share,
    link: null,
    examples: flagged.slice(0, EXAMPLES).map(({ r }) => ({ customerId: r.customer_id, inflow: r.inflow, outflow: r.outflow, balanceChange: r.aum_end - r.aum_start })),
  };
}
