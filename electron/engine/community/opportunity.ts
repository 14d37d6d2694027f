/**
 * The opportunity score of a community (issue #12 §2), in 元 of expected annual contribution so that its
 * three components add up in one unit:
 *
 *   拓户机会 = untapped households × household reach × expected AUM per household × AUM margin rate
 *   产品缺口 = Σ over families the community lags in: gap customers × gap closure × balance per holder × family margin
 *   流失扣减 = Σ churn probability × 3-month AUM × AUM margin rate (risk the churn warning already works on)
 *
 *   score = households weight × 拓户机会 + gaps weight × 产品缺口 − churn weight × 流失扣减
 *
 * Expected AUM per household blends the community's own AUM per customer with the branch's scaled by the
 * community's house price against the branch average, weighted by credibility n ÷ (n + k) for n customers:
 * a community with few customers leans on its house prices. A component without data is null, counts as 0 in
 * the score, and is named in `missing`. Every default is in settings (community.opportunity, value).
 */
import type { CommunityUnit, OpportunityScore, ProductGap } from '../../../shared/community-types';
import { PRODUCT_CATEGORIES, PRODUCT_CATEGORY_LABELS } from '../../../shared/dictionary';
import { formatCount, formatShare, formatWan } from '../../../shared/glossary';
import type { Settings } from '../../../shared/settings';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const pct = (share: number) => formatShare(share);
const wan = (yuan: number) => `${formatWan(yuan)} 万元`;

/** Every product family of the community against the branch, lagging families by value, then by points. */
export function productGaps(unit: CommunityUnit, branch: CommunityUnit, settings: Settings): ProductGap[] {
  const { gapClosure } = settings.community.opportunity;
  const gaps = PRODUCT_CATEGORIES.map((family): ProductGap => {
    const community = unit.measures.products[family]?.penetration ?? null;
    const branchRate = branch.measures.products[family]?.penetration ?? null;
    const gap = isNum(community) && isNum(branchRate) ? branchRate - community : null;
    const gapCustomers = gap !== null && gap > 0 ? Math.round(gap * unit.measures.customers) : 0;
    const basis = branch.familyBalances?.[family]?.perHolder ?? null;
    const margin = settings.value.marginRates[family] ?? 0;
    const value = gap === null ? null : gap <= 0 ? 0 : basis === null ? null : gapCustomers * gapClosure * basis * margin;
    return { family, label: PRODUCT_CATEGORY_LABELS[family], community, branch: branchRate, gap, gapCustomers, balanceBasis: basis, value };
  });
  return gaps.sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || (b.gap ?? -Infinity) - (a.gap ?? -Infinity));
}

function householdsComponent(unit: CommunityUnit, branch: CommunityUnit, settings: Settings): OpportunityScore['households'] {
  const { householdReach, credibilityCustomers, householdsWeight } = settings.community.opportunity;
  const m = unit.measures;
  const untapped = isNum(m.households) && m.households > 0 ? Math.max(0, m.households - m.customers) : null;
  const own = m.customers > 0 && isNum(m.aumPerCustomer) ? m.aumPerCustomer : null;
  const branchAum = branch.measures.aumPerCustomer;
  const byPrice =
    isNum(branchAum) && isNum(m.avgHousePrice) && isNum(branch.measures.avgHousePrice) && branch.measures.avgHousePrice > 0
      ? branchAum * (m.avgHousePrice / branch.measures.avgHousePrice)
      : null;
  let expected: number | null = null;
  let basis: OpportunityScore['households']['basis'] = null;
  let how = '';
  if (own !== null && byPrice !== null) {
    const weight = m.customers / (m.customers + credibilityCustomers);
    expected = weight * own + (1 - weight) * byPrice;
    basis = 'blend';
    how = `本社区户均资产 ${wan(own)} 与按房价折算的 ${wan(byPrice)} 按 ${pct(weight)} : ${pct(1 - weight)} 加权`;
  } else if (own !== null) {
    expected = own;
    basis = 'customers';
    how = `本社区客户户均资产 ${wan(own)}`;
  } else if (byPrice !== null) {
    expected = byPrice;
    basis = 'house_price';
    how = `全行户均资产按房价折算 ${wan(byPrice)}`;
  } else if (isNum(branchAum)) {
    expected = branchAum;
    basis = 'branch';
    how = `全行户均资产 ${wan(branchAum)}`;
  }
  if (untapped === null || expected === null) {
    const lacking = untapped === null ? '社区表缺少户数' : '没有资产数据';
    return { value: null, explain: lacking, untapped, expectedAumPerHousehold: expected, basis };
  }
  const rate = settings.value.aumMarginRate;
  const value = untapped * householdReach * expected * rate * householdsWeight;
  return {
    value,
    explain: `未覆盖住户 ${formatCount(untapped)} 户 × 年拓展比例 ${pct(householdReach)} × 预期户均资产 ${wan(expected)}（${how}）× 资产利润率 ${pct(rate)}`,
    untapped,
    expectedAumPerHousehold: expected,
    basis,
  };
}

function gapsComponent(items: ProductGap[], settings: Settings): OpportunityScore['gaps'] {
  const lagging = items.filter((g) => g.gap !== null && g.gap > 0);
  const valued = lagging.filter((g) => g.value !== null);
  const weight = settings.community.opportunity.gapsWeight;
  if (lagging.length > 0 && valued.length === 0) return { value: null, explain: '产品没有余额数据，无法估算缺口价值', items };
  const value = valued.reduce((sum, g) => sum + (g.value as number), 0) * weight;
  // Gaps worth less than 100 元 a year would read as 0.00 万元.
  const top = valued.filter((g) => (g.value as number) >= 100).slice(0, 3);
  const explain =
    lagging.length === 0
      ? '各类产品持有率均不低于全行'
      : `${lagging.length} 类产品持有率低于全行，按缺口客户数 × 年补缺比例 ${pct(settings.community.opportunity.gapClosure)} × 人均余额 × 产品利润率估算${top.length > 0 ? `；价值最大的是${top.map((g) => `${g.label}（${wan(g.value as number)}）`).join('、')}` : ''}`;
  return { value, explain, items };
}

function churnComponent(unit: CommunityUnit, settings: Settings): OpportunityScore['churn'] {
  const expected = unit.measures.expectedChurnAum;
  if (!isNum(expected)) return { value: null, explain: '尚未进行流失打分或没有资产数据', expectedChurnAum: null };
  const rate = settings.value.aumMarginRate;
  return {
    value: expected * rate * settings.community.opportunity.churnWeight,
    explain: `客户流失概率 × 近3个月日均资产之和 ${wan(expected)} × 资产利润率 ${pct(rate)}；这部分由流失预警和挽留工作承担，不算作社区拓展机会`,
    expectedChurnAum: expected,
  };
}

export function opportunityScore(unit: CommunityUnit, branch: CommunityUnit, settings: Settings, gaps: ProductGap[] = productGaps(unit, branch, settings)): OpportunityScore {
  const households = householdsComponent(unit, branch, settings);
  const gapPart = gapsComponent(gaps, settings);
  const churn = churnComponent(unit, settings);
  const missing: string[] = [];
  if (households.value === null) missing.push('拓户机会');
  if (gapPart.value === null) missing.push('产品缺口');
  if (churn.value === null) missing.push('流失扣减');
  return { score: (households.value ?? 0) + (gapPart.value ?? 0) - (churn.value ?? 0), households, gaps: gapPart, churn, missing };
}
