/**
 * The eligibility rules of issue #9 §1, one by one, on hand-made customers and products; then the loader on
 * a small workspace (what a customer could move, what he holds, on which day).
 */
import { describe, expect, it } from 'vitest';
import {
  allowedRiskRating,
  eligibilityRules,
  judgeEligibility,
  loadEligibilityCustomers,
  loadProducts,
  type EligibilityCustomer,
  type EligibilityProduct,
  type EligibilityRules,
} from '../../../electron/engine/matching/eligibility';
import { openWorkspace } from '../../../electron/engine/db/workspace';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { tempDir } from '../../support/temp';

const rules: EligibilityRules = { asOf: '2026-10-31', riskAssessmentValidMonths: 12, elderlyAge: 65 };

const customer = (over: Partial<EligibilityCustomer> = {}): EligibilityCustomer => ({
  customerId: 'C1',
  riskLevel: 3,
  riskAssessedAt: '2026-03-15',
  birthDate: '1980-05-20',
  investable: 200_000,
  held: new Set(),
  ...over,
});

const product = (over: Partial<EligibilityProduct> = {}): EligibilityProduct => ({
  productId: 'LC',
  name: '稳健理财',
  category: 'wealth',
  riskRating: 2,
  minAmount: 10_000,
  minAge: 18,
  maxAge: null,
  active: true,
  ...over,
});

describe('suitability: product Rk only for customer level Cj with k ≤ j', () => {
  it('follows the standard matrix for every level and rating', () => {
    for (let level = 1; level <= 5; level++) {
      for (let rating = 1; rating <= 5; rating++) {
        const verdict = judgeEligibility(customer({ riskLevel: level }), product({ riskRating: rating }), rules);
        expect(verdict.eligible, `C${level} R${rating}`).toBe(rating <= level);
        if (rating > level) expect(verdict).toMatchObject({ code: 'above_risk_level', reason: `产品风险等级 R${rating} 高于客户风险承受等级 C${level}` });
      }
    }
  });

  it('never sells 理财 above the level, whatever else the customer has', () => {
    const rich = customer({ riskLevel: 2, investable: 50_000_000 });
    expect(judgeEligibility(rich, product({ riskRating: 3 }), rules).eligible).toBe(false);
  });

  it('applies no risk rule outside the investment families (deposits, loans, cards), rated or not', () => {
    const unassessed = customer({ riskLevel: null, riskAssessedAt: null });
    expect(judgeEligibility(unassessed, product({ category: 'credit_card', riskRating: null, minAmount: 0 }), rules).eligible).toBe(true);
    // Berka's register rates its cards and loans R2: still not sold on a risk questionnaire.
    expect(judgeEligibility(unassessed, product({ category: 'credit_card', riskRating: 2, minAmount: 0 }), rules).eligible).toBe(true);
    expect(judgeEligibility(customer({ riskLevel: 1 }), product({ category: 'consumer_loan', riskRating: 2, minAmount: 1000 }), rules).eligible).toBe(true);
    expect(judgeEligibility(unassessed, product({ category: 'insurance', riskRating: 2, minAmount: 0 }), rules).code).toBe('no_assessment');
  });

  it('excludes an investment product without a risk rating: unknown risk is not low risk', () => {
    const verdict = judgeEligibility(customer({ riskLevel: 5 }), product({ category: 'fund', riskRating: null }), rules);
    expect(verdict).toMatchObject({ eligible: false, code: 'unrated' });
  });
});

