/**
 * Shapes of the analytics results the renderer shows: customer analysis runs (features, RFM, tiers,
 * lifecycle, tags), tier migration, segmentation, group portraits and the churn model. Codes stored in
 * customer_scores are the ones of shared/rule-fields.ts (VALUE_TIER_LABELS, LIFECYCLE_STAGE_LABELS,
 * RFM_CLASS_LABELS, CHURN_BAND_LABELS); labels are looked up there.
 */
import type { RuleNode } from './rules';
import type { ChurnReason } from './churn';
import type { Settings } from './settings';

export const VALUE_TIERS = ['mass', 'affluent', 'wealth', 'private'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];

export const LIFECYCLE_STAGES = ['new', 'growing', 'mature', 'declining', 'dormant', 'churned'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const RFM_CLASSES = [
  'important_value',
  'important_develop',
  'important_retain',
  'important_winback',
  'general_value',
  'general_develop',
  'general_retain',
  'general_winback',
] as const;
export type RfmClass = (typeof RFM_CLASSES)[number];

export const CHURN_BANDS = ['high', 'medium', 'low'] as const;
export type ChurnBand = (typeof CHURN_BANDS)[number];

/** The feature columns of customer_features, in table order. Money features get log1p in K-means. */
export const FEATURE_KEYS = [
  'age',
  'tenure_months',
  'aum_latest',
  'aum_avg_3m',
  'aum_avg_12m',
  'aum_trend_slope_6m',
  'aum_change_pct_6m',
  'deposit_share',
  'wealth_share',
  'loan_share',
  'product_count',
  'category_count',
  'txn_count_30d',
  'txn_count_90d',
  'txn_count_365d',
  'days_since_last_active_txn',
  'mobile_share',
  'counter_share',
  'atm_share',
  'inflow_3m',
  'outflow_3m',
  'complaints_12m',
  'months_since_risk_assessment',
] as const;
export type FeatureKey = (typeof FEATURE_KEYS)[number];

export const MONEY_FEATURES: readonly FeatureKey[] = ['aum_latest', 'aum_avg_3m', 'aum_avg_12m', 'aum_trend_slope_6m', 'inflow_3m', 'outflow_3m'];

/** One finished customer analysis: what it counted and how long each phase took. */
export interface AnalysisSummary {
  runId: number;
  /** The as-of date, 'YYYY-MM-DD' (the last day of the as-of month). */
  asOf: string;
  customers: number;
  /** The settings the run used; a run is reproducible from them. */
  settings: Settings;
  counts: {
    rfmClass: Record<string, number>;
    valueTier: Record<string, number>;
    lifecycle: Record<string, number>;
    tags: Record<string, number>;
  };
  /** Seconds per phase, e.g. { features: 4.2, rfm: 0.3, … }. */
  timings: Record<string, number>;
}

export interface AnalysisRunInfo {
  runId: number;
  kind: string;
  asOf: string | null;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  startedAt: string;
  finishedAt: string | null;
  params: Record<string, unknown>;
  metrics: Record<string, unknown> | null;
}

/** Tiers, RFM and lifecycle of the latest analysis run, ready for the tiers and RFM screens. */
export interface AnalysisOverview {
  run: AnalysisRunInfo;
  tiers: { tier: ValueTier; customers: number; aum: number; aumShare: number }[];
  rfm: {
    classes: { rfmClass: RfmClass; customers: number; aum: number; aumShare: number; action: string }[];
    /** R score × F score cells with the mean M score as colour. */
    heatmap: { r: number; f: number; customers: number; meanM: number }[];
  };
  lifecycle: { stage: LifecycleStage; customers: number; aum: number }[];
}

export interface TierMigration {
  fromMonth: string;
  toMonth: string;
  tiers: ValueTier[];
  /** matrix[i][j]: customers in tiers[i] at fromMonth and tiers[j] at toMonth. */
  matrix: number[][];
  /** High-value customers (金卡 and above at fromMonth) who fell at least one tier, largest AUM loss first. */
  fallen: { customer_id: string; name: string | null; manager_name: string | null; from_tier: ValueTier; to_tier: ValueTier; aum_from: number; aum_to: number }[];
  fallenTotal: number;
}

export interface TagInfo {
  tagId: string;
  name: string;
  category: string;
  description: string | null;
  kind: 'system' | 'rule';
  rule: RuleNode | null;
  /** Customers carrying the tag in the latest run, and their share of all customers. */
  customers: number;
  coverage: number;
}

export interface SegmentInfo {
  segmentId: number;
  name: string;
  description: string | null;
  source: 'rule' | 'kmeans' | 'manual';
  rule: RuleNode | null;
  size: number;
  createdAt: string;
}

export interface ClusterProfile {
  index: number;
  size: number;
  share: number;
  /** Suggested Chinese name from the distinguishing features, e.g. 高资产·低活跃·中老年. */
  name: string;
  /** Feature means in original units. */
  means: Record<string, number>;
  /** Cluster mean against the branch mean, in standard deviations. */
  zScores: Record<string, number>;
  topFeatures: { feature: string; label: string; z: number }[];
}

export interface SegmentationResult {
  /**
   * The segmentation run (analysis_runs.kind 'segmentation') holding the assignments (cluster_assignments)
   * until saved as segments. The latest clustering is also copied to customer_scores.cluster_id of the
   * latest scores, so that rules and the customer list can filter on 聚类分群编号.
   */
  runId: number;
  k: number;
  silhouette: number;
  features: { key: string; label: string }[];
  clusters: ClusterProfile[];
  silhouetteCurve: { k: number; silhouette: number }[] | null;
  seconds: number;
  /** Customers clustered: every customer of the features run. */
  customers?: number;
  /** As-of date of the features clustered. */
  asOf?: string | null;
  /** Features with missing values, filled in with the feature's median (customers affected, value used). */
  imputed?: { feature: string; label: string; customers: number; value: number }[];
}

export interface DistributionItem {
  label: string;
  count: number;
  share: number;
}

/** A group beside the branch, one dimension at a time: what an analyst puts on a slide. */
export interface GroupPortrait {
  size: number;
  branchSize: number;
  description: string;
  /**
   * `measure` says how to read the shares: 'distribution' (the default) splits the customers, or the
   * transactions for channel mix, and sums to 1; 'penetration' is the share of customers holding each
   * product category, and a customer can hold several.
   */
  dimensions: { key: string; label: string; group: DistributionItem[]; branch: DistributionItem[]; measure?: 'distribution' | 'penetration' }[];
  summary: { key: string; label: string; group: number | null; branch: number | null; unit: string }[];
}

/**
 * One step of a customer's churn explanation: a topic of features (交易活跃度, 资金往来, 资产变化, …) and how
 * much it moves the probability (Saabas tree-path attribution, summed over the topic's features).
 */
export interface ChurnDriver {
  /** activity, flows, assets, products, channels, service, tenure or profile. */
  topic: string;
  /** The topic's name: 交易活跃度, 资金往来, … */
  label: string;
  contribution: number;
  /** For a reason: the risk in words with the customer's own figure ("95 天没有主动交易"); '' otherwise. */
  text: string;
  /** For a reason: what to do about it ("电话回访，了解近况"); '' otherwise. */
  action: string;
}

export interface ModelCard {
  modelId: number;
  createdAt: string;
  horizonMonths: number;
  /** Features as of this date; the label window is (featuresAsOf, labelTo]. */
  featuresAsOf: string;
  labelTo: string;
  samples: { train: number; test: number; positives: number; churnRate: number };
  params: { trees: number; maxDepth: number | null; minSamplesLeaf: number; seed: number; classWeight: 'balanced' | null };
  metrics: { rocAuc: number; prAuc: number; liftTopDecile: number; brier: number };
  /** Optional out-of-time check: trained as of T−2h, tested as of T−h. */
  laterPeriod: { rocAuc: number; prAuc: number } | null;
  roc: { fpr: number; tpr: number }[];
  lift: { decile: number; lift: number; captureRate: number; churnRate: number }[];
  calibration: { predicted: number; observed: number; count: number }[];
  /** Confusion counts at thresholds 0.00..1.00 for the threshold slider. */
  thresholds: { threshold: number; tp: number; fp: number; tn: number; fn: number; precision: number; recall: number; f1: number }[];
  defaultThreshold: number;
  featureImportance: { feature: string; label: string; importance: number }[];
  trainSeconds: number;
}

export interface ChurnScoreSummary {
  runId: number;
  modelId: number;
  asOf: string;
  /** Customers scored: those not already 流失 or 沉睡 at the as-of date (the population trained for). */
  scored: number;
  counts: Record<ChurnBand, number>;
  /** Customers left out of the warning because already lost, by lifecycle stage (listed apart for win-back). */
  excluded: { churned: number; dormant: number };
  /** Σ 3-month average AUM (元) of the 流失风险 高 customers. */
  aumAtRisk: number;
  /** Σ probability × 3-month average AUM (元) of the scored customers. */
  expectedLoss: number;
  seconds: number;
}

export interface RiskRow {
  customer_id: string;
  name: string | null;
  value_tier: ValueTier | null;
  community_name: string | null;
  manager_name: string | null;
  churn_prob: number;
  churn_band: ChurnBand;
  /** The reasons' texts (see `reasons` for their actions). */
  drivers: string[];
  reasons: ChurnReason[];
  /** 3-month average AUM (元) of the scored analysis. */
  aum: number | null;
  /** churn_prob × aum (元): 预期流失资产. */
  expected_loss: number | null;
  /** Contact columns (issue #10): masked mobile, consent (1/0/null), 勿扰 (1/0/null), last contact date. */
  mobile: string | null;
  consent_marketing: number | null;
  do_not_contact: number | null;
  last_contact_date: string | null;
}

/**
 * The churn explanation shown on the 360 portrait as a waterfall: the model's base rate, the reasons (each
 * raises the risk by at least settings.churn.minReasonContribution and reads as a risk), the other topics
 * that move it by at least that much, and the rest as one sum: bias + Σ reasons + Σ factors + other =
 * probability.
 */
export interface ChurnExplanation {
  modelId: number;
  probability: number;
  band: ChurnBand;
  bias: number;
  reasons: ChurnDriver[];
  factors: ChurnDriver[];
  /** Sum of the contributions not listed. */
  other: number;
}
