/**
 * Churn drivers in plain Chinese. A driver is a feature whose tree-path contribution pushes the customer's
 * churn probability up; the sentence states the customer's own value of it, the way a manager would say it
 * on the phone: "近6个月资产下降 62%", "95 天无主动交易", "近12个月投诉 2 次".
 *
 * Every feature key has its own template, including a sentence for a missing value (NaN), so a driver is
 * never a bare feature name or a generic "风险较高". Units follow customer_features: shares are 0–1,
 * aum_change_pct_6m is in percentage points (−62 = down 62%), money is in 元.
 */
import type { ChurnDriver, FeatureKey } from '../../../../shared/analytics';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { FEATURE_LABELS } from './feature-labels';

export interface DriverTextOptions {
  /** A risk assessment older than this many months has expired (settings.suitability). */
  riskAssessmentValidMonths: number;
}

const DEFAULT_OPTIONS: DriverTextOptions = { riskAssessmentValidMonths: DEFAULT_SETTINGS.suitability.riskAssessmentValidMonths };

const trimZero = (text: string) => text.replace(/\.0$/, '');

/** 8500 → 8,500. Number.toLocaleString builds a formatter per call, far too slow 200,000 times over. */
function grouped(whole: number): string {
  const digits = String(whole);
  return digits.length <= 3 ? digits : `${digits.slice(0, -3)},${digits.slice(-3)}`;
}

/** 8,500 元 · 1.2 万元 · 356 万元 · 1.3 亿元. */
export function formatMoney(value: number): string {
  const v = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  if (v < 10_000) return `${sign}${grouped(Math.round(v))} 元`;
  if (v < 100_000_000) return `${sign}${trimZero((v / 10_000).toFixed(v < 1_000_000 ? 1 : 0))} 万元`;
  return `${sign}${trimZero((v / 100_000_000).toFixed(1))} 亿元`;
}

/** A 0–1 share as 35%. */
const pct = (share: number) => `${Math.round(share * 100)}%`;
const int = (value: number) => Math.round(value);

type Template = (value: number, options: DriverTextOptions) => string;

