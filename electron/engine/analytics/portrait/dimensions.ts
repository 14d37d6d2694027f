/**
 * The dimensions of a group portrait, each a GROUP BY over gp_rows (group-rows.ts) giving the branch and
 * the group side by side. Bucket labels are fixed lists in a fixed order, so that both columns of a chart
 * line up and buckets nobody falls in still show as 0. Rest and unknown buckets (其他, 未知, …) are marked
 * `rest`: they are shown but never make the headline of a difference (issue #14: "差异最大：其他 +14.1").
 * Communities are shown one by one, every one of them: a branch has a dozen and each is a place to go.
 */
import type { DistributionItem, GroupPortrait } from '../../../../shared/analytics';
import { PRODUCT_CATEGORY_LABELS } from '../../../../shared/dictionary';
import { LIFECYCLE_STAGE_LABELS, VALUE_TIER_LABELS, type SqlParam } from '../../../../shared/rule-fields';
import type { Db } from '../../db/workspace';
import { CATEGORY_BITS, ROWS, type RowSources } from './group-rows';

export type Dimension = GroupPortrait['dimensions'][number];

interface Counted {
  label: string;
  branch: number;
  group: number;
  rest?: boolean;
}

const share = (count: number, total: number) => (total > 0 ? count / total : 0);

function dimension(key: string, label: string, counted: readonly Counted[], measure: Dimension['measure'] = 'distribution', totals?: { branch: number; group: number }): Dimension {
  const branchTotal = totals?.branch ?? counted.reduce((sum, c) => sum + c.branch, 0);
  const groupTotal = totals?.group ?? counted.reduce((sum, c) => sum + c.group, 0);
  const items = (side: 'branch' | 'group', total: number): DistributionItem[] =>
    counted.map((c) => ({ label: c.label, count: c[side], share: share(c[side], total), ...(c.rest ? { rest: true } : {}) }));
  return { key, label, measure, branch: items('branch', branchTotal), group: items('group', groupTotal) };
}

/** Counts per bucket label, in `order`; labels outside it are appended (there should be none). `rest` marks the unknown bucket. */
function grouped(db: Db, bucketSql: string, params: readonly SqlParam[], order: readonly string[], rest: string): Counted[] {
  const rows = db.prepare(`SELECT ${bucketSql} AS label, count(*) AS branch, sum(in_group) AS grp FROM ${ROWS} GROUP BY 1`).all(...params) as { label: string; branch: number; grp: number }[];
  const byLabel = new Map(rows.map((row) => [row.label, row]));
  const labels = [...order, ...rows.map((row) => row.label).filter((label) => !order.includes(label))];
  return labels.map((label) => ({ label, branch: byLabel.get(label)?.branch ?? 0, group: byLabel.get(label)?.grp ?? 0, ...(label === rest ? { rest: true } : {}) }));
}

const AGE_BOUNDS = [30, 40, 50, 60, 70];
const AGE_LABELS = ['30岁以下', '30–39岁', '40–49岁', '50–59岁', '60–69岁', '70岁及以上'];
/** Common cut points of branch reports; 600万 is the private-banking line of DESIGN.md §4. */
const AUM_BOUNDS = [10_000, 50_000, 200_000, 500_000, 1_000_000, 6_000_000];
const AUM_LABELS = ['1万以下', '1–5万', '5–20万', '20–50万', '50–100万', '100–600万', '600万及以上'];
const UNKNOWN = '未知';
const OTHER = '其他';
const TOP = 8;

/** Bands over ascending upper bounds: below bounds[i] is labels[i], the rest the last label. Labels are bound. */
function banded(db: Db, column: string, bounds: readonly number[], labels: readonly string[], missing: string): Counted[] {
  const whens = bounds.map(() => `WHEN ${column} < ? THEN ?`).join(' ');
  const params: SqlParam[] = [missing, ...bounds.flatMap((bound, i) => [bound, labels[i] as string]), labels[labels.length - 1] as string];
  return grouped(db, `CASE WHEN ${column} IS NULL THEN ? ${whens} ELSE ? END`, params, [...labels, missing], missing);
}

/**
 * The `top` most common values across the branch by name (every value when `top` is Infinity), then 其他,
 * then the missing ones. A value literally named 其他 is a rest bucket too.
 */
function topValues(db: Db, column: string, missing: string, top = TOP): Counted[] {
  const rows = db.prepare(`SELECT ${column} AS label, count(*) AS branch, sum(in_group) AS grp FROM ${ROWS} GROUP BY 1 ORDER BY 2 DESC, 1`).all() as { label: string | null; branch: number; grp: number }[];
  const named = rows.filter((row) => row.label !== null && row.label !== '');
  const shown = named.slice(0, top).map((row) => ({ label: row.label as string, branch: row.branch, group: row.grp, ...(row.label === OTHER ? { rest: true } : {}) }));
  const rest = named.slice(top);
  const none = rows.filter((row) => row.label === null || row.label === '');
  const sum = (list: typeof rows, side: 'branch' | 'grp') => list.reduce((total, row) => total + row[side], 0);
  return [
    ...shown,
    ...(rest.length > 0 ? [{ label: OTHER, branch: sum(rest, 'branch'), group: sum(rest, 'grp'), rest: true }] : []),
    ...(none.length > 0 ? [{ label: missing, branch: sum(none, 'branch'), group: sum(none, 'grp'), rest: true }] : []),
  ];
}