describe('no valid assessment: R1 only, with the real number of months', () => {
  it('allows only R1 without a level', () => {
    const none = customer({ riskLevel: null, riskAssessedAt: null });
    expect(judgeEligibility(none, product({ riskRating: 1, minAmount: 0 }), rules).eligible).toBe(true);
    expect(judgeEligibility(none, product({ riskRating: 2 }), rules)).toMatchObject({ eligible: false, code: 'no_assessment' });
  });

  it('allows only R1 without an assessment date, or with one that cannot be read', () => {
    expect(judgeEligibility(customer({ riskAssessedAt: null }), product(), rules)).toMatchObject({ eligible: false, code: 'no_assessment' });
    expect(judgeEligibility(customer({ riskAssessedAt: '去年三月' }), product(), rules)).toMatchObject({ eligible: false, code: 'no_assessment' });
  });

  it('counts an assessment valid for 12 months up to the same day, and says how long ago an expired one was', () => {
    expect(judgeEligibility(customer({ riskAssessedAt: '2025-10-31' }), product(), rules).eligible).toBe(true);
    const expired = judgeEligibility(customer({ riskAssessedAt: '2024-08-10' }), product(), rules);
    expect(expired).toMatchObject({ eligible: false, code: 'assessment_expired' });
    expect(expired.reason).toBe('风险测评已过期（距上次测评 26 个月），请先重新测评');
    // A day past the year: 12 whole months, but over the validity.
    const justOver = judgeEligibility(customer({ riskAssessedAt: '2025-10-30' }), product(), rules);
    expect(justOver.reason).toBe('风险测评已过期（距上次测评已超过 12 个月），请先重新测评');
    expect(judgeEligibility(customer({ riskAssessedAt: '2025-10-20' }), product(), { ...rules, asOf: '2026-10-20' }).eligible).toBe(true);
  });

  it('follows the configured validity', () => {
    const sixMonths = { ...rules, riskAssessmentValidMonths: 6 };
    expect(judgeEligibility(customer({ riskAssessedAt: '2026-03-15' }), product(), sixMonths).code).toBe('assessment_expired');
    expect(allowedRiskRating(customer({ riskAssessedAt: '2026-06-01', riskLevel: 4 }), sixMonths).max).toBe(4);
  });

  it('still allows R1 products with an expired assessment', () => {
    expect(judgeEligibility(customer({ riskAssessedAt: '2020-01-01' }), product({ riskRating: 1 }), rules).eligible).toBe(true);
  });
});

describe('age', () => {
  it('keeps the product age limits, on the as-of date', () => {
    const limited = product({ minAge: 18, maxAge: 65 });
    expect(judgeEligibility(customer({ birthDate: '2008-11-01' }), limited, rules)).toMatchObject({ code: 'too_young', reason: '客户 17 岁，低于产品最低年龄 18 岁' });
    expect(judgeEligibility(customer({ birthDate: '2008-10-31' }), limited, rules).eligible).toBe(true);
    expect(judgeEligibility(customer({ birthDate: '1960-01-01' }), limited, rules)).toMatchObject({ code: 'too_old', reason: '客户 66 岁，高于产品最高年龄 65 岁' });
    expect(judgeEligibility(customer({ birthDate: null }), limited, rules)).toMatchObject({ code: 'age_unknown' });
    expect(judgeEligibility(customer({ birthDate: null }), product({ minAge: null, maxAge: null }), rules).eligible).toBe(true);
  });

  it('keeps customers of 65 or more eligible for R4/R5 but flags them for 加强提示 and 双录', () => {
    const senior = customer({ birthDate: '1961-10-31', riskLevel: 5 });
    const high = judgeEligibility(senior, product({ riskRating: 4, maxAge: null }), rules);
    expect(high).toMatchObject({ eligible: true, flags: ['65 岁以上客户购买高风险产品，需加强提示并双录'] });
    expect(judgeEligibility(senior, product({ riskRating: 3, maxAge: null }), rules).flags).toEqual([]);
    expect(judgeEligibility(customer({ birthDate: '1961-11-01', riskLevel: 5 }), product({ riskRating: 5, maxAge: null }), rules).flags).toEqual([]);
    expect(judgeEligibility(senior, product({ riskRating: 4, maxAge: null }), { ...rules, elderlyAge: 70 }).flags).toEqual([]);
  });
});

