/**
 * Why a customer is at risk, in words a relationship manager can say on the phone, with what to do about it
 * (issue #13 §1: "drivers that read as good news").
 *
 * The model's tree-path contributions are per feature, but features come in families that say one thing
 * together: 近30天/近90天/近一年交易笔数 and 距最近一次主动交易天数 all say how active the customer is;
 * 资金流入 and 资金流出 together say whether money still moves through the account. So contributions are
 * summed per topic, and a topic becomes a reason only when
 *   - its sum raises the probability by at least settings.churn.minReasonContribution (2 个百分点 by
 *     default: an effect of 0.00001 is no reason), and
 *   - the customer's own figures read as that risk ("近3个月没有任何资金往来"), never as good news ("近3个月
 *     资金流入 1.6 万元", "持有 4 个产品", "最近一次主动交易在 0 天前"): a topic whose figures do not read as
 *     a risk is no reason, whatever the model's arithmetic says; and
 *   - the customer's probability is in the 流失风险 中 or 高 band (a customer at almost no risk needs no
 *     reasons).
 * Demographics (age; the latest-value fields of older models) stay in the model but never become a reason:
 * a manager cannot act on them, and they are not the customer's behaviour.
 *
 * The cut-offs inside the wordings (30 days idle, 3 transactions, 10% decline, …) only decide whether a
 * figure reads as a risk, never a number or a band; they are named constants below.
 */
import type { FeatureKey } from '../../../../shared/analytics';
import type { ChurnReason } from '../../../../shared/churn';
import { formatWan } from '../../../../shared/glossary';

export const TOPICS = ['activity', 'flows', 'assets', 'products', 'channels', 'service', 'tenure', 'profile'] as const;
export type Topic = (typeof TOPICS)[number];

/** The topic of every feature the models may use. */
export const TOPIC_OF_FEATURE: Readonly<Record<FeatureKey, Topic>> = {
  txn_count_30d: 'activity',
  txn_count_90d: 'activity',
  txn_count_365d: 'activity',
  days_since_last_active_txn: 'activity',
  inflow_3m: 'flows',
  outflow_3m: 'flows',
  aum_latest: 'assets',
  aum_avg_3m: 'assets',
  aum_avg_12m: 'assets',
  aum_trend_slope_6m: 'assets',
  aum_change_pct_6m: 'assets',
  product_count: 'products',
  category_count: 'products',
  deposit_share: 'products',
  wealth_share: 'products',
  loan_share: 'products',
  mobile_share: 'channels',
  counter_share: 'channels',
  atm_share: 'channels',
  complaints_12m: 'service',
  tenure_months: 'tenure',
  age: 'profile',
  months_since_risk_assessment: 'profile',
};

/** Names of the topics on the portrait's waterfall. */
export const TOPIC_LABELS: Readonly<Record<Topic, string>> = {
  activity: '交易活跃度',
  flows: '资金往来',
  assets: '资产变化',
  products: '产品持有',
  channels: '渠道使用',
  service: '投诉',
  tenure: '开户时长',
  profile: '年龄等客户属性',
};

/** A customer's feature values by key; NaN when missing. */
export type FeatureValue = (key: FeatureKey) => number;

/** Idle for at least this many days reads as a risk (below it the customer transacted this month). */
const IDLE_DAYS = 30;
/** At most this many transactions in 90 days reads as low activity. */
const FEW_TRANSACTIONS_90D = 3;
/** A fall of at least this many percent over 6 months reads as a decline. */
const DECLINE_PCT = 10;
/** The 3-month average below this share of the 12-month average reads as assets moving out. */
const BELOW_YEAR_SHARE = 0.8;
/** Net outflow of at least this much (元) and 1.5 × the inflow reads as money leaving. */
const NET_OUTFLOW_YUAN = 10_000;
/** Flows under this much (元) over 3 months, such as a few 元 of interest, are no money moving. */
const MIN_FLOW_YUAN = 100;
/** A mobile-banking share of transactions at most this reads as not using mobile banking. */
const NO_MOBILE_SHARE = 0.05;
/** Tenure under this many months reads as a young relationship. */
const YOUNG_MONTHS = 12;

/** 8,500 元 → "0.85 万元"; 12,000 → "1.2 万元"; 3,560,000 → "356 万元". Amounts are in 万元 everywhere. */
export function formatMoney(yuan: number): string {
  const digits = Math.abs(yuan) < 10_000 ? 2 : Math.abs(yuan) < 1_000_000 ? 1 : 0;
  return `${formatWan(yuan, digits).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')} 万元`;
}

const int = (value: number) => Math.round(value);
const known = (value: number) => Number.isFinite(value);

