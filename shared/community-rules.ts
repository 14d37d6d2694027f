/**
 * The rule table of suggested community activities (社区活动建议规则表, issue #12 §2). Each rule says when
 * an activity fits a community (conditions over the community's measures, each against a fixed threshold or
 * against the branch), whom it targets (a customer rule of the rule DSL; the community is added when the
 * rule is applied) and what it is for (a campaign goal, the product family it sells, a budget and the
 * expected sign-up and conversion rates the plan sets its goals with).
 *
 * The table lives in settings (`community.activityRules`), so a branch edits thresholds, budgets and
 * audiences, turns rules off, or writes its own. Its order is the priority: where several rules fit a
 * community, the earlier one is suggested first.
 */
import { z } from 'zod';
import { PRODUCT_CATEGORIES, PRODUCT_CATEGORY_LABELS, type ProductCategory } from './dictionary';
import { ruleSchema, type RuleNode } from './rules';

/** Measures of a community a rule condition can test (see CommunityMeasures in community-types.ts). */
export const CONDITION_MEASURES = [
  'penetration',
  'age60_share',
  'resident_age60_share',
  'young_family_share',
  'student_share',
  'sme_share',
  'worker_share',
  'salaried_share',
  'aum_per_customer',
  'aum_per_household',
  'avg_house_price',
  'churn_high_share',
  'active_share',
  'contacted_share',
  'product_penetration',
  'product_gap',
] as const;
export type ConditionMeasure = (typeof CONDITION_MEASURES)[number];

/** How each measure reads in a reason; `pct` values are shares, `wan` amounts in 元 shown in 万元. */
export const CONDITION_MEASURE_INFO: Readonly<Record<ConditionMeasure, { label: string; labelEn: string; unit: 'pct' | 'wan' | 'yuan_per_m2' }>> = {
  penetration: { label: '住户渗透率', labelEn: 'Household penetration', unit: 'pct' },
  age60_share: { label: '60岁以上客户占比', labelEn: 'Customers aged 60+', unit: 'pct' },
  resident_age60_share: { label: '常住人口60岁以上占比', labelEn: 'Residents aged 60+', unit: 'pct' },
  young_family_share: { label: '年轻家庭客户占比', labelEn: 'Young-family customers', unit: 'pct' },
  student_share: { label: '学生客户占比', labelEn: 'Student customers', unit: 'pct' },
  sme_share: { label: '个体工商户和小微企业主占比', labelEn: 'Sole traders and SME owners', unit: 'pct' },
  worker_share: { label: '务工人员占比', labelEn: 'Workers', unit: 'pct' },
  salaried_share: { label: '工薪客户占比', labelEn: 'Salaried customers', unit: 'pct' },
  aum_per_customer: { label: '户均资产', labelEn: 'AUM per customer', unit: 'wan' },
  aum_per_household: { label: '户均资产（按住户）', labelEn: 'AUM per household', unit: 'wan' },
  avg_house_price: { label: '平均房价(元/㎡)', labelEn: 'Average house price', unit: 'yuan_per_m2' },
  churn_high_share: { label: '流失高风险客户占比', labelEn: 'High churn risk share', unit: 'pct' },
  active_share: { label: '活跃客户占比', labelEn: 'Active customers', unit: 'pct' },
  contacted_share: { label: '近期已联系客户占比', labelEn: 'Recently contacted', unit: 'pct' },
  product_penetration: { label: '持有率', labelEn: 'penetration', unit: 'pct' },
  product_gap: { label: '持有率低于全行', labelEn: 'penetration gap to branch', unit: 'pct' },
};

// One vocabulary of campaign goals: a community activity hands its goal to the campaign wizard as is.
export { CAMPAIGN_GOALS, CAMPAIGN_GOAL_LABELS, type CampaignGoal } from './campaigns';
import { CAMPAIGN_GOALS } from './campaigns';

export const conditionSchema = z
  .strictObject({
    measure: z.enum(CONDITION_MEASURES),
    /** The product family of `product_penetration` and `product_gap`. */
    family: z.enum(PRODUCT_CATEGORIES).optional(),
    op: z.enum(['>=', '<=']),
    /** A fixed threshold (shares as 0–1, amounts in 元). */
    value: z.number().finite().optional(),
    /** Or a threshold relative to the branch: the branch's value × this factor. */
    vsBranch: z.number().positive().max(100).optional(),
  })
  .refine((c) => (c.value === undefined) !== (c.vsBranch === undefined), { message: '每个条件需要且只能有一个阈值：固定值（value）或相对全行的倍数（vsBranch）' })
  .refine((c) => (c.measure === 'product_penetration' || c.measure === 'product_gap') === (c.family !== undefined), {
    message: '“持有率”和“持有率差距”条件需要指定产品类别（family），其他条件不需要',
  });
