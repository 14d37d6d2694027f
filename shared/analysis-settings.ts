/**
 * Settings sections of the customer analysis beyond tiers, RFM and lifecycle (shared/settings.ts): the
 * thresholds of the system tags, of K-means and of the group portrait. Amounts are in 元 as stored (the
 * settings screen shows 万元), shares and changes in percent (0–100), counts in 笔, ages in 岁.
 * Every default is the figure the tag or screen used before it became a setting (issue #13).
 */
import { z } from 'zod';

/** Where RFM splits each measure into high and low (DESIGN.md §4). */
export const RFM_SPLITS = ['raw_mean', 'median', 'score_mean'] as const;
export type RfmSplit = (typeof RFM_SPLITS)[number];

const count = (fallback: number) => z.number().int().min(0).default(fallback);
const yuan = (fallback: number) => z.number().min(0).default(fallback);
const percent = (fallback: number) => z.number().min(0).max(100).default(fallback);
const age = (fallback: number) => z.number().int().min(0).max(120).default(fallback);

export const tagSettingsSchema = z.strictObject({
  /** 高活跃客户: at least this many customer-initiated transactions in 90 days. */
  activeTxn90d: count(15),
  /** 低活跃客户: at most this many in 90 days (and not yet 沉睡). */
  lowActivityTxn90d: count(3),
  /** 百万资产客户: 3-month average AUM at least this. */
  millionAum: yuan(1_000_000),
  /** 近三月大额流入: inflow over 3 months at least this. */
  largeInflow3m: yuan(100_000),
  /** 近三月资金净流出: outflow exceeds inflow by at least this over 3 months. */
  netOutflow3m: yuan(50_000),
  /** 低余额客户: 3-month average AUM below this. */
  lowBalance: yuan(1_000),
  /** 近三月资产下降: the month's AUM at least this % below that of 3 months before … */
  aumDropPct: percent(20),
  /** … for customers who had at least this then (below it, a few hundred 元 moving is noise). */
  aumDropFloor: yuan(1_000),
  /** 存款为主客户: deposits at least this % of AUM. */
  depositHeavyPct: percent(90),
  /** 理财偏好客户: wealth products at least this % of AUM. */
  wealthHeavyPct: percent(50),
  /** Channel preferences: share of the customer's own channelled transactions. */
  mobilePreferredPct: percent(60),
  counterPreferredPct: percent(50),
  atmFrequentPct: percent(30),
  /** 多产品客户: product categories held. */
  multiProductCategories: count(4),
  /** 老年客户 from this age; 青年客户 from 18 to youthMaxAge; 临近退休 from preRetirementAge to seniorAge − 1. */
  seniorAge: age(60),
  youthMaxAge: age(35),
  preRetirementAge: age(55),
  /** 十年以上老客户: account open for at least this many years. */
  longTenureYears: count(10),
  /** 近30天已联系: a visit or call within this many days. */
  recentContactDays: count(30),
  /** 理财到期未续: a wealth product matured within this many days and not renewed. */
  wealthMaturedDays: count(90),
});
export type TagSettings = z.infer<typeof tagSettingsSchema>;

export const segmentSettingsSchema = z.strictObject({
  /**
   * Days since the last customer-initiated transaction are counted up to this cap in K-means, and a
   * customer who never transacted counts as the cap: the median would make him look typical (issue #13:
   * 245 of 251 such customers landed in 低资产·低活跃 instead of 久未交易). One year is the transaction window.
   */
  recencyCapDays: z.number().int().min(30).max(3650).default(365),
});
export type SegmentSettings = z.infer<typeof segmentSettingsSchema>;

export const groupPortraitSettingsSchema = z.strictObject({
  /** "差异最大" is shown only for a gap of at least this many percentage points: below it, it is noise. */
  headlineMinPoints: z.number().min(0).max(50).default(3),
});
export type GroupPortraitSettings = z.infer<typeof groupPortraitSettingsSchema>;