const ACTIONS = {
  activity: '电话回访，了解近况；邀请参加网点活动',
  flows: '了解资金是否转往他行；推荐代发工资、自动转存，把资金往来留在本行',
  spending: '推荐本行信用卡、手机银行支付，把日常消费留在本行',
  assets: '客户经理约见，了解资金去向；提供到期续作或留存方案',
  products: '交叉销售第二类产品（如代发工资、手机银行、定期），加深与本行的联系',
  channels: '协助开通并教用手机银行，方便日常办理',
  service: '安排回访，跟进投诉处理结果',
  tenure: '新客户首年关怀：定期问候，介绍常用服务',
} as const;

const reason = (text: string, action: string): ChurnReason => ({ text, action });

/** The customer's figures of one topic as a risk, or null when they do not read as one. */
const READINGS: Readonly<Record<Exclude<Topic, 'profile'>, (v: FeatureValue) => ChurnReason | null>> = {
  activity: (v) => {
    const days = v('days_since_last_active_txn');
    const last90 = v('txn_count_90d');
    if (!known(days) && (v('txn_count_365d') === 0 || !known(v('txn_count_365d')))) return reason('开户以来没有过主动交易', ACTIONS.activity);
    if (days >= IDLE_DAYS) return reason(`${int(days)} 天没有主动交易`, ACTIONS.activity);
    if (known(last90) && last90 <= FEW_TRANSACTIONS_90D) return reason(last90 === 0 ? '近90天没有交易' : `近90天仅 ${int(last90)} 笔交易`, ACTIONS.activity);
    return null;
  },
  flows: (v) => {
    const inflow = known(v('inflow_3m')) ? v('inflow_3m') : 0;
    const outflow = known(v('outflow_3m')) ? v('outflow_3m') : 0;
    if (inflow < MIN_FLOW_YUAN && outflow < MIN_FLOW_YUAN) return reason('近3个月没有任何资金往来', ACTIONS.flows);
    if (inflow < MIN_FLOW_YUAN) return reason(`近3个月只有资金流出（${formatMoney(outflow)}），没有资金流入`, ACTIONS.flows);
    if (outflow < MIN_FLOW_YUAN) return reason(`近3个月只有入账（${formatMoney(inflow)}），没有任何支出`, ACTIONS.spending);
    if (outflow - inflow >= NET_OUTFLOW_YUAN && outflow >= inflow * 1.5) return reason(`近3个月资金净流出 ${formatMoney(outflow - inflow)}`, ACTIONS.flows);
    return null;
  },
  assets: (v) => {
    const change = v('aum_change_pct_6m');
    if (change <= -DECLINE_PCT) return reason(`近6个月资产下降 ${int(-change)}%`, ACTIONS.assets);
    const avg3 = v('aum_avg_3m');
    const avg12 = v('aum_avg_12m');
    if (avg12 > 0 && avg3 < avg12 * BELOW_YEAR_SHARE) return reason(`近3个月日均资产比近12个月平均低 ${int((1 - avg3 / avg12) * 100)}%`, ACTIONS.assets);
    const slope = v('aum_trend_slope_6m');
    if (slope < 0 && avg12 > 0 && -slope * 6 >= avg12 * (DECLINE_PCT / 100)) return reason(`近6个月资产平均每月减少 ${formatMoney(-slope)}`, ACTIONS.assets);
    return null;
  },
  products: (v) => {
    const products = v('product_count');
    const categories = v('category_count');
    if (products === 0) return reason('名下已无在持产品', ACTIONS.products);
    if (products === 1) return reason('仅持有 1 个产品，与本行联系单一', ACTIONS.products);
    if (categories === 1) return reason(`持有的 ${int(products)} 个产品同属一类，与本行联系单一`, ACTIONS.products);
    return null;
  },
  channels: (v) => {
    const mobile = v('mobile_share');
    return known(mobile) && mobile <= NO_MOBILE_SHARE ? reason('不使用手机银行', ACTIONS.channels) : null;
  },
  service: (v) => {
    const complaints = v('complaints_12m');
    return complaints >= 1 ? reason(`近12个月投诉 ${int(complaints)} 次`, ACTIONS.service) : null;
  },
  tenure: (v) => {
    const months = v('tenure_months');
    return known(months) && months < YOUNG_MONTHS ? reason(`开户仅 ${int(months)} 个月，关系尚浅`, ACTIONS.tenure) : null;
  },
};

/** The topic's figures as a risk; always null for demographics. */
export function readTopic(topic: Topic, value: FeatureValue): ChurnReason | null {
  return topic === 'profile' ? null : READINGS[topic](value);
}
