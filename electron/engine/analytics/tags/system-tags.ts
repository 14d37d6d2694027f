/**
 * The system tags (系统标签) of issue #4: what a branch analyst expects to find ready-made, in eight
 * categories. Most are written in the rule DSL over the customer catalog, compiled like any user rule:
 * that keeps one path to SQL and shows the DSL covers real needs. The rest need what the DSL has no
 * fields for (product holdings, transactions of a type, balance histories, contact records) and are named
 * SQL predicates (sql-predicates.ts).
 *
 * Every definition is a function of the run's as-of date and settings: windows end at the as-of date and
 * thresholds come from the settings the run records (settings.tags, shared/analysis-settings.ts, and the
 * tier and lifecycle sections), so a tag is reproducible from its run and its description states them.
 * Activity counts are customer-initiated transactions only (features/transactions-pass.ts).
 *
 * Ids are stable ('sys.…'): customer_tags rows, saved rules (`has_tag`) and exports refer to them.
 * Names and descriptions may be reworded; ids never change meaning.
 */
import { formatThreshold } from '../../../../shared/churn';
import { VALUE_TIER_LABELS } from '../../../../shared/rule-fields';
import type { SqlFragment } from '../../../../shared/rule-fields';
import type { RuleCondition, RuleNode } from '../../../../shared/rules';
import { addMonths } from '../dates';
import * as sql from './sql-predicates';
import type { TagContext } from './sql-predicates';

export type { TagContext } from './sql-predicates';

/** The categories of issue #4, in the order the tag screen lists them. */
export const TAG_CATEGORIES = ['基础属性', '资产', '行为', '渠道偏好', '产品持有', '风险', '生命周期', '价值'] as const;
export type TagCategory = (typeof TAG_CATEGORIES)[number];

export type TagDefinition =
  | { readonly kind: 'rule'; readonly rule: (ctx: TagContext) => RuleNode }
  | { readonly kind: 'sql'; readonly name: string; readonly predicate: (ctx: TagContext) => SqlFragment };

export interface SystemTag {
  readonly id: string;
  readonly name: string;
  readonly category: TagCategory;
  /** What the tag means, with the thresholds of the run's settings. */
  readonly description: (ctx: TagContext) => string;
  readonly definition: TagDefinition;
}

const is = (field: string, op: RuleCondition['op'], value?: RuleCondition['value']): RuleCondition =>
  value === undefined ? { field, op } : { field, op, value };
const all = (...nodes: RuleNode[]): RuleNode => ({ all: nodes });

const rule = (build: (ctx: TagContext) => RuleNode): TagDefinition => ({ kind: 'rule', rule: build });
const predicate = (name: string, build: (ctx: TagContext) => SqlFragment): TagDefinition => ({ kind: 'sql', name, predicate: build });
const text = (value: string) => () => value;

const wan = (yuan: number) => `${(yuan / 10_000).toLocaleString('zh-CN')} 万元`;
const yuanText = (yuan: number) => `${yuan.toLocaleString('zh-CN')} 元`;
/** An amount as a tag description says it: 万元 from 1 万 up, 元 below. */
const money = (yuan: number) => (yuan >= 10_000 ? wan(yuan) : yuanText(yuan));

/** A product-holding tag: an active product of the categories on the as-of date. */
const holds = (id: string, name: string, categories: readonly string[], what: string): SystemTag => ({
  id,
  name,
  category: '产品持有',
  description: text(`数据日持有未结清的${what}`),
  definition: predicate(`holds:${categories.join('+')}`, (ctx) => sql.holdsCategory(ctx, categories)),
});

