/**
 * One name and one unit per measure (术语表), for screens, exports and reports alike. A measure that appears
 * anywhere a person reads it takes its label from here, and amounts are shown in 万元 everywhere (issue #14:
 * "资产规模(万元)" meant the latest month in one place and the 3-month average in another).
 *
 * Amounts are stored in 元 in the workspace; only the presentation converts. Use `measureHeader` for a
 * column header ("近3个月日均资产(万元)"), `formatMeasure` for a cell, `describeMeasure` for a footnote.
 */
export type MeasureUnit = 'wan' | 'count' | 'people' | 'pct' | 'pp' | 'days' | 'months' | 'ratio' | 'score';

export interface Measure {
  /** Chinese name as an analyst says it, without the unit. */
  label: string;
  labelEn: string;
  unit: MeasureUnit;
  /** What exactly is counted or summed, for footnotes and tooltips. */
  description: string;
}

const m = (label: string, labelEn: string, unit: MeasureUnit, description: string): Measure => ({ label, labelEn, unit, description });

export const MEASURES = {
  customers: m('客户数', 'Customers', 'people', '统计口径内的客户人数'),
  new_customers: m('新增客户', 'New customers', 'people', '开户日期在统计期内的客户'),
  lost_customers: m('流失客户', 'Lost customers', 'people', '生命周期在统计期内变为“流失”的客户'),
  aum_latest: m('最新月日均资产', 'Latest monthly AUM', 'wan', '数据截至月份的月日均资产'),
  aum_avg_3m: m('近3个月日均资产', '3-month average AUM', 'wan', '截至月份及之前 2 个月的月日均资产的平均；价值分层、RFM 的 M 和在险资产都按它计算'),
  aum_avg_12m: m('近12个月日均资产', '12-month average AUM', 'wan', '近 12 个月的月日均资产的平均'),
  aum_month_end: m('月末资产', 'Month-end AUM', 'wan', '月末时点资产余额'),
  aum_total: m('资产总额', 'Total AUM', 'wan', '客户近3个月日均资产之和'),
  aum_per_customer: m('户均资产', 'AUM per customer', 'wan', '近3个月日均资产之和 ÷ 客户数'),
  aum_per_household: m('户均资产（按住户）', 'AUM per household', 'wan', '社区客户资产之和 ÷ 社区住户数'),
  deposit_avg_3m: m('近3个月日均存款', '3-month average deposits', 'wan', '近 3 个月的月日均存款的平均；产品起购金额按它判断'),
  inflow_3m: m('近3个月资金流入', '3-month inflow', 'wan', '近 3 个月转入、存入等流入交易金额之和'),
  outflow_3m: m('近3个月资金流出', '3-month outflow', 'wan', '近 3 个月转出、取现、消费等流出交易金额之和'),
  aum_at_risk: m('在险资产', 'AUM at risk', 'wan', '流失风险为“高”的客户近3个月日均资产之和'),
  expected_loss: m('预期流失资产', 'Expected AUM loss', 'wan', '流失概率 × 近3个月日均资产；名单合计为全部打分客户之和'),
  churn_prob: m('流失概率', 'Churn probability', 'pct', '模型估计的未来 3 个月内流失（或转沉睡、资产减半）的概率'),
  churn_rate: m('流失率', 'Churn rate', 'pct', '期初客户中在统计期内流失的比例'),
  retention_rate: m('留存率', 'Retention rate', 'pct', '1 − 流失率'),
  penetration: m('渗透率', 'Penetration', 'pct', '本行客户数 ÷ 社区住户数'),
  product_penetration: m('产品持有率', 'Product penetration', 'pct', '持有该类产品的客户占比'),
  products_per_customer: m('户均持有产品数', 'Products per customer', 'ratio', '当前持有的产品数 ÷ 客户数'),
  response_rate: m('响应率', 'Response rate', 'pct', '有响应（含转化）的客户 ÷ 名单客户'),
  conversion_rate: m('转化率', 'Conversion rate', 'pct', '办理了目标业务的客户 ÷ 名单客户'),
  uplift: m('提升', 'Uplift', 'pp', '目标组比率 − 对照组比率，单位为百分点'),
  profit_contribution: m('利润贡献', 'Profit contribution', 'wan', '各类产品余额 × 设置中的年化利润率，按年计'),
  clv: m('客户终身价值', 'Customer lifetime value', 'wan', 'Σ 年利润贡献 × 留存概率 ÷ (1+折现率)^年'),
  expected_value: m('预期年贡献', 'Expected annual contribution', 'wan', '预计余额 × 该类产品的年化利润率'),
  days_since_last_active_txn: m('距最近一次主动交易天数', 'Days since last active transaction', 'days', '不含代扣、自动还款等非客户主动发起的交易'),
  txn_count_90d: m('近90天交易笔数', 'Transactions in 90 days', 'count', '近 90 天客户主动发起的交易笔数'),
  tenure_months: m('开户月数', 'Tenure (months)', 'months', '开户日期到截至日期的整月数'),
  // Branch overview and reports (issue #11)
  customers_total: m('客户总数', 'All customers', 'people', '截至月末已开户的客户，含已流失客户'),
  aum_monthly_total: m('月日均资产合计', 'Monthly average AUM, total', 'wan', '当月全部客户月日均资产之和'),
  tier_up: m('层级上升客户', 'Customers moved up a tier', 'people', '近3个月日均资产所在层级较上月上升的客户'),
  tier_down: m('层级下降客户', 'Customers moved down a tier', 'people', '近3个月日均资产所在层级较上月下降的客户'),
  high_risk_customers: m('高风险客户', 'High churn-risk customers', 'people', '最近一次流失打分中流失风险为“高”的客户'),
  repeat_purchase_rate: m('复购率', 'Repeat-purchase rate', 'pct', '统计期内新开产品的客户中，新开 2 个及以上产品的比例'),
  satisfaction: m('满意度均分', 'Mean satisfaction score', 'ratio', '满意度调查得分的平均（5 分制）'),
  satisfied_share: m('满意率', 'Satisfied share', 'pct', '满意度调查中给出满意（默认 4 分及以上）的比例'),
  nps: m('净推荐值', 'Net promoter score', 'count', '推荐者占比 − 贬损者占比，乘以 100'),
  market_coverage: m('社区覆盖率', 'Community coverage', 'pct', '有本行客户的社区 ÷ 登记的社区数'),
  profit_per_customer: m('户均利润贡献', 'Profit per customer', 'wan', '利润贡献 ÷ 客户数，按年计'),
  clv_total: m('客户终身价值合计', 'Total customer lifetime value', 'wan', '各客户终身价值之和'),
  aum_change: m('资产变动', 'AUM change', 'wan', '近3个月日均资产之和较上月的变动'),
  open_tasks: m('待跟进营销任务', 'Open campaign tasks', 'count', '进行中活动的目标客户中尚无接触或响应记录的人数'),
  tgi: m('TGI', 'TGI', 'count', '本群体占比 ÷ 全行占比 × 100，高于 100 表示该特征在本群体中更集中'),
  // Community marketing (issue #12; definitions in docs/community.md).
  households: m('住户数', 'Households', 'count', '社区表中的户数'),
  untapped_households: m('未覆盖住户', 'Untapped households', 'count', '住户数 − 本行客户数'),
  active_share: m('活跃客户占比', 'Active share', 'pct', '近 90 天有主动交易的客户 ÷ 客户数'),
  age60_share: m('60岁以上客户占比', 'Customers aged 60+', 'pct', '60 岁及以上的客户 ÷ 已知年龄的客户'),
  churn_high_share: m('流失高风险占比', 'High churn risk share', 'pct', '流失风险为“高”的客户 ÷ 已打分客户'),
  contacted_share: m('联系覆盖率', 'Contact coverage', 'pct', '近 90 天被拜访、电话联系、参加活动或营销触达的客户 ÷ 客户数'),
  customers_per_manager: m('人均管户数', 'Customers per manager', 'ratio', '有客户经理的客户数 ÷ 客户经理人数'),
  opportunity_score: m('机会值', 'Opportunity', 'wan', '拓户机会 + 产品缺口 − 流失扣减，按年预期贡献计'),
  target_size: m('目标客户数', 'Target customers', 'people', '活动目标客户规则选中的客户'),
  activity_budget: m('活动预算', 'Budget', 'wan', '每场活动的预算'),
  activity_participants: m('参加人数', 'Participants', 'people', '关联营销活动的响应客户，否则为活动当天登记参加的本社区客户'),
  activity_new_accounts: m('新开产品数', 'New accounts', 'count', '参加客户在活动后评估期内新开的产品'),
  activity_aum_change: m('参加客户资产净增', 'AUM brought in', 'wan', '参加客户评估期末月日均资产 − 活动前一个月月日均资产；关联营销活动时为成交金额'),
} as const satisfies Record<string, Measure>;

