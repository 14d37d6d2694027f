/**
 * Eligibility of a product for a customer (产品匹配 §1, DESIGN.md §4): hard rules, each recorded as the
 * reason when it fails, so a screen can say "why not". Product matching ranks only eligible products, and a
 * campaign for a product leaves out the customers this judges unsuitable, so both read the same rules.
 *
 * - Suitability (适当性): a product of risk Rk only for a customer of level Cj with k ≤ j. Bank 理财 is never
 *   sold above the customer's level, even on request, so there is no override.
 * - No level, or the last assessment older than `riskAssessmentValidMonths` as of the analysis date: R1
 *   products only, and the reason names the real number of months.
 * - The product's age limits; its minimum amount against what the customer could move (the 3-month average
 *   deposits by default, or the 3-month average AUM: settings.suitability.amountBasis); products held now
 *   and inactive products are excluded.
 * - An investment product (理财, 基金, 贵金属) without a risk rating cannot be matched to anyone's level, so
 *   it is excluded: unknown risk is never treated as low risk.
 * - Customers of `elderlyAge` or more matched with an R4/R5 product stay eligible but carry a flag: the 2026
 *   rule asks for 加强提示 and 双录, not a ban.
 *
 * The suitability matrix is for investment products (理财, 基金, 保险, 贵金属, 养老金融): deposits, loans,
 * cards and services (手机银行, 代发) are not sold on a risk questionnaire, even when a product register
 * gives them a rating (Berka's rates its cards R2), so the matrix does not apply to them; nor does the
 * minimum amount to loans, where it is a loan size.
 */
import type { Settings } from '../../../shared/settings';
import type { Db } from '../db/workspace';
import { addMonths, addMonthsToMonth, completedMonths, lastCompleteMonth, looksLikeDate, wholeYears } from '../analytics/dates';
import { formatWan, measureLabel } from '../../../shared/glossary';
import { readSettings } from '../settings-store';

export interface EligibilityCustomer {
  customerId: string;
  /** 1..5 for C1..C5; null when never assessed. */
  riskLevel: number | null;
  riskAssessedAt: string | null;
  birthDate: string | null;
  /** What the customer could move, in 元 (see EligibilityRules.amountBasis); null when unknown. */
  investable: number | null;
  /** Products the customer holds on the as-of date. */
  held: ReadonlySet<string>;
}

export interface EligibilityProduct {
  productId: string;
  name: string;
  category: string;
  /** 1..5 for R1..R5; null for products without a risk rating. */
  riskRating: number | null;
  minAmount: number | null;
  minAge: number | null;
  maxAge: number | null;
  active: boolean;
}

export type AmountBasis = Settings['suitability']['amountBasis'];

export interface EligibilityRules {
  /** 'YYYY-MM-DD': ages and the age of the assessment are taken on this day. */
  asOf: string;
  riskAssessmentValidMonths: number;
  elderlyAge: number;
  /** What `investable` measures, for the minimum-amount reason; 3-month average deposits when omitted. */
  amountBasis?: AmountBasis;
}

/** The rules of the settings, on `asOf`. */
export function eligibilityRules(settings: Settings, asOf: string): EligibilityRules {
  const { riskAssessmentValidMonths, elderlyAge, amountBasis } = settings.suitability;
  return { asOf, riskAssessmentValidMonths, elderlyAge, amountBasis };
}

export type ExclusionCode =
  | 'inactive'
  | 'held'
  | 'age_unknown'
  | 'too_young'
  | 'too_old'
  | 'no_assessment'
  | 'assessment_expired'
  | 'above_risk_level'
  | 'unrated'
  | 'below_min_amount';

export interface EligibilityVerdict {
  eligible: boolean;
  /** Why not, when not eligible. */
  code: ExclusionCode | null;
  reason: string | null;
  /** Cautions that do not exclude (加强提示、双录). */
  flags: string[];
}

export const ELDERLY_HIGH_RISK_FLAG = (age: number) => `${age} 岁以上客户购买高风险产品，需加强提示并双录`;

