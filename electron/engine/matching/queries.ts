/**
 * Product matching's reads (query worker): the overview (model cards, the held-out check, the latest
 * scoring with its suitability audit, co-holding rules), a product's customer list and one customer's
 * matches with the products ruled out and why.
 */
import type { ParsedRequestOf } from '../../../shared/api';
import type { ContactStatus, CustomerMatches, MatchExclusion, MatchingOverview, MatchRecommendation, ProductListPage } from '../../../shared/matching';
import type { Db } from '../db/workspace';
import { dayNumber } from '../analytics/dates';
import { readSettings } from '../settings-store';
import { eligibilityRules, judgeEligibility, loadEligibilityCustomers, loadProducts } from './eligibility';
import { categoryLabel } from './families';
import { latestScoringRun, latestTrainingRun } from './model-store';
import { productListPage } from './product-list';

export function matchingOverview(db: Db): MatchingOverview {
  const scoring = latestScoringRun(db);
  return { training: latestTrainingRun(db)?.summary ?? null, scoring: scoring?.summary ?? null, coHolding: scoring?.coHolding ?? [] };
}

export function productList(db: Db, request: ParsedRequestOf<'matching.productList'>): ProductListPage {
  return productListPage(db, request, request.after ?? null, request.limit);
}

interface RecRaw {
  product_id: string;
  name: string | null;
  category: string | null;
  risk_rating: string | null;
  rank: number;
  score: number;
  propensity: number | null;
  expected_value: number | null;
  reasons_json: string;
  flags_json: string;
}

/** One customer's recommendations in the latest run, the products on sale ruled out and why, and whether he may be contacted. */
export function customerMatches(db: Db, customerId: string): CustomerMatches | null {
  const run = latestScoringRun(db);
  if (!run) return null;
  const customer = db.prepare('SELECT consent_marketing, do_not_contact FROM customers WHERE customer_id = ?').get(customerId) as { consent_marketing: number | null; do_not_contact: number | null } | undefined;
  if (!customer) return null;
  const recommendations: MatchRecommendation[] = (
    db
      .prepare(
        `SELECT r.product_id, p.name, p.category, p.risk_rating, r.rank, r.score, r.propensity, r.expected_value, r.reasons_json, r.flags_json
         FROM recommendations r LEFT JOIN products p ON p.product_id = r.product_id
         WHERE r.run_id = ? AND r.customer_id = ? ORDER BY r.rank`,
      )
      .all(run.runId, customerId) as RecRaw[]
  ).map((r) => ({
    productId: r.product_id,
    name: r.name ?? r.product_id,
    category: r.category ?? '',
    categoryLabel: categoryLabel(r.category ?? ''),
    riskRating: r.risk_rating,
    rank: r.rank,
    score: r.score,
    propensity: r.propensity ?? 0,
    expectedValue: r.expected_value ?? 0,
    reasons: JSON.parse(r.reasons_json) as string[],
    flags: JSON.parse(r.flags_json) as string[],
  }));

  const settings = readSettings(db);
  const facts = loadEligibilityCustomers(db, run.asOf, [customerId], settings.suitability.amountBasis).get(customerId);
  const rules = eligibilityRules(settings, run.asOf);
  const excluded: MatchExclusion[] = facts
    ? loadProducts(db).flatMap((product) => {
        if (!product.active) return [];
        const verdict = judgeEligibility(facts, product, rules);
        return verdict.eligible || verdict.code === null ? [] : [{ productId: product.productId, name: product.name, code: verdict.code, reason: verdict.reason ?? '' }];
      })
    : [];
  return { customerId, runId: run.runId, asOf: run.asOf, recommendations, excluded, contact: contactStatus(db, customerId, run.asOf, customer, settings.campaigns.fatigueDays) };
}

/** 上次联系 N 天前 and whether the customer may be contacted for marketing, on the run's as-of date. */
export function contactStatus(
  db: Db,
  customerId: string,
  asOf: string,
  customer: { consent_marketing: number | null; do_not_contact: number | null },
  fatigueDays: number,
): ContactStatus {
  const last = (
    db
      .prepare(
        `SELECT max(d) AS d FROM (
           SELECT max(date) AS d FROM interactions WHERE customer_id = @id AND kind <> 'complaint' AND date <= @asOf
           UNION ALL SELECT max(substr(responded_at, 1, 10)) FROM campaign_responses WHERE customer_id = @id AND substr(responded_at, 1, 10) <= @asOf
         )`,
      )
      .get({ id: customerId, asOf }) as { d: string | null }
  ).d;
  const doNotContact = customer.do_not_contact === 1;
  const consentMarketing = customer.consent_marketing === null ? null : customer.consent_marketing === 1;
  const days = last === null ? null : dayNumber(asOf) - dayNumber(last);
  const notes: string[] = [];
  if (doNotContact) notes.push('客户要求勿扰，不做营销联系');
  if (consentMarketing === false) notes.push('客户未同意接收营销信息');
  if (consentMarketing === null) notes.push('未登记营销授权，联系前请先确认');
  if (days !== null && days <= fatigueDays) notes.push(`近 ${fatigueDays} 天内已联系过，注意联系频次`);
  return { mayContact: !doNotContact && consentMarketing === true, doNotContact, consentMarketing, lastContact: last, daysSinceContact: days, notes };
}