/** A template per feature: `value` is never NaN here; `missing` says what an absent value means. */
const TEMPLATES: Readonly<Record<FeatureKey, { text: Template; missing: string }>> = {
  age: { text: (v) => `年龄 ${int(v)} 岁`, missing: '缺少出生日期，年龄未知' },
  tenure_months: {
    text: (v) => (v < 12 ? `开户仅 ${int(v)} 个月` : v < 24 ? `开户 ${int(v)} 个月` : `开户已 ${Math.floor(v / 12)} 年`),
    missing: '开户日期缺失',
  },
  aum_latest: { text: (v) => (v <= 0 ? '最新月日均资产为 0' : `最新月日均资产 ${formatMoney(v)}`), missing: '最新月没有余额记录' },
  aum_avg_3m: { text: (v) => (v <= 0 ? '近3个月日均资产为 0' : `近3个月日均资产 ${formatMoney(v)}`), missing: '近3个月没有余额记录' },
  aum_avg_12m: { text: (v) => (v <= 0 ? '近12个月日均资产为 0' : `近12个月日均资产 ${formatMoney(v)}`), missing: '近12个月没有余额记录' },
  aum_trend_slope_6m: {
    text: (v) =>
      v < 0 ? `近6个月资产平均每月减少 ${formatMoney(-v)}` : v > 0 ? `近6个月资产平均每月增加 ${formatMoney(v)}` : '近6个月资产每月变化为 0',
    missing: '近6个月余额记录不足，资产趋势无法计算',
  },
  aum_change_pct_6m: {
    text: (v) => (v <= -0.5 ? `近6个月资产下降 ${int(-v)}%` : v >= 0.5 ? `近6个月资产增长 ${int(v)}%` : '近6个月资产基本持平（变动不足 1%）'),
    missing: '6个月前没有余额记录，资产变动无法比较',
  },
  deposit_share: { text: (v) => (v <= 0 ? '没有存款' : `存款占资产的 ${pct(v)}`), missing: '没有资产，存款占比无从计算' },
  wealth_share: { text: (v) => (v <= 0 ? '未持有理财' : `理财占资产的 ${pct(v)}`), missing: '没有资产，理财占比无从计算' },
  loan_share: { text: (v) => (v <= 0 ? '没有贷款' : `贷款相当于资产的 ${pct(v)}`), missing: '没有资产，贷款占比无从计算' },
  product_count: {
    text: (v) => (v <= 0 ? '名下已无在持产品' : v === 1 ? '仅持有 1 个产品' : `持有 ${int(v)} 个产品`),
    missing: '产品持有记录缺失',
  },
  category_count: {
    text: (v) => (v <= 0 ? '未持有任何类别的产品' : v === 1 ? '仅持有 1 类产品' : `持有 ${int(v)} 类产品`),
    missing: '产品持有记录缺失',
  },
  txn_count_30d: { text: (v) => (v <= 0 ? '近30天无交易' : v <= 3 ? `近30天仅 ${int(v)} 笔交易` : `近30天 ${int(v)} 笔交易`), missing: '近30天没有交易记录' },
  txn_count_90d: { text: (v) => (v <= 0 ? '近90天无交易' : v <= 5 ? `近90天仅 ${int(v)} 笔交易` : `近90天 ${int(v)} 笔交易`), missing: '近90天没有交易记录' },
  txn_count_365d: { text: (v) => (v <= 0 ? '近一年无交易' : v <= 12 ? `近一年仅 ${int(v)} 笔交易` : `近一年 ${int(v)} 笔交易`), missing: '近一年没有交易记录' },
  days_since_last_active_txn: {
    text: (v) => (v < 30 ? `最近一次主动交易在 ${int(v)} 天前` : `${int(v)} 天无主动交易`),
    missing: '从未有过主动交易',
  },
  mobile_share: {
    text: (v) => (v <= 0 ? '不使用手机银行' : v < 0.3 ? `手机银行交易仅占 ${pct(v)}` : `手机银行交易占 ${pct(v)}`),
    missing: '近一年无交易，手机银行使用情况不明',
  },
  counter_share: { text: (v) => (v <= 0 ? '从不到柜面办理业务' : `柜面交易占 ${pct(v)}`), missing: '近一年无交易，柜面使用情况不明' },
  atm_share: { text: (v) => (v <= 0 ? '不使用 ATM' : `ATM 交易占 ${pct(v)}`), missing: '近一年无交易，ATM 使用情况不明' },
  inflow_3m: { text: (v) => (v <= 0 ? '近3个月无资金流入' : `近3个月资金流入 ${formatMoney(v)}`), missing: '近3个月没有资金流入记录' },
  outflow_3m: { text: (v) => (v <= 0 ? '近3个月无资金流出' : `近3个月资金流出 ${formatMoney(v)}`), missing: '近3个月没有资金流出记录' },
  complaints_12m: { text: (v) => (v <= 0 ? '近12个月无投诉' : `近12个月投诉 ${int(v)} 次`), missing: '近12个月没有投诉记录' },
  months_since_risk_assessment: {
    text: (v, o) => (v > o.riskAssessmentValidMonths ? `风险测评已过期（距上次测评 ${int(v)} 个月）` : `距上次风险测评 ${int(v)} 个月`),
    missing: '从未做过风险测评',
  },
};

/** The sentence for one feature value of one customer. */
export function driverText(feature: FeatureKey, value: number, options: DriverTextOptions = DEFAULT_OPTIONS): string {
  const template = TEMPLATES[feature];
  return Number.isFinite(value) ? template.text(value, options) : template.missing;
}

export function makeDriver(feature: FeatureKey, value: number, contribution: number, options: DriverTextOptions = DEFAULT_OPTIONS): ChurnDriver {
  return { feature, label: FEATURE_LABELS[feature], contribution, text: driverText(feature, value, options) };
}