/** Product families whose minimum amount is money the customer invests (not a loan size or a fee). */
const INVESTED_FAMILIES = new Set(['time_deposit', 'wealth', 'fund', 'insurance', 'precious_metal', 'pension']);
/** Investment families: sold within the customer's assessed risk level (适当性). */
export const SUITABILITY_FAMILIES: ReadonlySet<string> = new Set(['wealth', 'fund', 'insurance', 'precious_metal', 'pension']);
/** Families sold only with a risk rating: without one, nobody's level can be matched to the product. */
const RATED_FAMILIES = new Set(['wealth', 'fund', 'precious_metal']);

const no = (code: ExclusionCode, reason: string): EligibilityVerdict => ({ eligible: false, code, reason, flags: [] });

/** Whether `product` may be offered to `customer`, and if not, the first rule that fails. */
export function judgeEligibility(customer: EligibilityCustomer, product: EligibilityProduct, rules: EligibilityRules): EligibilityVerdict {
  if (!product.active) return no('inactive', '产品已停售');
  if (customer.held.has(product.productId)) return no('held', '客户已持有该产品');

  const { age, allowed } = customerFacts(customer, rules);
  if (product.minAge !== null || product.maxAge !== null) {
    if (age === null || !Number.isFinite(age)) return no('age_unknown', '缺少出生日期，无法核对产品的年龄限制');
    if (product.minAge !== null && age < product.minAge) return no('too_young', `客户 ${age} 岁，低于产品最低年龄 ${product.minAge} 岁`);
    if (product.maxAge !== null && age > product.maxAge) return no('too_old', `客户 ${age} 岁，高于产品最高年龄 ${product.maxAge} 岁`);
  }

  if (product.riskRating !== null && SUITABILITY_FAMILIES.has(product.category)) {
    if (product.riskRating > allowed.max) return no(allowed.code, allowed.reason(product.riskRating));
  } else if (product.riskRating === null && RATED_FAMILIES.has(product.category)) {
    return no('unrated', '产品缺少风险等级，无法核对适当性，请先在产品目录中补充风险等级');
  }

  if (product.minAmount !== null && product.minAmount > 0 && INVESTED_FAMILIES.has(product.category)) {
    const investable = customer.investable ?? 0;
    if (investable < product.minAmount) {
      const basis = measureLabel(rules.amountBasis === 'aum_avg_3m' ? 'aum_avg_3m' : 'deposit_avg_3m');
      return no('below_min_amount', `起购金额 ${formatWan(product.minAmount)} 万元，高于客户${basis} ${formatWan(investable)} 万元`);
    }
  }

  const flags: string[] = [];
  if (SUITABILITY_FAMILIES.has(product.category) && product.riskRating !== null && product.riskRating >= 4 && age !== null && age >= rules.elderlyAge) {
    flags.push(ELDERLY_HIGH_RISK_FLAG(rules.elderlyAge));
  }
  return { eligible: true, code: null, reason: null, flags };
}

/**
 * The customer's age and allowed risk on the rules' date, worked out once per customer and rules: scoring
 * judges every product for every customer, and date arithmetic on text is the dearest part of a verdict.
 */
const factsMemo = new WeakMap<EligibilityCustomer, { rules: EligibilityRules; age: number | null; allowed: AllowedRisk }>();

function customerFacts(customer: EligibilityCustomer, rules: EligibilityRules): { age: number | null; allowed: AllowedRisk } {
  const known = factsMemo.get(customer);
  if (known && known.rules === rules) return known;
  const facts = { rules, age: customer.birthDate ? wholeYears(customer.birthDate, rules.asOf) : null, allowed: allowedRiskRating(customer, rules) };
  factsMemo.set(customer, facts);
  return facts;
}

interface AllowedRisk {
  max: number;
  code: ExclusionCode;
  reason: (rating: number) => string;
}

