/**
 * Suggested activities of a community: the rules of the rule table (shared/community-rules.ts, kept in
 * settings) whose conditions all hold, in table order, each with the measured evidence as its reason and its
 * target customers as a rule of the DSL within the community.
 */
import { CONDITION_MEASURE_INFO, conditionLabel, familyLabel, type ActivityRule, type RuleConditionDef } from '../../../shared/community-rules';
import type { ActivitySuggestion, CommunityMeasures, CommunityUnit, SuggestionEvidence } from '../../../shared/community-types';
import { formatCount, formatShare, formatWan } from '../../../shared/glossary';
import { communityAudience, type PreparedAudience } from './audience';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The value of a condition's measure for a unit; `product_gap` needs the branch. */
export function measureValue(m: CommunityMeasures, branch: CommunityMeasures, condition: Pick<RuleConditionDef, 'measure' | 'family'>): number | null {
  const family = condition.family;
  switch (condition.measure) {
    case 'penetration':
      return m.penetration;
    case 'age60_share':
      return m.age60Share;
    case 'resident_age60_share':
      return m.residentAge60Share;
    case 'young_family_share':
      return m.demographics.youngFamilyShare;
    case 'student_share':
      return m.demographics.studentShare;
    case 'sme_share':
      return m.demographics.smeShare;
    case 'worker_share':
      return m.demographics.workerShare;
    case 'salaried_share':
      return m.demographics.salariedShare;
    case 'aum_per_customer':
      return m.aumPerCustomer;
    case 'aum_per_household':
      return m.aumPerHousehold;
    case 'avg_house_price':
      return m.avgHousePrice;
    case 'churn_high_share':
      return m.churnHighShare;
    case 'active_share':
      return m.activeShare;
    case 'contacted_share':
      return m.coverage.contactedShare;
    case 'product_penetration':
      return family ? (m.products[family]?.penetration ?? null) : null;
    case 'product_gap': {
      const own = family ? m.products[family]?.penetration : null;
      const all = family ? branch.products[family]?.penetration : null;
      return isNum(own) && isNum(all) ? all - own : null;
    }
  }
}

/** The evidence of one condition, or null when the condition does not hold or cannot be tested. */
function evaluate(condition: RuleConditionDef, unit: CommunityMeasures, branch: CommunityMeasures): SuggestionEvidence | null {
  const value = measureValue(unit, branch, condition);
  const branchValue = measureValue(branch, branch, condition);
  const threshold = condition.value ?? (isNum(branchValue) && condition.vsBranch !== undefined ? branchValue * condition.vsBranch : null);
  if (!isNum(value) || !isNum(threshold)) return null;
  if (condition.op === '>=' ? value < threshold : value > threshold) return null;
  const unitKind = CONDITION_MEASURE_INFO[condition.measure].unit;
  if (condition.measure === 'product_gap' && condition.family) {
    // A gap reads best as the two rates: 个人养老金持有率 9.0%，全行 23.0%.
    const family = condition.family;
    return { label: `${familyLabel(family)}持有率`, unit: 'pct', community: unit.products[family]?.penetration ?? null, branch: branch.products[family]?.penetration ?? null, threshold, op: condition.op };
  }
  return { label: conditionLabel(condition), unit: unitKind, community: value, branch: branchValue, threshold, op: condition.op };
}

function show(value: number | null, unit: SuggestionEvidence['unit']): string {
  if (!isNum(value)) return '无数据';
  if (unit === 'pct') return formatShare(value);
  if (unit === 'wan') return `${formatWan(value)} 万元`;
  return `${formatCount(value)} 元/㎡`;
}

export function evidenceText(e: SuggestionEvidence): string {
  return `${e.label} ${show(e.community, e.unit)}，全行 ${show(e.branch, e.unit)}`;
}

export interface SuggestionContext {
  branch: CommunityUnit;
  /** The rule table's audiences, prepared against the customer catalog once per request (by rule id). */
  audiences: ReadonlyMap<string, PreparedAudience>;
}

export function suggestActivities(unit: CommunityUnit, rules: readonly ActivityRule[], context: SuggestionContext): ActivitySuggestion[] {
  const suggestions: ActivitySuggestion[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const evidence = rule.when.map((c) => evaluate(c, unit.measures, context.branch.measures));
    if (evidence.some((e) => e === null)) continue;
    const held = evidence as SuggestionEvidence[];
    const prepared = context.audiences.get(rule.id) ?? { rule: null, note: '目标客户规则未准备' };
    const stored = unit.targets[rule.id];
    const note = rule.note.trim();
    suggestions.push({
      ruleId: rule.id,
      activity: rule.activity,
      goal: rule.goal,
      family: rule.family ?? null,
      reason: `${note ? `${note}：` : ''}本社区${held.map(evidenceText).join('；')}`,
      evidence: held,
      audience: communityAudience(unit.id, prepared.rule ?? rule.audience),
      targetSize: stored && stored.audience === JSON.stringify(rule.audience) ? stored.size : null,
      audienceNote: prepared.note,
      budget: rule.budget,
      signupRate: rule.signupRate,
      conversionRate: rule.conversionRate,
    });
  }
  return suggestions;
}
