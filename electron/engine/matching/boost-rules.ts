/**
 * The seed's cross-sell and life-stage rules (issue #9 §2): each names the customers it is for and the
 * products it favours, and carries the sentence a relationship manager says aloud. A rule that fires raises
 * the product's score by its boost (settings.matching.rules; the lever of score.ts). Conditions are fixed
 * here, read on the scoring date (the latest values, as a manager would read them); the branch turns rules
 * on or off and sets their weights.
 *
 * - 代发工资客户 → 理财 (工资理财);  信用卡客户 → 理财;  有贷款 → 保险;
 * - 高净值（财富及以上层级）→ 中高风险理财、基金（R3 及以上，或起购 5 万元以上）;
 * - 年轻（18–30 岁）→ 信用卡、消费贷;  中年（35–55 岁）有房贷 → 保险、养老;
 * - 退休（60 岁及以上，或职业为退休人员）→ 养老金融、定期存款.
 */
import type { MatchRuleId, MatchingSettings } from '../../../shared/matching';
import type { EligibilityProduct } from './eligibility';

export interface RuleCustomer {
  age: number | null;
  /** value_tier code of the scoring's analysis: mass / affluent / wealth / private. */
  tier: string | null;
  occupation: string | null;
  holds: (category: string) => boolean;
}

export interface BoostRule {
  readonly id: MatchRuleId;
  /** The reason shown beside the recommendation. */
  readonly reason: string;
  readonly applies: (customer: RuleCustomer) => boolean;
  readonly favours: (product: EligibilityProduct) => boolean;
}

const LOANS = ['consumer_loan', 'mortgage', 'business_loan'];
const inCategories = (...categories: string[]) => (p: EligibilityProduct) => categories.includes(p.category);
const between = (age: number | null, from: number, to: number) => age !== null && age >= from && age <= to;

export const BOOST_RULES: readonly BoostRule[] = [
  { id: 'payroll_wealth', reason: '代发工资客户，适合工资理财', applies: (c) => c.holds('payroll'), favours: inCategories('wealth') },
  { id: 'card_wealth', reason: '信用卡客户，可配置稳健理财', applies: (c) => c.holds('credit_card'), favours: inCategories('wealth') },
  { id: 'loan_insurance', reason: '有贷款在身，可配置保险保障', applies: (c) => LOANS.some((l) => c.holds(l)), favours: inCategories('insurance') },
  {
    id: 'hnw_invest',
    reason: '高净值客户，适合中高端投资产品',
    applies: (c) => c.tier === 'wealth' || c.tier === 'private',
    favours: (p) => (p.category === 'wealth' || p.category === 'fund') && ((p.riskRating ?? 0) >= 3 || (p.minAmount ?? 0) >= 50_000),
  },
  { id: 'young_credit', reason: '年轻客户，适合信用卡和消费贷', applies: (c) => between(c.age, 18, 30), favours: inCategories('credit_card', 'consumer_loan') },
  { id: 'midlife_protection', reason: '中年有房贷，适合保险和养老规划', applies: (c) => between(c.age, 35, 55) && c.holds('mortgage'), favours: inCategories('insurance', 'pension') },
  {
    id: 'retiree_pension',
    reason: '退休客户，适合养老金融和定期存款',
    applies: (c) => (c.age !== null && c.age >= 60) || c.occupation === '退休人员',
    favours: inCategories('pension', 'time_deposit'),
  },
];

export interface FiredRules {
  /** Σ boosts of the rules that fire. */
  boost: number;
  reasons: string[];
}

/** The enabled rules with their boosts, as the settings have them. */
export function activeRules(settings: MatchingSettings): { rule: BoostRule; boost: number }[] {
  return BOOST_RULES.flatMap((rule) => {
    const setting = settings.rules[rule.id];
    return setting.enabled && setting.boost > 0 ? [{ rule, boost: setting.boost }] : [];
  });
}

/** The rules of `customer` that favour `product`. */
export function firedRules(active: readonly { rule: BoostRule; boost: number }[], applying: readonly boolean[], product: EligibilityProduct): FiredRules {
  let boost = 0;
  const reasons: string[] = [];
  active.forEach(({ rule, boost: b }, k) => {
    if (applying[k] && rule.favours(product)) {
      boost += b;
      reasons.push(rule.reason);
    }
  });
  return { boost, reasons };
}