export const SYSTEM_TAGS: readonly SystemTag[] = [
  // 基础属性 ------------------------------------------------------------------------------------------
  {
    id: 'sys.senior', name: '老年客户', category: '基础属性',
    description: (ctx) => `数据日年满 ${ctx.settings.tags.seniorAge} 周岁`,
    definition: rule((ctx) => is('age', '>=', ctx.settings.tags.seniorAge)),
  },
  {
    id: 'sys.youth', name: '青年客户', category: '基础属性',
    description: (ctx) => `数据日年龄 18–${ctx.settings.tags.youthMaxAge} 周岁`,
    definition: rule((ctx) => is('age', 'between', [18, ctx.settings.tags.youthMaxAge])),
  },
  {
    id: 'sys.sme_owner', name: '小微企业主', category: '基础属性',
    description: text('客户类型为小微企业主'),
    definition: rule(() => is('customer_type', '=', 'sme_owner')),
  },
  {
    id: 'sys.retired', name: '退休人员', category: '基础属性',
    description: text('职业登记为退休'),
    definition: rule(() => is('occupation', 'contains', '退休')),
  },
  {
    id: 'sys.long_tenure', name: '十年以上老客户', category: '基础属性',
    description: (ctx) => `开户满 ${ctx.settings.tags.longTenureYears} 年`,
    definition: rule((ctx) => is('open_date', '<=', addMonths(ctx.asOf, -12 * ctx.settings.tags.longTenureYears))),
  },
  {
    id: 'sys.birthday_next_month', name: '下月生日', category: '基础属性',
    description: text('生日在数据日的下一个月，便于提前安排生日关怀'),
    definition: predicate('birthday-next-month', sql.birthdayNextMonth),
  },

  // 资产 ----------------------------------------------------------------------------------------------
  {
    id: 'sys.aum_up', name: '资产提升', category: '资产',
    description: (ctx) => `近 6 个月资产增长不少于 ${ctx.settings.lifecycle.growthPct}%`,
    definition: rule((ctx) => is('aum_change_pct_6m', '>=', ctx.settings.lifecycle.growthPct)),
  },
  {
    id: 'sys.aum_down_3m', name: '近三月资产下降', category: '资产',
    description: (ctx) => `数据月的月日均资产比 3 个月前下降 ${ctx.settings.tags.aumDropPct}% 以上（3 个月前不少于 ${money(ctx.settings.tags.aumDropFloor)}）`,
    definition: predicate('aum-down-3m', (ctx) => sql.aumDown3m(ctx, ctx.settings.tags.aumDropPct, ctx.settings.tags.aumDropFloor)),
  },
  {
    id: 'sys.million', name: '百万资产客户', category: '资产',
    description: (ctx) => `近 3 个月日均资产不少于 ${money(ctx.settings.tags.millionAum)}`,
    definition: rule((ctx) => is('aum_avg_3m', '>=', ctx.settings.tags.millionAum)),
  },
  {
    id: 'sys.deposit_heavy', name: '存款为主客户', category: '资产',
    description: (ctx) => `存款占资产 ${ctx.settings.tags.depositHeavyPct}% 以上，且近 3 个月日均资产不少于 ${wan(ctx.settings.tiers.affluent)}（理财转化的对象）`,
    definition: rule((ctx) => all(is('deposit_share', '>=', ctx.settings.tags.depositHeavyPct / 100), is('aum_avg_3m', '>=', ctx.settings.tiers.affluent))),
  },
  {
    id: 'sys.wealth_heavy', name: '理财偏好客户', category: '资产',
    description: (ctx) => `理财占资产 ${ctx.settings.tags.wealthHeavyPct}% 以上`,
    definition: rule((ctx) => is('wealth_share', '>=', ctx.settings.tags.wealthHeavyPct / 100)),
  },
  {
    id: 'sys.large_inflow', name: '近三月大额流入', category: '资产',
    description: (ctx) => `近 3 个月资金流入不少于 ${money(ctx.settings.tags.largeInflow3m)}`,
    definition: rule((ctx) => is('inflow_3m', '>=', ctx.settings.tags.largeInflow3m)),
  },
  {
    id: 'sys.net_outflow', name: '近三月资金净流出', category: '资产',
    description: (ctx) => `近 3 个月资金流出比流入多 ${money(ctx.settings.tags.netOutflow3m)} 以上`,
    definition: predicate('net-outflow', (ctx) => sql.netOutflow(ctx, ctx.settings.tags.netOutflow3m)),
  },
  {
    id: 'sys.low_balance', name: '低余额客户', category: '资产',
    description: (ctx) => `近 3 个月日均资产不足 ${money(ctx.settings.tags.lowBalance)}`,
    definition: rule((ctx) => is('aum_avg_3m', '<', ctx.settings.tags.lowBalance)),
  },

  // 行为 ----------------------------------------------------------------------------------------------
  {
    id: 'sys.active', name: '高活跃客户', category: '行为',
    description: (ctx) => `近 90 天主动交易不少于 ${ctx.settings.tags.activeTxn90d} 笔（不含代发工资、结息、自动还款、代扣等）`,
    definition: rule((ctx) => is('txn_count_90d', '>=', ctx.settings.tags.activeTxn90d)),
  },
  {
    id: 'sys.low_activity', name: '低活跃客户', category: '行为',
    description: (ctx) => `近 90 天主动交易不超过 ${ctx.settings.tags.lowActivityTxn90d} 笔，但尚未沉睡（${ctx.settings.lifecycle.dormantDays} 天内有主动交易）`,
    definition: rule((ctx) =>
      all(is('txn_count_90d', '<=', ctx.settings.tags.lowActivityTxn90d), is('days_since_last_active_txn', '<', ctx.settings.lifecycle.dormantDays)),
    ),
  },
  {
    id: 'sys.recent_contact', name: '近30天已联系', category: '行为',
    description: (ctx) => `近 ${ctx.settings.tags.recentContactDays} 天有客户经理拜访或电话联系（营销防打扰）`,
    definition: predicate('contacted:visit+call', (ctx) => sql.contactedWithin(ctx, ['visit', 'call'], ctx.settings.tags.recentContactDays)),
  },
  {
    id: 'sys.event_participant', name: '参加过社区活动', category: '行为',
    description: text('近 12 个月参加过网点或社区活动'),
    definition: predicate('contacted:event:365d', (ctx) => sql.contactedWithin(ctx, ['event'], 365)),
  },

  // 渠道偏好 ------------------------------------------------------------------------------------------
  {
    id: 'sys.mobile_active', name: '手机银行活跃', category: '渠道偏好',
    description: text('近 30 天有本人发起的手机银行交易（月活）'),
    definition: predicate('mobile-active-30d', sql.mobileActive),
  },
  {
    id: 'sys.mobile_preferred', name: '线上渠道偏好', category: '渠道偏好',
    description: (ctx) => `本人发起的交易中手机银行占 ${ctx.settings.tags.mobilePreferredPct}% 以上`,
    definition: rule((ctx) => is('mobile_share', '>=', ctx.settings.tags.mobilePreferredPct / 100)),
  },
  {
    id: 'sys.counter_preferred', name: '偏好柜面', category: '渠道偏好',
    description: (ctx) => `本人发起的交易中柜面占 ${ctx.settings.tags.counterPreferredPct}% 以上`,
    definition: rule((ctx) => is('counter_share', '>=', ctx.settings.tags.counterPreferredPct / 100)),
  },
  {
    id: 'sys.atm_frequent', name: 'ATM常用', category: '渠道偏好',
    description: (ctx) => `本人发起的交易中 ATM 占 ${ctx.settings.tags.atmFrequentPct}% 以上`,
    definition: rule((ctx) => is('atm_share', '>=', ctx.settings.tags.atmFrequentPct / 100)),
  },
  {
    id: 'sys.no_mobile', name: '未使用手机银行', category: '渠道偏好',
    description: text('未开通手机银行，且近 12 个月没有本人发起的手机银行交易（手机银行拓客对象）'),
    definition: predicate('no-mobile-12m', sql.noMobile),
  },

  // 产品持有 ------------------------------------------------------------------------------------------
  {
    id: 'sys.multi_product', name: '多产品客户', category: '产品持有',
    description: (ctx) => `持有 ${ctx.settings.tags.multiProductCategories} 类及以上产品`,
    definition: rule((ctx) => is('category_count', '>=', ctx.settings.tags.multiProductCategories)),
  },
  {
    id: 'sys.single_product', name: '单一产品客户', category: '产品持有',
    description: text('只持有 1 个产品'),
    definition: rule(() => is('product_count', '=', 1)),
  },
  {
    id: 'sys.payroll', name: '代发工资客户', category: '产品持有',
    description: text('持有代发工资服务，或近 3 个月有工资入账'),
    definition: predicate('payroll', sql.payroll),
  },
  holds('sys.mortgage', '有房贷', ['mortgage'], '个人住房贷款'),
  holds('sys.consumer_loan', '有消费贷', ['consumer_loan'], '消费贷款'),
  holds('sys.business_loan', '有经营贷', ['business_loan'], '经营贷款'),
  holds('sys.credit_card', '信用卡客户', ['credit_card'], '信用卡'),
  holds('sys.wealth', '理财客户', ['wealth'], '理财产品'),
  holds('sys.fund', '基金客户', ['fund'], '基金'),
  holds('sys.insurance', '保险客户', ['insurance'], '代销保险'),
  holds('sys.pension', '养老金客户', ['pension'], '个人养老金产品（资金账户或养老目标基金）'),
  holds('sys.time_deposit', '定期存款客户', ['time_deposit'], '定期存款或大额存单'),
  {
    id: 'sys.wealth_matured', name: '理财到期未续', category: '产品持有',
    description: (ctx) => `近 ${ctx.settings.tags.wealthMaturedDays} 天有理财到期或赎回结清，此后没有再购买理财`,
    definition: predicate('wealth-matured-not-renewed', (ctx) => sql.wealthMaturedNotRenewed(ctx, ctx.settings.tags.wealthMaturedDays)),
  },

  // 风险 ----------------------------------------------------------------------------------------------
  {
    id: 'sys.risk_expired', name: '风险测评过期', category: '风险',
    description: (ctx) => `有风险承受等级，但数据日前 ${ctx.settings.suitability.riskAssessmentValidMonths} 个月内没有测评记录（测评日期缺失也算过期）`,
    definition: rule((ctx) =>
      all(
        is('risk_level', 'is_null', false),
        { not: is('risk_assessed_at', 'between', [addMonths(ctx.asOf, -ctx.settings.suitability.riskAssessmentValidMonths), ctx.asOf]) },
      ),
    ),
  },
  {
    id: 'sys.risk_missing', name: '未做风险测评', category: '风险',
    description: text('没有风险承受等级'),
    definition: rule(() => is('risk_level', 'is_null', true)),
  },
  {
    id: 'sys.risk_conservative', name: '保守/稳健型客户', category: '风险',
    description: text('风险承受等级 C1–C2（保守型、稳健型）'),
    definition: rule(() => is('risk_level', 'in', ['C1', 'C2'])),
  },
  {
    id: 'sys.risk_aggressive', name: '成长/进取型客户', category: '风险',
    description: text('风险承受等级 C4–C5（成长型、进取型）'),
    definition: rule(() => is('risk_level', 'in', ['C4', 'C5'])),
  },
  {
    id: 'sys.complaint', name: '有投诉', category: '风险',
    description: text('近 12 个月有投诉记录'),
    definition: rule(() => is('complaints_12m', '>=', 1)),
  },
  {
    id: 'sys.churn_risk', name: '流失风险', category: '风险',
    description: (ctx) => `最近一次流失预警中流失风险为高（流失概率不低于 ${formatThreshold(ctx.settings.churn.highBand)}）；已流失、沉睡的客户不在预警范围内，不打此标签；未做流失评分时为空`,
    definition: predicate('churn-band-high', sql.churnHigh),
  },
  {
    id: 'sys.suitability_mismatch', name: '持仓风险超出测评等级', category: '风险',
    description: text('持有风险等级高于本人风险承受能力的产品（如 C2 客户持有 R3 产品）'),
    definition: predicate('suitability-mismatch', sql.suitabilityMismatch),
  },
  {
    id: 'sys.high_leverage', name: '高负债客户', category: '风险',
    description: text('贷款余额不低于资产'),
    definition: rule(() => is('loan_share', '>=', 1)),
  },

  // 生命周期 ------------------------------------------------------------------------------------------
  {
    id: 'sys.new_account', name: '新开户客户', category: '生命周期',
    description: (ctx) => `数据日前 ${ctx.settings.lifecycle.newMonths} 个月内开户`,
    definition: rule((ctx) => all(is('open_date', '>', addMonths(ctx.asOf, -ctx.settings.lifecycle.newMonths)), is('open_date', '<=', ctx.asOf))),
  },
  {
    id: 'sys.growing', name: '成长期客户', category: '生命周期',
    description: text('生命周期阶段为成长期'),
    definition: rule(() => is('lifecycle_stage', '=', 'growing')),
  },
  {
    id: 'sys.declining', name: '衰退期客户', category: '生命周期',
    description: text('生命周期阶段为衰退期'),
    definition: rule(() => is('lifecycle_stage', '=', 'declining')),
  },
  {
    // The lifecycle stage itself, so the tag and the stage never disagree (issue #13: 181 tagged, 159 沉睡).
    id: 'sys.dormant', name: '沉睡客户', category: '生命周期',
    description: (ctx) =>
      `生命周期阶段为沉睡：${ctx.settings.lifecycle.dormantDays} 天以上没有本人发起的交易（代发工资、结息、自动还款、代扣不算），且开户已满 ${ctx.settings.lifecycle.dormantDays} 天；已流失的客户见“已流失客户”`,
    definition: rule(() => is('lifecycle_stage', '=', 'dormant')),
  },
  {
    id: 'sys.churned', name: '已流失客户', category: '生命周期',
    description: text('生命周期阶段为流失'),
    definition: rule(() => is('lifecycle_stage', '=', 'churned')),
  },
  {
    id: 'sys.pre_retirement', name: '临近退休', category: '生命周期',
    description: (ctx) => `数据日年龄 ${ctx.settings.tags.preRetirementAge}–${ctx.settings.tags.seniorAge - 1} 周岁（养老规划的窗口期）`,
    definition: rule((ctx) => is('age', 'between', [ctx.settings.tags.preRetirementAge, ctx.settings.tags.seniorAge - 1])),
  },

  // 价值 ----------------------------------------------------------------------------------------------
  {
    id: 'sys.high_net_worth', name: '高净值客户', category: '价值',
    description: (ctx) => `价值层级为${VALUE_TIER_LABELS.wealth}或${VALUE_TIER_LABELS.private}（近 3 个月日均资产不少于 ${wan(ctx.settings.tiers.wealth)}）`,
    definition: rule(() => is('value_tier', 'in', ['wealth', 'private'])),
  },
  {
    id: 'sys.private_banking', name: '私行客户', category: '价值',
    description: (ctx) => `价值层级为私行（近 3 个月日均资产不少于 ${wan(ctx.settings.tiers.private)}）`,
    definition: rule(() => is('value_tier', '=', 'private')),
  },
  {
    id: 'sys.rfm_important_value', name: '重要价值客户', category: '价值',
    description: text('RFM 分类为重要价值：近期活跃、交易频繁、资产高'),
    definition: rule(() => is('rfm_class', '=', 'important_value')),
  },
  {
    id: 'sys.rfm_important_develop', name: '重要发展客户', category: '价值',
    description: text('RFM 分类为重要发展：近期活跃、资产高，但交易不多'),
    definition: rule(() => is('rfm_class', '=', 'important_develop')),
  },
  {
    id: 'sys.rfm_important_retain', name: '重要保持客户', category: '价值',
    description: text('RFM 分类为重要保持：资产高、交易频繁，但近期不活跃'),
    definition: rule(() => is('rfm_class', '=', 'important_retain')),
  },
  {
    id: 'sys.rfm_important_winback', name: '重要挽留客户', category: '价值',
    description: text('RFM 分类为重要挽留：资产高，但近期不活跃、交易少'),
    definition: rule(() => is('rfm_class', '=', 'important_winback')),
  },
  {
    id: 'sys.potential', name: '潜力客户', category: '价值',
    description: (ctx) => `金卡客户，近 6 个月资产增长不少于 ${ctx.settings.lifecycle.growthPct}%（有望升入财富层级）`,
    definition: rule((ctx) => all(is('value_tier', '=', 'affluent'), is('aum_change_pct_6m', '>=', ctx.settings.lifecycle.growthPct))),
  },
];

const byId = new Map(SYSTEM_TAGS.map((tag) => [tag.id, tag]));

export function systemTag(id: string): SystemTag | undefined {
  return byId.get(id);
}
