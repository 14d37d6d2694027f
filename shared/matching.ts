/**
 * Product matching (产品匹配, issue #9): the channels, result shapes and settings of the capability.
 * The engine side lives in electron/engine/matching/, the screen in renderer/src/features/matching/.
 *
 * Vocabulary:
 * - a product family is `products.category` (理财, 基金, 信用卡 …); a "model unit" is a family, or a single
 *   product with enough new holders of its own, that gets its own propensity forest;
 * - propensity: the probability that the customer opens a product of the unit within the horizon, from a
 *   forest trained time-honestly (features as of T − h, new holdings in (T − h, T]);
 * - score (推荐分): propensity × the rule lever × the value lever (see matchingSettingsSchema.weights);
 * - expected value (预期年贡献): the family's margin rate × the expected balance, in 元 per year.
 */
import { z } from 'zod';
import { queryChannel, jobChannel } from './channel-def';
import { PRODUCT_CATEGORIES } from './dictionary';
import { ruleSchema } from './rules';

export const suitabilitySettingsSchema = z.strictObject({
  /** An assessment older than this (as of the analysis date) no longer counts: R1 products only. */
  riskAssessmentValidMonths: z.number().int().min(1).default(12),
  /** Customers this old or older who match an R4/R5 product stay eligible but carry a flag (加强提示、双录). */
  elderlyAge: z.number().int().min(50).max(100).default(65),
  /**
   * What a customer could move, against a product's minimum amount: the 3-month average deposits (default;
   * money already invested is not free to move) or the 3-month average AUM.
   */
  amountBasis: z.enum(['deposit_avg_3m', 'aum_avg_3m']).default('deposit_avg_3m'),
});

/**
 * The seed's cross-sell and life-stage rules (DESIGN.md §4 seed 002): each raises the score of the products
 * it names and gives the reason a relationship manager says aloud. Their conditions are fixed in
 * electron/engine/matching/boost-rules.ts; a branch turns them on or off and sets how much each weighs.
 */
export const MATCH_RULE_IDS = ['payroll_wealth', 'card_wealth', 'loan_insurance', 'hnw_invest', 'young_credit', 'midlife_protection', 'retiree_pension'] as const;
export type MatchRuleId = (typeof MATCH_RULE_IDS)[number];

const ruleSetting = z.strictObject({ enabled: z.boolean().default(true), boost: z.number().min(0).max(3).default(0.3) }).prefault({});
const ruleShape = Object.fromEntries(MATCH_RULE_IDS.map((id) => [id, ruleSetting])) as Record<MatchRuleId, typeof ruleSetting>;

export const matchingSettingsSchema = z.strictObject({
  /** Months ahead a propensity looks (h): features as of T − h, new holdings in (T − h, T]. */
  horizonMonths: z.number().int().min(1).max(12).default(3),
  /**
   * New holders a family (or a single product) needs in the window to get its own forest; a family with
   * fewer is ranked from co-holding lift (持有 A 的客户也持有 B 的倍数) instead.
   */
  minPositives: z.number().int().min(10).max(100_000).default(50),
  /** Recommendations kept per customer. */
  topPerCustomer: z.number().int().min(1).max(20).default(5),
  /**
   * Families never recommended: a mortgage follows a house purchase, not an offer, so by default it is left
   * out (its holders still count as evidence for other families).
   */
  excludedFamilies: z.array(z.enum(PRODUCT_CATEGORIES)).max(PRODUCT_CATEGORIES.length).default(['mortgage']),
  /**
   * The score is propensity × (1 + rules × Σ boosts of the rules that fire) × (1 + value × v / (v + v₀)),
   * v the expected annual value and v₀ the median of all candidates' (Pega's arbitration: propensity, value
   * and levers, each visible). value 0 ranks by propensity and rules alone.
   */
  weights: z
    .strictObject({
      rules: z.number().min(0).max(5).default(1),
      value: z.number().min(0).max(5).default(0.5),
    })
    .prefault({}),
  rules: z.strictObject(ruleShape).prefault({}),
  /**
   * Rows a forest trains on at most: every new holder and a seeded sample of the others, the probabilities
   * corrected for the sample. Large branches train in seconds and lose little (new holders are the rare class).
   */
  maxTrainRows: z.number().int().min(2_000).max(1_000_000).default(20_000),
});
export type MatchingSettings = z.infer<typeof matchingSettingsSchema>;