/** The highest product risk the customer may buy on the as-of date, and how to say why a higher one is out. */
export function allowedRiskRating(customer: Pick<EligibilityCustomer, 'riskLevel' | 'riskAssessedAt'>, rules: EligibilityRules): AllowedRisk {
  if (customer.riskLevel === null) {
    return { max: 1, code: 'no_assessment', reason: () => '未做风险测评，仅可推荐 R1 产品，请先完成风险测评' };
  }
  if (!customer.riskAssessedAt) {
    return { max: 1, code: 'no_assessment', reason: () => '缺少风险测评日期，无法确认测评有效，仅可推荐 R1 产品，请先重新测评' };
  }
  if (!looksLikeDate(customer.riskAssessedAt)) {
    return { max: 1, code: 'no_assessment', reason: () => '风险测评日期无法识别，无法确认测评有效，仅可推荐 R1 产品，请先重新测评' };
  }
  const valid = rules.riskAssessmentValidMonths;
  const expiresOn = addMonths(customer.riskAssessedAt, valid);
  if (expiresOn < rules.asOf) {
    const months = completedMonths(customer.riskAssessedAt, rules.asOf);
    // On the boundary the whole months equal the validity (12 months and some days): say "over", not "12".
    const since = months > valid ? `距上次测评 ${months} 个月` : `距上次测评已超过 ${valid} 个月`;
    return { max: 1, code: 'assessment_expired', reason: () => `风险测评已过期（${since}），请先重新测评` };
  }
  const level = customer.riskLevel;
  return { max: level, code: 'above_risk_level', reason: (rating) => `产品风险等级 R${rating} 高于客户风险承受等级 C${level}` };
}

const LEVEL = (text: string | null, prefix: 'C' | 'R'): number | null => {
  if (!text || text.length !== 2 || text[0] !== prefix) return null;
  const n = Number(text[1]);
  return n >= 1 && n <= 5 ? n : null;
};

export function loadProducts(db: Db): EligibilityProduct[] {
  const rows = db
    .prepare('SELECT product_id, name, category, risk_rating, min_amount, min_age, max_age, active FROM products ORDER BY product_id')
    .all() as { product_id: string; name: string; category: string; risk_rating: string | null; min_amount: number | null; min_age: number | null; max_age: number | null; active: number }[];
  return rows.map((r) => ({
    productId: r.product_id,
    name: r.name,
    category: r.category,
    riskRating: LEVEL(r.risk_rating, 'R'),
    minAmount: r.min_amount,
    minAge: r.min_age,
    maxAge: r.max_age,
    active: r.active !== 0,
  }));
}

/**
 * The eligibility facts of every customer (or of `customerIds`) on `asOf`: level, assessment date, birth
 * date, what the customer could move (settings.suitability.amountBasis unless `basis` is given: the mean
 * of the 3-month average deposits over the balance months M−2..M, M the latest month complete on `asOf`,
 * AUM where a branch's balances carry no deposit split; or the same mean of AUM) and the products held on
 * that day. Months without a row are left out of the mean, as in the features.
 */
export function loadEligibilityCustomers(db: Db, asOf: string, customerIds?: readonly string[], basis?: AmountBasis): Map<string, EligibilityCustomer> {
  const month = lastCompleteMonth(asOf);
  const firstMonth = addMonthsToMonth(month, -2);
  const customers = new Map<string, EligibilityCustomer>();
  const wanted = customerIds ? new Set(customerIds) : null;
  const amountBasis = basis ?? readSettings(db).suitability.amountBasis;

  const people = db.prepare('SELECT customer_id, risk_level, risk_assessed_at, birth_date FROM customers').iterate() as Iterable<{
    customer_id: string;
    risk_level: string | null;
    risk_assessed_at: string | null;
    birth_date: string | null;
  }>;
  for (const r of people) {
    if (wanted && !wanted.has(r.customer_id)) continue;
    customers.set(r.customer_id, { customerId: r.customer_id, riskLevel: LEVEL(r.risk_level, 'C'), riskAssessedAt: r.risk_assessed_at, birthDate: r.birth_date, investable: null, held: new Set<string>() });
  }

  // The column is chosen here from two fixed expressions, never from a request.
  const amount = amountBasis === 'aum_avg_3m' ? 'aum' : 'coalesce(deposit, aum)';
  const balances = db
    .prepare(`SELECT customer_id, avg(${amount}) AS investable FROM balances WHERE month BETWEEN ? AND ? GROUP BY customer_id`)
    .iterate(firstMonth, month) as Iterable<{ customer_id: string; investable: number | null }>;
  for (const r of balances) {
    const customer = customers.get(r.customer_id);
    if (customer) customer.investable = r.investable;
  }

  const holdings = db
    .prepare('SELECT customer_id, product_id FROM holdings WHERE opened_at <= ? AND (closed_at IS NULL OR closed_at > ?)')
    .iterate(asOf, asOf) as Iterable<{ customer_id: string; product_id: string }>;
  for (const r of holdings) (customers.get(r.customer_id)?.held as Set<string> | undefined)?.add(r.product_id);
  return customers;
}