export type MeasureKey = keyof typeof MEASURES;

const UNIT_SUFFIX: Record<MeasureUnit, { zh: string; en: string }> = {
  wan: { zh: '万元', en: '10k CNY' },
  count: { zh: '笔', en: 'count' },
  people: { zh: '人', en: 'people' },
  pct: { zh: '%', en: '%' },
  pp: { zh: '个百分点', en: 'pp' },
  days: { zh: '天', en: 'days' },
  months: { zh: '个月', en: 'months' },
  ratio: { zh: '', en: '' },
  score: { zh: '分', en: 'pts' },
};

export function measureLabel(key: MeasureKey, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  return locale === 'en' ? MEASURES[key].labelEn : MEASURES[key].label;
}

/** A column header with its unit: 近3个月日均资产(万元). Units that go without saying (人, 笔) are left off. */
export function measureHeader(key: MeasureKey, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  const measure = MEASURES[key];
  const label = measureLabel(key, locale);
  if (measure.unit === 'wan' || measure.unit === 'pct') return `${label}(${UNIT_SUFFIX[measure.unit][locale === 'en' ? 'en' : 'zh']})`;
  return label;
}

export function describeMeasure(key: MeasureKey): string {
  return `${MEASURES[key].label}：${MEASURES[key].description}`;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const grouped = (digits: number) => new Intl.NumberFormat('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const FORMATS = [0, 1, 2, 3].map(grouped);
const fixed = (value: number, digits: number) => FORMATS[Math.max(0, Math.min(3, digits))]!.format(value);

/** 元 → 万元, as a number rounded to `digits` decimals (for charts and exported cells). */
export function yuanToWan(yuan: number | null | undefined, digits = 2): number | null {
  if (!isNum(yuan)) return null;
  const factor = 10 ** digits;
  return Math.round((yuan / 10_000) * factor) / factor;
}

/** 12345678 元 → "1,234.57" (万元, the unit goes in the header). */
export function formatWan(yuan: unknown, digits = 2): string {
  return isNum(yuan) ? fixed(yuan / 10_000, digits) : '—';
}

/** A share between 0 and 1 as a percentage with one decimal everywhere: 0.1759 → "17.6%"; 0.9994 → "99.9%". */
export function formatShare(share: unknown, digits = 1): string {
  if (!isNum(share)) return '—';
  // Truncate rather than round at the top so that 0.9999 never reads as 100% (nor 0.0001 as 0%).
  const scaled = share * 100;
  const factor = 10 ** digits;
  let value = Math.round(scaled * factor) / factor;
  if (value >= 100 && share < 1) value = Math.floor(scaled * factor) / factor;
  if (value <= 0 && share > 0) value = Math.ceil(scaled * factor) / factor;
  return `${fixed(value, digits)}%`;
}

/** Percentage points: 0.042 → "4.2 个百分点". */
export function formatPoints(diff: unknown, digits = 1): string {
  return isNum(diff) ? `${fixed(diff * 100, digits)} 个百分点` : '—';
}

export function formatCount(value: unknown): string {
  return isNum(value) ? fixed(value, 0) : '—';
}

/** A value of a measure as a cell shows it, without the unit (the header carries it). */
export function formatMeasure(key: MeasureKey, value: unknown): string {
  switch (MEASURES[key].unit) {
    case 'wan':
      return formatWan(value);
    case 'pct':
      return formatShare(value);
    case 'pp':
      return formatPoints(value);
    case 'ratio':
      return isNum(value) ? fixed(value, 2) : '—';
    default:
      return formatCount(value);
  }
}