export type RuleConditionDef = z.infer<typeof conditionSchema>;

export const activityRuleSchema = z.strictObject({
  id: z.string().trim().min(1).max(40).regex(/^[\w-]+$/, '规则编号只能包含字母、数字、下划线和连字符'),
  enabled: z.boolean().default(true),
  /** The activity as the plan and the calendar name it: 反诈宣传讲座. */
  activity: z.string().trim().min(1, '请填写活动名称').max(40),
  /** Why the activity suits such a community, said once before the measured evidence. */
  note: z.string().max(200).default(''),
  /** Every condition must hold. */
  when: z.array(conditionSchema).min(1, '至少需要一个条件').max(6),
  /** The customers the activity targets, within the community (the community is added when applied). */
  audience: ruleSchema,
  /** The audience in words, for the settings table: 45–59 岁、尚未持有养老金产品的客户. */
  audienceLabel: z.string().max(100).default(''),
  goal: z.enum(CAMPAIGN_GOALS),
  /** The product family the activity sells, if any: its gap and value make the reason and the goal. */
  family: z.enum(PRODUCT_CATEGORIES).optional(),
  /** 元 per activity. */
  budget: z.number().min(0).max(10_000_000),
  /** Share of the target list expected to sign up, and of sign-ups expected to open a product. */
  signupRate: z.number().min(0).max(1),
  conversionRate: z.number().min(0).max(1),
});
export type ActivityRule = z.infer<typeof activityRuleSchema>;

const cond = (measure: ConditionMeasure, op: '>=' | '<=', threshold: { value: number } | { vsBranch: number }, family?: ProductCategory): RuleConditionDef =>
  ({ measure, op, ...threshold, ...(family ? { family } : {}) }) as RuleConditionDef;

const inCommunityOccupation = (values: string[]): RuleNode => ({ field: 'occupation', op: 'in', value: values });
const lacksTag = (tag: string): RuleNode => ({ not: { field: 'tag', op: 'has_tag', value: tag } });

/**
 * The default table. Thresholds are set so that a mid-sized city branch sees one to three suggestions per
 * community; audiences use the system tags (sys.*) where "does not hold X yet" matters, and those parts are
 * dropped with a note when tags have not been computed.
 */