// ---------------------------------------------------------------------------------------------------------
// Result shapes

/** A model unit's card: what the forest learnt from, and how it did on the held-out window. */
export interface FamilyCard {
  unitKey: string;
  kind: 'family' | 'product';
  /** products.category of the unit. */
  category: string;
  /** 理财, 信用卡, or a product's name for a product unit. */
  label: string;
  productIds: string[];
  /** The forest that scores, or null when the unit is ranked by co-holding lift (too few new holders). */
  modelId: number | null;
  /** New holders in the training window (T − h, T], and the customers who could have become one. */
  positives: number;
  population: number;
  /** positives ÷ population. */
  newRate: number;
  /** Why there is no forest, in Chinese; null when there is one. */
  fallback: string | null;
  /** The held-out window: trained on (T − 2h, T − h], tested on (T − h, T]; null when there was too little. */
  validation: {
    positives: number;
    population: number;
    rocAuc: number | null;
    /** Of the customers with the family among their five highest ranked, the share who opened it. */
    precisionAt5: number | null;
    /** Share of the new holders found in the 10% of customers the model ranks highest. */
    captureTop10: number | null;
  } | null;
  featureImportance: { feature: string; label: string; importance: number }[];
}

export interface MatchingTrainingSummary {
  runId: number;
  createdAt: string;
  horizonMonths: number;
  /** T: the data's as-of date; features of the scoring forests as of T − h. */
  asOf: string;
  featuresAsOf: string;
  /** The held-out check; null when the data does not reach back two horizons. */
  validation: {
    featuresAsOf: string;
    labelFrom: string;
    labelTo: string;
    /** Customers with at least one new family in the held-out window (MAP is averaged over them). */
    customers: number;
    mapAt5: number;
    /** The same customers ranked by how often each family was newly opened in the training window. */
    baselineMapAt5: number;
  } | null;
  families: FamilyCard[];
  modelIds: number[];
  params: { trees: number; maxDepth: number | null; minSamplesLeaf: number; seed: number; minPositives: number; maxTrainRows: number };
  trainSeconds: number;
}

/** 持有信用卡的客户中 38% 也持有理财，是全行的 2.1 倍. */
export interface CoHoldingRule {
  from: string;
  to: string;
  fromLabel: string;
  toLabel: string;
  /** Customers holding both. */
  customers: number;
  /** Both ÷ all customers with holdings. */
  support: number;
  /** Both ÷ holders of `from`. */
  confidence: number;
  /** confidence ÷ the share holding `to`. */
  lift: number;
}

export interface SuitabilityAudit {
  runId: number;
  checkedAt: string;
  /** Stored recommendations re-checked against every rule of §1 (written independently, in SQL). */
  checked: number;
  unsuitable: number;
  /** Breaches per rule code (see ExclusionCode in electron/engine/matching/eligibility.ts). */
  byRule: Record<string, number>;
  examples: { customerId: string; productId: string; rule: string }[];
}

export interface ProductMatchStats {
  productId: string;
  name: string;
  category: string;
  categoryLabel: string;
  riskRating: string | null;
  /** Customers scored for whom the product passed every rule. */
  eligible: number;
  /** Customers with the product stored among their recommendations. */
  recommended: number;
  /** Customers the rules kept out, per exclusion code. */
  excluded: Record<string, number>;
}

export interface MatchingScoringSummary {
  runId: number;
  trainingRunId: number;
  asOf: string;
  customers: number;
  recommendations: number;
  /** Must be 0: the suitability audit of the stored recommendations. */
  unsuitable: number;
  audit: SuitabilityAudit;
  products: ProductMatchStats[];
  /** v₀ of the value lever, 元 per year. */
  valueReference: number;
  seconds: number;
}