/** Enum codes with labels, in the labels' order, then 未评级 for customers without a code. */
function coded(db: Db, column: string, labels: Readonly<Record<string, string>>, missing: string): Counted[] {
  const codes = Object.keys(labels);
  const params: SqlParam[] = [...codes.flatMap((code) => [code, labels[code] as string]), missing];
  const sql = `CASE ${column} ${codes.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ? END`;
  return grouped(db, sql, params, [...codes.map((code) => labels[code] as string), missing], missing);
}

export function portraitDimensions(db: Db, sources: RowSources, sizes: { branch: number; group: number }): Dimension[] {
  const dims: Dimension[] = [
    dimension('age', '年龄', banded(db, 'age', AGE_BOUNDS, AGE_LABELS, UNKNOWN)),
    dimension('gender', '性别', coded(db, 'gender', { M: '男', F: '女' }, UNKNOWN)),
    dimension('occupation', '职业', topValues(db, 'occupation', '未填写')),
    dimension('tier', '价值层级', restTier(coded(db, 'tier', VALUE_TIER_LABELS, '未评级'))),
    dimension('aum', sources.features ? '资产规模（近3个月日均）' : '资产规模（近3个月日均，按月日均资产表）', banded(db, 'aum', AUM_BOUNDS, AUM_LABELS, '无资产数据')),
    dimension('products', '产品持有率', productPenetration(db), 'penetration', sizes),
  ];
  if (sources.features) dims.push(dimension('channel', '渠道交易占比（近12个月）', channelMix(db)));
  if (sources.scores) dims.push(dimension('lifecycle', '生命周期', coded(db, 'lifecycle', LIFECYCLE_STAGE_LABELS, '未评级')));
  dims.push(dimension('community', '所属社区', topValues(db, 'community', '未归属社区', Number.POSITIVE_INFINITY)));
  return dims;
}

/** 无记录 says nothing about a group's wealth: shown, never the headline. */
function restTier(counted: Counted[]): Counted[] {
  return counted.map((c) => (c.label === VALUE_TIER_LABELS.no_record ? { ...c, rest: true } : c));
}

/** Customers holding an active product of each category (one pass, a sum per category bit). */
function productPenetration(db: Db): Counted[] {
  const sums = CATEGORY_BITS.map((_, i) => `sum((held >> ${i}) & 1), sum(in_group * ((held >> ${i}) & 1))`).join(', ');
  const row = db.prepare(`SELECT ${sums} FROM ${ROWS}`).raw(true).get() as (number | null)[];
  return CATEGORY_BITS.map((category, i) => ({
    label: PRODUCT_CATEGORY_LABELS[category as keyof typeof PRODUCT_CATEGORY_LABELS] ?? category,
    branch: row[2 * i] ?? 0,
    group: row[2 * i + 1] ?? 0,
  }));
}

/**
 * Transactions of the last 12 months by channel, from the features: each customer's mobile, counter and
 * ATM shares (of his transactions with a known channel) weighted by his 12-month transaction count, so a
 * busy customer weighs more than an idle one; 其他 is what the three leave (网银, POS). Counts are the
 * weighted estimates, rounded. Counting the transactions themselves would scan the whole table, tens of
 * millions of rows on a large branch, on every portrait.
 */
function channelMix(db: Db): Counted[] {
  const row = db
    .prepare(
      `SELECT sum(coalesce(mobile, 0)), sum(in_group * coalesce(mobile, 0)), sum(coalesce(counter, 0)), sum(in_group * coalesce(counter, 0)),
              sum(coalesce(atm, 0)), sum(in_group * coalesce(atm, 0)), sum(coalesce(txn, 0)), sum(in_group * coalesce(txn, 0)) FROM ${ROWS}`,
    )
    .raw(true)
    .get() as (number | null)[];
  const [mb, mg, cb, cg, ab, ag, tb, tg] = row.map((value) => Math.round(value ?? 0)) as [number, number, number, number, number, number, number, number];
  return [
    { label: '手机银行', branch: mb, group: mg },
    { label: '柜面', branch: cb, group: cg },
    { label: 'ATM', branch: ab, group: ag },
    { label: '其他渠道（网银、POS等）', branch: Math.max(0, tb - mb - cb - ab), group: Math.max(0, tg - mg - cg - ag) },
  ];
}