export const DEFAULT_ACTIVITY_RULES: readonly ActivityRule[] = [
  {
    id: 'pension_talk', enabled: true, activity: '养老金融讲座',
    note: '老龄化社区，临近退休的客户需要养老规划',
    when: [cond('age60_share', '>=', { value: 0.25 }), cond('product_gap', '>=', { value: 0.03 }, 'pension')],
    audience: { all: [{ field: 'age', op: 'between', value: [45, 59] }, lacksTag('sys.pension')] },
    audienceLabel: '45–59 岁、尚未持有个人养老金产品的客户',
    goal: 'buy_product', family: 'pension', budget: 3000, signupRate: 0.2, conversionRate: 0.25,
  },
  {
    id: 'anti_fraud', enabled: true, activity: '反诈宣传讲座',
    note: '老年客户多，是电信诈骗的主要对象',
    when: [cond('age60_share', '>=', { value: 0.25 })],
    audience: { field: 'age', op: '>=', value: 60 },
    audienceLabel: '60 岁及以上的客户',
    goal: 'activate', budget: 1500, signupRate: 0.15, conversionRate: 0.05,
  },
  {
    id: 'merchant_roadshow', enabled: true, activity: '商户贷与收单路演',
    note: '个体工商户和小微企业主集中',
    when: [cond('sme_share', '>=', { value: 0.15 })],
    audience: { any: [{ field: 'customer_type', op: '=', value: 'sme_owner' }, inCommunityOccupation(['个体经营'])] },
    audienceLabel: '小微企业主和个体经营客户',
    goal: 'buy_product', family: 'business_loan', budget: 5000, signupRate: 0.2, conversionRate: 0.15,
  },
  {
    id: 'family_finance', enabled: true, activity: '亲子理财与教育金讲座',
    note: '年轻家庭多，子女教育金和家庭保障是刚需',
    when: [cond('young_family_share', '>=', { value: 0.4 })],
    audience: { all: [{ field: 'age', op: 'between', value: [28, 45] }, lacksTag('sys.time_deposit')] },
    audienceLabel: '28–45 岁、尚未持有定期存款的客户',
    goal: 'buy_product', family: 'time_deposit', budget: 3000, signupRate: 0.15, conversionRate: 0.2,
  },
  {
    id: 'campus_card', enabled: true, activity: '校园金融课与青年信用卡',
    note: '学生和刚工作的年轻人多，防范校园贷、办理首张信用卡',
    when: [cond('student_share', '>=', { value: 0.15 })],
    audience: { all: [{ field: 'age', op: 'between', value: [18, 30] }, lacksTag('sys.credit_card')] },
    audienceLabel: '18–30 岁、尚未持有信用卡的客户',
    goal: 'open_account', family: 'credit_card', budget: 2500, signupRate: 0.2, conversionRate: 0.2,
  },
  {
    id: 'worker_service', enabled: true, activity: '务工人员金融服务日',
    note: '务工人员集中，汇款、工资卡和防诈骗需求大',
    when: [cond('worker_share', '>=', { value: 0.3 })],
    audience: inCommunityOccupation(['工人', '自由职业']),
    audienceLabel: '工人和自由职业客户',
    goal: 'open_account', family: 'demand_deposit', budget: 2000, signupRate: 0.15, conversionRate: 0.1,
  },
  {
    id: 'payroll_drive', enabled: true, activity: '单位代发专场',
    note: '工薪客户多，代发工资是留住资金的基础',
    when: [cond('salaried_share', '>=', { value: 0.45 }), cond('product_penetration', '<=', { value: 0.5 }, 'payroll')],
    audience: { all: [inCommunityOccupation(['企业职员', '公务员/事业单位', '教师', '医护人员', '工人']), lacksTag('sys.payroll')] },
    audienceLabel: '工薪客户中尚未代发工资的',
    goal: 'open_account', family: 'payroll', budget: 2000, signupRate: 0.1, conversionRate: 0.3,
  },
  {
    id: 'wealth_salon', enabled: true, activity: '财富管理沙龙',
    note: '户均资产明显高于全行，适合做资产配置',
    when: [cond('aum_per_customer', '>=', { vsBranch: 1.3 })],
    audience: { field: 'value_tier', op: 'in', value: ['affluent', 'wealth', 'private'] },
    audienceLabel: '金卡及以上客户',
    goal: 'grow_assets', family: 'wealth', budget: 8000, signupRate: 0.15, conversionRate: 0.25,
  },
  {
    id: 'mobile_teaching', enabled: true, activity: '手机银行教学',
    note: '手机银行使用少，教会客户用手机办业务',
    when: [cond('product_gap', '>=', { value: 0.08 }, 'mobile_banking')],
    audience: lacksTag('sys.mobile_active'),
    audienceLabel: '手机银行不活跃的客户',
    goal: 'activate', family: 'mobile_banking', budget: 1000, signupRate: 0.15, conversionRate: 0.4,
  },
  {
    id: 'retention_visit', enabled: true, activity: '老客户回访与挽留',
    note: '流失高风险客户比例明显高于全行',
    when: [cond('churn_high_share', '>=', { vsBranch: 1.5 })],
    audience: { field: 'churn_band', op: '=', value: 'high' },
    audienceLabel: '流失风险为“高”的客户',
    goal: 'retain', budget: 1000, signupRate: 0.3, conversionRate: 0.3,
  },
  {
    id: 'household_finance', enabled: true, activity: '家庭理财讲座',
    note: '户均资产低于全行，大众客户多，资产还有提升空间',
    when: [cond('aum_per_customer', '<=', { vsBranch: 0.7 })],
    audience: { all: [{ field: 'age', op: 'between', value: [30, 59] }, { field: 'value_tier', op: '=', value: 'mass' }] },
    audienceLabel: '30–59 岁的大众客户',
    goal: 'grow_assets', family: 'wealth', budget: 2000, signupRate: 0.12, conversionRate: 0.15,
  },
  {
    id: 'service_day', enabled: true, activity: '社区金融服务日',
    note: '本行在社区的覆盖低于全行平均，先把服务送进社区',
    when: [cond('penetration', '<=', { vsBranch: 0.8 })],
    audience: { all: [] },
    audienceLabel: '社区全部客户',
    goal: 'open_account', family: 'demand_deposit', budget: 2000, signupRate: 0.1, conversionRate: 0.1,
  },
];

export function familyLabel(family: ProductCategory): string {
  return PRODUCT_CATEGORY_LABELS[family];
}

/** The measure of a condition as a reason names it: 60岁以上客户占比, 个人养老金持有率. */
export function conditionLabel(condition: Pick<RuleConditionDef, 'measure' | 'family'>): string {
  const info = CONDITION_MEASURE_INFO[condition.measure];
  if (condition.family) return `${familyLabel(condition.family)}${info.label}`;
  return info.label;
}