describe('amount, holdings and sale status', () => {
  it('needs the minimum amount within what the customer could move, for money invested only', () => {
    const verdict = judgeEligibility(customer({ investable: 57_400 }), product({ minAmount: 200_000, riskRating: 1, category: 'time_deposit' }), rules);
    expect(verdict).toMatchObject({ code: 'below_min_amount', reason: '起购金额 20.00 万元，高于客户近3个月日均存款 5.74 万元' });
    const byAum = judgeEligibility(customer({ investable: 57_400 }), product({ minAmount: 200_000 }), { ...rules, amountBasis: 'aum_avg_3m' });
    expect(byAum.reason).toContain('近3个月日均资产 5.74 万元');
    expect(judgeEligibility(customer({ investable: null }), product(), rules).code).toBe('below_min_amount');
    // A loan's minimum is a loan size, not money the customer needs.
    expect(judgeEligibility(customer({ investable: 0 }), product({ category: 'consumer_loan', riskRating: null, minAmount: 1000 }), rules).eligible).toBe(true);
  });

  it('excludes products held now and products off sale, before any other rule', () => {
    expect(judgeEligibility(customer({ held: new Set(['LC']) }), product(), rules)).toMatchObject({ code: 'held', reason: '客户已持有该产品' });
    expect(judgeEligibility(customer({ riskLevel: 1 }), product({ active: false }), rules)).toMatchObject({ code: 'inactive', reason: '产品已停售' });
  });

  it('builds the rules from the settings', () => {
    expect(eligibilityRules(DEFAULT_SETTINGS, '2026-10-31')).toEqual({ asOf: '2026-10-31', riskAssessmentValidMonths: 12, elderlyAge: 65, amountBasis: 'deposit_avg_3m' });
  });
});

describe('loading the facts from a workspace', () => {
  it('reads levels, dates, the 3-month mean of deposits or AUM, and the products held on the day', () => {
    const db = openWorkspace(`${tempDir('bpw-eligibility-')}/w.bpw`, { create: true });
    try {
      db.exec(`
        INSERT INTO products (product_id, name, category, risk_rating, min_amount, min_age, max_age, active) VALUES
          ('LC', '理财', 'wealth', 'R2', 10000, 18, NULL, 1), ('OLD', '停售', 'wealth', 'R2', 10000, NULL, NULL, 0), ('CARD', '信用卡', 'credit_card', NULL, 0, 18, 65, 1);
        INSERT INTO customers (customer_id, risk_level, risk_assessed_at, birth_date) VALUES ('A', 'C3', '2026-01-02', '1980-01-01'), ('B', NULL, NULL, NULL);
        INSERT INTO balances (customer_id, month, aum, deposit) VALUES
          ('A', '2026-07', 500, 100), ('A', '2026-08', 900, 300), ('A', '2026-09', 900, NULL), ('A', '2026-10', 1200, 600), ('B', '2026-10', 50, 50);
        INSERT INTO holdings (customer_id, product_id, opened_at, closed_at) VALUES
          ('A', 'LC', '2026-10-31', NULL), ('A', 'CARD', '2020-01-01', '2026-10-31'), ('B', 'CARD', '2026-11-01', NULL);
      `);
      const facts = loadEligibilityCustomers(db, '2026-10-31', undefined, 'deposit_avg_3m');
      const a = facts.get('A')!;
      expect(a).toMatchObject({ riskLevel: 3, riskAssessedAt: '2026-01-02', birthDate: '1980-01-01' });
      // Months 08–10: deposits 300, (no split: AUM 900), 600.
      expect(a.investable).toBeCloseTo(600, 9);
      expect([...a.held]).toEqual(['LC']);
      expect(facts.get('B')).toMatchObject({ riskLevel: null, investable: 50 });
      expect([...facts.get('B')!.held]).toEqual([]);
      expect(loadEligibilityCustomers(db, '2026-10-31', ['A'], 'aum_avg_3m').get('A')!.investable).toBeCloseTo(1000, 9);
      expect(loadEligibilityCustomers(db, '2026-10-31', ['B']).size).toBe(1);
      expect(loadProducts(db).map((p) => [p.productId, p.riskRating, p.active])).toEqual([
        ['CARD', null, true],
        ['LC', 2, true],
        ['OLD', 2, false],
      ]);
    } finally {
      db.close();
    }
  });
});