export interface MatchingOverview {
  training: MatchingTrainingSummary | null;
  scoring: MatchingScoringSummary | null;
  coHolding: CoHoldingRule[];
}

export interface MatchRecommendation {
  productId: string;
  name: string;
  category: string;
  categoryLabel: string;
  riskRating: string | null;
  rank: number;
  score: number;
  propensity: number;
  /** 元 per year. */
  expectedValue: number;
  reasons: string[];
  flags: string[];
}

export interface MatchExclusion {
  productId: string;
  name: string;
  code: string;
  reason: string;
}

export interface ContactStatus {
  mayContact: boolean;
  doNotContact: boolean;
  consentMarketing: boolean | null;
  /** 'YYYY-MM-DD' of the last visit, call, event or campaign contact up to the as-of date. */
  lastContact: string | null;
  /** Days from the last contact to the as-of date. */
  daysSinceContact: number | null;
  /** Plain sentences: 客户要求勿扰, 未同意营销, 近 30 天内已联系 … */
  notes: string[];
}

export interface CustomerMatches {
  customerId: string;
  runId: number;
  asOf: string;
  recommendations: MatchRecommendation[];
  excluded: MatchExclusion[];
  contact: ContactStatus;
}

export interface ProductListRow {
  customer_id: string;
  name: string | null;
  value_tier: string | null;
  manager_name: string | null;
  mobile: string | null;
  consent_marketing: number | null;
  do_not_contact: number | null;
  last_contact: string | null;
  rank: number;
  propensity: number;
  expected_value: number;
  /** propensity × expected value: 元 per year the branch can expect from offering it. */
  priority: number;
  score: number;
  reasons: string[];
  flags: string[];
}

export interface ProductListPage {
  rows: ProductListRow[];
  next: { value: number; id: string } | null;
  total: number;
}

// ---------------------------------------------------------------------------------------------------------
// Requests and channels

export const matchTrainRequestSchema = z.strictObject({
  /** Months ahead; the settings' horizonMonths when omitted. */
  horizonMonths: z.number().int().min(1).max(12).optional(),
  trees: z.number().int().min(10).max(1000).default(100),
  maxDepth: z.number().int().min(2).max(40).nullable().default(10),
  minSamplesLeaf: z.number().int().min(1).max(1000).default(10),
  seed: z.number().int().min(0).default(1),
});

export const matchScoreRequestSchema = z.strictObject({
  /** Recommendations kept per customer; the settings' topPerCustomer when omitted. */
  top: z.number().int().min(1).max(20).optional(),
});

const productListSort = z.enum(['propensity', 'priority']);

export const productListRequestSchema = z.strictObject({
  productId: z.string().min(1).max(100),
  sort: productListSort.default('propensity'),
  filter: ruleSchema.optional(),
  /** Only customers who may be contacted (not 勿扰, marketing consent not refused). */
  contactableOnly: z.boolean().default(false),
  after: z.strictObject({ value: z.number(), id: z.string().max(100) }).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});

export const productExportRequestSchema = z.strictObject({
  productId: z.string().min(1).max(100),
  path: z.string().min(1, '请选择文件').max(4096),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  sort: productListSort.default('propensity'),
  filter: ruleSchema.optional(),
  contactableOnly: z.boolean().default(false),
});

export const matchingChannels = {
  'matching.overview': queryChannel<MatchingOverview>()(z.strictObject({})),
  'matching.productList': queryChannel<ProductListPage>()(productListRequestSchema),
  'matching.customer': queryChannel<CustomerMatches | null>()(z.strictObject({ customerId: z.string().min(1).max(100) })),
  'matching.train': jobChannel<MatchingTrainingSummary>()(matchTrainRequestSchema),
  'matching.score': jobChannel<MatchingScoringSummary>()(matchScoreRequestSchema),
  'matching.audit': jobChannel<SuitabilityAudit>()(z.strictObject({})),
  'matching.export': jobChannel<{ path: string; rows: number; sha256: string }>()(productExportRequestSchema),
} as const;
